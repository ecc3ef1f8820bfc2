/**
 * The fake Bedrock endpoint in a worker thread, for benchmarks that measure the CPU of the calling thread alone
 * (bench/model-call.bench.ts): the fake's parsing and framing then runs on another thread. It answers every call at
 * once with a short text reply and reports when each request's body had fully arrived (epoch ms, comparable across
 * threads), so a burst's queue in the caller can be read off the arrival times.
 */
import { parentPort } from 'node:worker_threads';
import { FakeBedrock, reply } from '../../test/support/fake-bedrock.js';

const fake = await FakeBedrock.start();
fake.responder = () => {
  fake.requests.length = 0; // kept by the fake for tests; a benchmark sends thousands
  fake.usages.length = 0;
  parentPort!.postMessage({ arrived: performance.timeOrigin + performance.now() });
  return reply.text('OK');
};
parentPort!.postMessage({ url: fake.url });
