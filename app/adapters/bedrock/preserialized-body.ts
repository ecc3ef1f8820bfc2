import type {
  BedrockRuntimeClient,
  ConverseStreamCommandInput,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-bedrock-runtime';
import type { SerializeMiddleware } from '@smithy/types';

/**
 * ConverseStream with a request body the adapter serialised itself. The SDK's JSON serialiser walks the input's
 * schema and writes every string character by character: for the assistant's ≈ 20 KB prompt that is ≈ 4 ms of CPU
 * per model call, in one stretch during which the API cannot start any other message (a burst of twenty messages
 * queues behind it). `JSON.stringify` writes the same JSON natively in ≈ 0.1 ms.
 *
 * The command still goes through the real client's whole stack: the SDK serialises `{ modelId }` (the request line
 * and headers: method, path, `content-type`), and this middleware, right after the SDK's serialiser, swaps in the
 * prepared body. Everything after it (content length, user agent, SigV4 over the body, the HTTP/2 handler, the
 * event-stream deserialiser) is the SDK's own. A unit test keeps the prepared body JSON-equal to what the SDK's
 * serialiser writes for the same full input.
 */
const BODY = Symbol('megaticket.preserializedBody');

/** The body members of ConverseStream's input (everything but `modelId`, which goes into the path). */
export type ConverseStreamBody = Omit<ConverseStreamCommandInput, 'modelId'>;

type PreserializedInput = ConverseStreamCommandInput & { readonly [BODY]: Uint8Array };

/** A command input that makes the SDK serialise only `modelId` and send `body` as the request's JSON. */
export function preserializedInput(modelId: string, body: ConverseStreamBody): ConverseStreamCommandInput {
  const input: PreserializedInput = { modelId, [BODY]: Buffer.from(JSON.stringify(body), 'utf8') };
  return input;
}

const MIDDLEWARE_NAME = 'megaticketPreserializedBody';

/** Installs the body swap on a client (once per client; commands without a prepared body are left alone). */
export function usePreserializedBodies(client: BedrockRuntimeClient): void {
  const swapBody: SerializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    const body = (args.input as Partial<PreserializedInput>)[BODY];
    const request = args.request as { body?: unknown; headers?: Record<string, string> } | undefined;
    if (body && request?.headers) {
      request.body = body;
      request.headers['content-type'] = 'application/json';
    }
    return next(args);
  };
  client.middlewareStack.addRelativeTo(swapBody as Parameters<typeof client.middlewareStack.addRelativeTo>[0], {
    name: MIDDLEWARE_NAME,
    relation: 'after',
    toMiddleware: 'serializerMiddleware',
    override: true,
  });
}
