/**
 * The fake Bedrock endpoint in a worker thread for bench/model-sessions.bench.ts: it answers every call with the
 * short greeting after `FAKE_DELAY_MS`, and reports per request when its headers arrived and when its body had
 * fully arrived (epoch ms, comparable across threads), so the time a body spends in transfer — flow-control waits
 * and interleaving with other bodies on the same connection — can be told from the rest. With
 * `FAKE_CONNECTION_WINDOW` (bytes) every connection's receive window is raised to it, as a server may grant.
 */
import { parentPort } from 'node:worker_threads';
import { FakeBedrock, reply } from '../../test/support/fake-bedrock.js';
import { SHORT_ANSWER } from './chat-workloads.js';

const delayMs = Number(process.env.FAKE_DELAY_MS ?? 0);
const window = Number(process.env.FAKE_CONNECTION_WINDOW ?? 0);
const now = () => performance.timeOrigin + performance.now();

const fake = await FakeBedrock.start();
fake.responder = () => {
  fake.requests.length = 0; // kept by the fake for tests; a benchmark sends thousands
  fake.usages.length = 0;
  return reply.text(SHORT_ANSWER, { chunk: 6, delayMs: delayMs || undefined });
};
const server = fake.server;
if (window > 0) server.on('session', (session) => session.setLocalWindowSize(window));
server.on('stream', (stream, headers) => {
  const sent = Number(headers['x-bench-sent']);
  const client = String(headers['x-bench-client']);
  const arrived = now();
  stream.on('end', () => parentPort!.postMessage({ client, headers: arrived - sent, body: now() - arrived }));
});
parentPort!.postMessage({ url: fake.url });
