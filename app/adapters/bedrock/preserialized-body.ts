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
 * queues behind it). `JSON.stringify` writes the same JSON natively in ≈ 0.1 ms, and less when the tool specs and
 * the stable system text are kept serialised (`JsonFragments`).
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

/** A command input that makes the SDK serialise only `modelId` and send `body` (the members' JSON) as is. */
export function preserializedInput(modelId: string, body: Uint8Array): ConverseStreamCommandInput {
  const input: PreserializedInput = { modelId, [BODY]: body };
  return input;
}

/** Texts kept serialised at most (the stable system text per catalog version; a new version replaces the old). */
const KEPT_TEXTS = 4;

/**
 * JSON of values that repeat call after call (tool specs, the stable system text), written once and kept as UTF-8
 * bytes, and the joining of such pieces with the per-call JSON into one body. A value is keyed by its identity (an
 * object) or by its content (a text), so a changed catalog produces new bytes.
 */
export class JsonFragments {
  private readonly objects = new WeakMap<object, Buffer>();
  private readonly texts = new Map<string, Buffer>();

  /** The JSON of `value()`, written once per `key` object. */
  object(key: object, value: () => unknown): Buffer {
    let bytes = this.objects.get(key);
    if (!bytes) this.objects.set(key, (bytes = Buffer.from(JSON.stringify(value()), 'utf8')));
    return bytes;
  }

  /** The JSON of `value()`, written once per distinct `text` (the few most recent ones are kept). */
  text(text: string, value: () => unknown): Buffer {
    let bytes = this.texts.get(text);
    if (!bytes) {
      if (this.texts.size >= KEPT_TEXTS) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(text, (bytes = Buffer.from(JSON.stringify(value()), 'utf8')));
    }
    return bytes;
  }

  /** One body from JSON pieces: kept bytes as they are, per-call strings encoded now. */
  join(pieces: readonly (string | Buffer)[]): Buffer {
    return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  }
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
