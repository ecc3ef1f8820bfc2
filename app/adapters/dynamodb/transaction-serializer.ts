import { randomUUID } from 'node:crypto';
import type { TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The serialise step of a `TransactWriteItems` whose items are already AttributeValues (`toWireTransactItem`,
 * `admissionHoldWireItem`): the request body is their JSON, so it is written by `JSON.stringify` instead of the SDK's
 * schema serialiser, which walks every member of every item byte by byte against the operation's schema (≈ 20–31 µs
 * per extra item of the gated hold, and a sixth of the API's CPU per hold + confirm, docs/benchmarks.md). It replaces
 * only that step, under the SDK's own name (`serializerMiddleware`, `override`), on the command whose stack
 * `sendWire` resolves; everything before and after it is the client's: the endpoint (resolved by the endpoint
 * middleware just before this step, applied to the request by the SDK's own protocol), the user agent, content length,
 * retries, signing, call tracing and the SDK's error deserialiser (so `CancellationReasons` still reach the store).
 *
 * What it writes equals the SDK's body as JSON (test/unit/adapters/transaction-serializer.test.ts holds the two
 * together for the hold, confirm and gate shapes): the same string escapes (`JSON.stringify`'s are the SDK's: `\b \t
 * \n \f \r \" \\`, `\u00xx` for other controls, lone surrogates as `\udxxx`, everything else as UTF-8); members whose
 * value is undefined left out; the idempotency token generated when the caller gave none, as the SDK does — here, in
 * the serialise step, which runs once per send, so a retried attempt (the retry middleware runs later, in
 * `finalizeRequest`) resends the same body and token. Only the order of a structure's members may differ (the SDK
 * writes them in schema order, this in the items' own), which JSON does not give a meaning to.
 *
 * It relies on what the wire form guarantees: AttributeValues made of strings, number texts, booleans, NULL, lists and
 * maps — no binary (`B`/`BS` would need base64), no null members, no members the schema does not know (the SDK would
 * drop those; `JSON.stringify` would send them). `toAttributeValue` refuses binary, and the items are built by the
 * store's own code.
 */
export function wireTransactionSerializer(config: SerializerConfig): SerializeMiddleware {
  const protocol = config.protocol;
  return (next, context) => async (args) => {
    const input = args.input as TransactWriteItemsCommandInput;
    const request = new (protocol.getRequestType())({
      protocol: '',
      hostname: '',
      port: undefined,
      path: '/',
      fragment: undefined,
      query: {},
      headers: {},
      body: undefined,
    });
    const endpoint = context.endpointV2 ?? (await config.endpoint?.());
    if (endpoint) protocol.updateServiceEndpoint(request, endpoint);
    if (!request.path.endsWith('/')) request.path += '/';
    request.headers['content-type'] = 'application/x-amz-json-1.0';
    request.headers['x-amz-target'] = 'DynamoDB_20120810.TransactWriteItems';
    request.method = 'POST';
    request.body = Buffer.from(
      JSON.stringify({
        TransactItems: input.TransactItems,
        ReturnConsumedCapacity: input.ReturnConsumedCapacity,
        ReturnItemCollectionMetrics: input.ReturnItemCollectionMetrics,
        ClientRequestToken: input.ClientRequestToken ?? randomUUID(),
      }),
    );
    return next({ ...args, request });
  };
}

/** The options of the SDK's own serialiser entry, which this one replaces (`@smithy/core/schema`). */
export const SERIALIZER_ENTRY = {
  name: 'serializerMiddleware',
  step: 'serialize' as const,
  tags: ['SERIALIZER'],
  override: true,
};

/** What of the client's resolved configuration the serialiser uses: its protocol (AWS JSON 1.0) and endpoint. */
export interface SerializerConfig {
  readonly protocol: {
    getRequestType(): new (options: Record<string, unknown>) => WireRequest;
    updateServiceEndpoint(request: WireRequest, endpoint: unknown): unknown;
  };
  readonly endpoint?: () => Promise<unknown>;
}

interface WireRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type SerializeMiddleware = (
  next: (args: { input: unknown; request?: unknown }) => Promise<unknown>,
  context: { endpointV2?: unknown },
) => (args: { input: unknown; request?: unknown }) => Promise<unknown>;
