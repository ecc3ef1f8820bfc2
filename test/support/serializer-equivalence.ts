import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { createDocumentClient } from '../../app/adapters/dynamodb/client.js';
import { sendWireTransaction, useOwnTransactionSerializer } from '../../app/adapters/dynamodb/wire-transactions.js';

/** One request as it left the client's stack (signed), its body as text. */
export interface SentRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number | undefined;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A request handler that records every request leaving a client's stack and answers `answer()` (default `{}`). */
export function recordingHandler(answer: () => { status: number; body: object } = () => ({ status: 200, body: {} })) {
  const sent: SentRequest[] = [];
  const handler = {
    handle: async (request: Omit<SentRequest, 'body'> & { body: Uint8Array | string }) => {
      const raw = request.body;
      sent.push({
        method: request.method,
        protocol: request.protocol,
        hostname: request.hostname,
        port: request.port,
        path: request.path,
        query: { ...request.query },
        headers: { ...request.headers },
        body: typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString(),
      });
      const { status, body } = answer();
      return {
        response: {
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return { handler, sent };
}

/** A client of our factory whose request handler is a `recordingHandler(answer)`. */
export function recordingClient(answer?: () => { status: number; body: object }) {
  const db = createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' });
  const { handler, sent } = recordingHandler(answer);
  (db.config as { requestHandler: unknown }).requestHandler = handler;
  return { db, sent };
}

/** The same items sent once with the SDK's schema serialiser and once with ours, through one client of our factory. */
export async function sentBothWays(items: TransactWriteItem[]): Promise<{ sdk: SentRequest; own: SentRequest }> {
  const { db, sent } = recordingClient();
  try {
    useOwnTransactionSerializer(false);
    await sendWireTransaction(db, items);
    useOwnTransactionSerializer(true);
    await sendWireTransaction(db, items);
  } finally {
    useOwnTransactionSerializer(true);
  }
  expect(sent).to.have.length(2);
  return { sdk: sent[0]!, own: sent[1]! };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/**
 * Headers that differ between any two sends of one client: the signature, its time, the invocation id, and the body's
 * hash (each body has its own idempotency token; checked against the body it came with).
 */
const PER_SEND_HEADERS = new Set(['authorization', 'x-amz-date', 'amz-sdk-invocation-id', 'x-amz-content-sha256']);

/**
 * Asserts that our request is the SDK's: the same JSON (each with its own fresh idempotency token, a v4 UUID), the
 * same bytes once our structures' members are put in the SDK's order (so every string escape and number text is the
 * SDK's, not only equal after parsing), the same method, endpoint and path, and the same set of headers with the same
 * values — content type, target, content length, host, user agent, retry info — except those that change per send.
 */
export function expectSameRequest(own: SentRequest, sdk: SentRequest): void {
  const sdkBody = JSON.parse(sdk.body) as Record<string, unknown>;
  const ownBody = JSON.parse(own.body) as Record<string, unknown>;
  expect(sdkBody.ClientRequestToken, 'the SDK generated a token').to.match(UUID_V4);
  expect(ownBody.ClientRequestToken, 'ours generated a token').to.match(UUID_V4);
  ownBody.ClientRequestToken = sdkBody.ClientRequestToken;
  expect(ownBody).to.deep.equal(sdkBody);
  expect(JSON.stringify(inKeyOrderOf(ownBody, sdkBody)), 'byte for byte in the SDK member order').to.equal(sdk.body);
  expect(Buffer.byteLength(own.body)).to.equal(Buffer.byteLength(sdk.body));
  const { body: _ownBody, headers: ownHeaders, ...ownRest } = own;
  const { body: _sdkBody, headers: sdkHeaders, ...sdkRest } = sdk;
  expect(ownRest).to.deep.equal(sdkRest);
  expect(Object.keys(ownHeaders).sort()).to.deep.equal(Object.keys(sdkHeaders).sort());
  const stable = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_SEND_HEADERS.has(name.toLowerCase())));
  expect(stable(ownHeaders)).to.deep.equal(stable(sdkHeaders));
  expect(ownHeaders.authorization ?? ownHeaders.Authorization, 'signed').to.match(/^AWS4-HMAC-SHA256 /);
  for (const request of [own, sdk]) {
    expect(request.headers['x-amz-content-sha256'], 'the signed hash is of the body sent').to.equal(
      createHash('sha256').update(request.body).digest('hex'),
    );
  }
}

/** `value` with every object's members in the order `model` (an equal value) has them. */
function inKeyOrderOf(value: unknown, model: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => inKeyOrderOf(v, (model as unknown[])[i]));
  if (value === null || typeof value !== 'object') return value;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(model as object)) {
    ordered[key] = inKeyOrderOf((value as Record<string, unknown>)[key], (model as Record<string, unknown>)[key]);
  }
  return ordered;
}
