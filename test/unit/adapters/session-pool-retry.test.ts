import { expect } from 'chai';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { SessionPoolHttp2Handler } from '../../../app/adapters/bedrock/session-pool-handler.js';

type Handle = NodeHttp2Handler['handle'];

/** Replaces the SDK handler's `handle` for one test with answers taken in turn (an Error is thrown). */
function scriptSdkHandler(answers: unknown[]): { calls: number; restore(): void } {
  const original = NodeHttp2Handler.prototype.handle;
  const state = { calls: 0, restore: () => (NodeHttp2Handler.prototype.handle = original) };
  NodeHttp2Handler.prototype.handle = async function () {
    const answer = answers[state.calls++];
    if (answer instanceof Error) throw answer;
    return answer as Awaited<ReturnType<Handle>>;
  };
  return state;
}

const answered = { response: { statusCode: 200 } };
/** The pool passes the request through untouched; the scripted SDK handler never reads it. */
const request = () =>
  ({
    hostname: 'bedrock.test',
    path: '/model/m/converse-stream',
    method: 'POST',
    headers: {},
  }) as unknown as Parameters<Handle>[0];

describe('Bedrock session pool: a call the server never saw is sent once more on a fresh session', () => {
  const pool = () => new SessionPoolHttp2Handler();

  it('a HEADERS frame that could not be sent (session torn down) → sent again on a new session, answered', async () => {
    const sdk = scriptSdkHandler([new Error('Frame type id 1 in stream id 3 has failed with code 0.'), answered]);
    const handler = pool();
    try {
      expect(await handler.handle(request(), {})).to.equal(answered);
      expect(sdk.calls).to.equal(2);
      expect(handler.retiredCount).to.equal(1);
    } finally {
      sdk.restore();
      handler.destroy();
    }
  });

  it('a session already closing (ERR_HTTP2_GOAWAY_SESSION) → sent again once; a second such failure is the caller’s', async () => {
    const goaway = () =>
      Object.assign(new Error('New streams cannot be created after receiving a GOAWAY'), {
        code: 'ERR_HTTP2_GOAWAY_SESSION',
      });
    const sdk = scriptSdkHandler([goaway(), goaway(), answered]);
    const handler = pool();
    try {
      const failure = await handler.handle(request(), {}).catch((error: unknown) => error);
      expect((failure as { code?: string }).code).to.equal('ERR_HTTP2_GOAWAY_SESSION');
      expect(sdk.calls).to.equal(2);
    } finally {
      sdk.restore();
      handler.destroy();
    }
  });

  it('a failure the server may have seen (reset mid-stream) or an aborted call → not sent again', async () => {
    const reset = new Error('HTTP/2 stream is abnormally aborted in mid-communication with result code 2.');
    const sdk = scriptSdkHandler([
      reset,
      answered,
      new Error('Frame type id 1 in stream id 5 has failed with code 0.'),
    ]);
    const handler = pool();
    const aborted = new AbortController();
    aborted.abort();
    try {
      expect(await handler.handle(request(), {}).catch((error: unknown) => error)).to.equal(reset);
      expect(sdk.calls).to.equal(1);
      await handler.handle(request(), {}); // takes the scripted answer
      const failure = await handler.handle(request(), { abortSignal: aborted.signal }).catch((error: unknown) => error);
      expect((failure as Error).message).to.match(/^Frame type id 1/);
      expect(sdk.calls).to.equal(3);
    } finally {
      sdk.restore();
      handler.destroy();
    }
  });
});
