/**
 * The model-call benchmark's measuring process (run from an esbuild bundle by bench/model-call.bench.ts, which
 * documents it).
 */
import { Worker } from 'node:worker_threads';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { ConverseStreamModel, createBedrockClient } from '../../app/adapters/bedrock/converse-stream-model.js';
import { preserializedInput, usePreserializedBodies } from '../../app/adapters/bedrock/preserialized-body.js';
import {
  ASSISTANT_REQUEST as request,
  BENCH_CREDENTIALS as CREDENTIALS,
  BENCH_MODEL_ID as MODEL_ID,
} from './assistant-request.js';
import { parseIntegerFlags, usageOf } from './flags.js';
import { machineInfo } from './machine.js';
import { summarize } from './stats.js';
import { mainThreadCpuMicros } from './thread-cpu.js';

const FLAGS = { '--calls': 'calls', '--bursts': 'bursts', '--burst': 'burst' } as const;
const DEFAULTS = { calls: 300, bursts: 20, burst: 20 };
const ROUNDS = 3;

interface Variant {
  readonly name: string;
  readonly client: BedrockRuntimeClient;
  readonly command: () => ConverseStreamCommand;
}

function variants(): Variant[] {
  const shipped = new BedrockRuntimeClient({ region: 'ap-northeast-2', maxAttempts: 1, credentials: CREDENTIALS });
  shipped.middlewareStack.remove('loggerMiddleware'); // as the app did before this change too
  const prepared = new BedrockRuntimeClient({ region: 'ap-northeast-2', maxAttempts: 1, credentials: CREDENTIALS });
  prepared.middlewareStack.remove('loggerMiddleware');
  usePreserializedBodies(prepared);
  const app = createBedrockClient('ap-northeast-2', CREDENTIALS);
  const uncached = createBedrockClient('ap-northeast-2', CREDENTIALS);
  (uncached.config as { cacheMiddleware?: boolean }).cacheMiddleware = false; // the stack resolved per call
  const model = new ConverseStreamModel(app, MODEL_ID);
  // Each command is built from the request per call, as the adapter does (the mapping is part of the cost).
  return [
    {
      name: 'SDK as shipped',
      client: shipped,
      command: () =>
        new ConverseStreamCommand({ modelId: MODEL_ID, ...model.body(request) } as ConverseStreamCommandInput),
    },
    {
      name: '+ prepared body',
      client: prepared,
      command: () => new ConverseStreamCommand(preserializedInput(MODEL_ID, model.bodyBytes(request))),
    },
    {
      name: '+ session pool',
      client: uncached,
      command: () => new ConverseStreamCommand(preserializedInput(MODEL_ID, model.bodyBytes(request))),
    },
    {
      name: '+ cached stack (the app)',
      client: app,
      command: () => new ConverseStreamCommand(preserializedInput(MODEL_ID, model.bodyBytes(request))),
    },
  ];
}

/**
 * CPU (µs) of the stretch from `send()` to the request handed to HTTP/2, per client: `process.cpuUsage()`, exact at
 * the call (schedstat moves only at scheduler ticks on a quiet machine), counting the fake's worker thread too.
 */
const stretches = new Map<BedrockRuntimeClient, number[]>();
let sendStarted = 0;

/** Marks when the SDK's stack hands the signed request to the HTTP handler and the handler has written it. */
function markStretch(client: BedrockRuntimeClient): void {
  const handler = client.config.requestHandler as { handle: (...args: unknown[]) => Promise<unknown> };
  const handle = handler.handle.bind(handler);
  const samples: number[] = [];
  stretches.set(client, samples);
  handler.handle = (...args) => {
    const result = handle(...args);
    samples.push(processCpuMicros() - sendStarted);
    return result;
  };
}

function processCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function call(variant: Variant): Promise<void> {
  sendStarted = processCpuMicros();
  const { stream } = await variant.client.send(variant.command());
  let stopped = false;
  for await (const event of stream!) if (event.messageStop) stopped = true;
  if (!stopped) throw new Error('no messageStop');
}

async function main(): Promise<void> {
  const usage = usageOf('npm run bench:model-call', FLAGS);
  const options = parseIntegerFlags(DEFAULTS, FLAGS, usage, {}, process.argv.slice(2));
  if (mainThreadCpuMicros() === undefined) throw new Error('needs Linux /proc schedstat');
  // Bundled beside this file by bench/model-call.bench.ts.
  const worker = new Worker(new URL('./bench-fake-bedrock-worker.mjs', import.meta.url));
  const arrivals: number[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    worker.on('message', (m: { url?: string; arrived?: number }) => {
      if (m.url) resolve(m.url);
      if (m.arrived !== undefined) arrivals.push(m.arrived);
    });
    worker.once('error', reject);
  });
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = url;
  // BENCH_ONLY=<n>: run only the n-th client (0-based), e.g. under --cpu-prof to see where one client's CPU goes.
  const only = process.env.BENCH_ONLY;
  const all = variants().filter((_, i) => only === undefined || String(i) === only);
  for (const v of all) markStretch(v.client);
  const cpu = new Map<string, number[]>(all.map((v) => [v.name, []]));
  const lastArrival = new Map<string, number[]>(all.map((v) => [v.name, []]));
  for (const v of all) for (let i = 0; i < 30; i++) await call(v); // JIT, credentials, endpoint caches
  const machine = machineInfo();
  console.log(
    `model-call bench — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, 1-minute load average ${machine.loadAverage}`,
  );
  console.log(
    `request body ${Buffer.byteLength(JSON.stringify(new ConverseStreamModel(all[0]!.client, MODEL_ID).body(request)))} bytes; ${options.calls} calls one after another and ${options.bursts} bursts of ${options.burst} per client and round, ${ROUNDS} rounds`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of round % 2 === 0 ? all : [...all].reverse()) {
      const before = mainThreadCpuMicros()!;
      if (round === 0) stretches.get(v.client)!.length = 0; // not the warm-up's
      for (let i = 0; i < options.calls; i++) await call(v);
      cpu.get(v.name)!.push((mainThreadCpuMicros()! - before) / options.calls / 1000);
      const sequential = stretches.get(v.client)!.length;
      for (let b = 0; b < options.bursts; b++) {
        arrivals.length = 0;
        const started = performance.timeOrigin + performance.now();
        await Promise.all(Array.from({ length: options.burst }, () => call(v)));
        await new Promise((resolve) => setTimeout(resolve, 5)); // the worker's last arrival message
        lastArrival.get(v.name)!.push(Math.max(...arrivals) - started);
      }
      stretches.get(v.client)!.length = sequential; // a burst's stretches overlap: only one-at-a-time calls count
    }
  }
  console.log('');
  console.log(
    '| client                     | CPU ms per call (main thread), per round | mean | send() → request written, CPU ms p50 | last of a burst reached the model, p50 / p90 ms |',
  );
  console.log(
    '| -------------------------- | ---------------------------------------: | ---: | -----------------------------------: | ----------------------------------------------: |',
  );
  for (const v of all) {
    const perRound = cpu.get(v.name)!;
    const mean = perRound.reduce((s, x) => s + x, 0) / perRound.length;
    const burst = summarize(lastArrival.get(v.name)!);
    const p90 = [...lastArrival.get(v.name)!].sort((a, b) => a - b)[Math.ceil(0.9 * burst.count) - 1]!;
    console.log(
      `| ${v.name.padEnd(26)} | ${perRound
        .map((x) => x.toFixed(2))
        .join(' / ')
        .padStart(
          40,
        )} | ${mean.toFixed(2).padStart(4)} | ${(summarize(stretches.get(v.client)!).p50 / 1000).toFixed(2).padStart(36)} | ${`${burst.p50.toFixed(1)} / ${p90.toFixed(1)}`.padStart(47)} |`,
    );
  }
  for (const v of all) v.client.destroy();
  await worker.terminate();
}

await main();
