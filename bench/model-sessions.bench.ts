/**
 * How model calls share HTTP/2 sessions, side by side (issue 8: back-to-back chats got slower when every model call
 * moved onto one shared session). Not a test.
 *
 *   npm run bench:model-sessions -- [--clients 20] [--seconds 5] [--rounds 3] [--delay 300] [--server-window 0]
 *
 * `--clients` callers each send the assistant's real ≈ 20 KB request through the real @aws-sdk/client-bedrock-runtime
 * as soon as their previous answer ended (a closed loop, like twenty chats back to back), to the wire-protocol fake
 * in a worker thread that answers after `--delay` ms. Three HTTP/2 handlers, alternating rounds, all with the app's
 * prepared body: one shared session (the app before), the session pool (the app now), a session per call (the SDK's
 * default). Per handler: time to the first event minus the fake's delay; how long each body was in transfer at the
 * fake (its headers' arrival to its last byte: flow-control waits and interleaving with other bodies on the same
 * connection); the caller's CPU per call. `--server-window <bytes>` raises the fake's connection receive window (a
 * server may grant more than HTTP/2's default 65,535 bytes), which shows how much of a shared session's wait is the
 * window. Both run from an esbuild bundle, as the API does.
 */
import { spawn } from 'node:child_process';
import { bundleEntry } from './lib/bench-bundle.js';

const run = await bundleEntry('bench/lib/model-sessions-run.ts', 'dist/bench-model-sessions.mjs');
await bundleEntry('bench/lib/fake-bedrock-timed-worker.ts', 'dist/bench-fake-bedrock-timed-worker.mjs');
const child = spawn(process.execPath, [run, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
child.on('exit', (code) => process.exit(code ?? 1));
