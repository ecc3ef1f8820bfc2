/**
 * CPU per model call in the process that makes it (issue 8: the API starts every message's model call in one
 * uninterrupted stretch of CPU, so twenty messages arriving together wait for each other's). Not a test.
 *
 *   npm run bench:model-call -- [--calls 300] [--bursts 20] [--burst 20]
 *
 * The assistant's real request (every tool spec, the ≈ 20 KB stable prefix with its cache points, a dynamic part)
 * goes through the real @aws-sdk/client-bedrock-runtime to the wire-protocol fake, which runs in a worker thread so
 * that the main thread's CPU (Linux schedstat, exact) is the client's alone. Both run from an esbuild bundle, as the
 * API does in production (tsx's loader would add ≈ 1 ms per call: the SDK `require`s its event-stream module per
 * call). Four clients side by side, in alternating rounds:
 * - SDK as shipped: the SDK serialises the input itself and opens an HTTP/2 session per event-stream call;
 * - + prepared body: the adapter's own body bytes (app/adapters/bedrock/preserialized-body.ts);
 * - + session pool: createBedrockClient (kept-alive HTTP/2 sessions, app/adapters/bedrock/session-pool-handler.ts)
 *   with its middleware stack resolved per call, as the SDK does by default;
 * - + cached stack (the app): createBedrockClient as the app runs it (`cacheMiddleware`: the stack resolved once).
 * Per client: main-thread CPU per call (the whole call: start, the fake's short answer, the end); CPU from `send()`
 * to the request handed to HTTP/2; and, for bursts of `--burst` calls started in the same tick (the lockstep
 * workload), how long until the last of them reached the model.
 */
import { spawn } from 'node:child_process';
import { bundleEntry } from './lib/bench-bundle.js';

const run = await bundleEntry('bench/lib/model-call-run.ts', 'dist/bench-model-call.mjs');
await bundleEntry('bench/lib/fake-bedrock-worker.ts', 'dist/bench-fake-bedrock-worker.mjs');
const child = spawn(
  process.execPath,
  [...process.execArgv.filter((a) => a.startsWith('--cpu-prof')), run, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  },
);
child.on('exit', (code) => process.exit(code ?? 1));
