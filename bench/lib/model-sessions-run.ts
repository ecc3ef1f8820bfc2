/**
 * The model-sessions benchmark's measuring process (run from an esbuild bundle by bench/model-sessions.bench.ts,
 * which documents it).
 */
import type http2 from 'node:http2';
import { Worker } from 'node:worker_threads';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { ConverseStreamModel, createBedrockClient } from '../../app/adapters/bedrock/converse-stream-model.js';
import { preserializedInput, usePreserializedBodies } from '../../app/adapters/bedrock/preserialized-body.js';
import { SessionPoolHttp2Handler } from '../../app/adapters/bedrock/session-pool-handler.js';
import { ASSISTANT_REQUEST, BENCH_CREDENTIALS, BENCH_MODEL_ID } from './assistant-request.js';
import { parseIntegerFlags, usageOf } from './flags.js';
import { machineInfo } from './machine.js';
import { percentile } from './stats.js';

const FLAGS = {
  '--clients': 'clients',
  '--seconds': 'seconds',
  '--rounds': 'rounds',
  '--delay': 'delay',
  '--server-window': 'serverWindow',
} as const;
const DEFAULTS = { clients: 20, seconds: 5, rounds: 3, delay: 300, serverWindow: 0 };

interface Variant {
  readonly name: string;
  readonly client: BedrockRuntimeClient;
}

function withPreparedBody(handler: unknown): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    region: 'ap-northeast-2',
    maxAttempts: 1,
    credentials: BENCH_CREDENTIALS,
    requestHandler: handler as NodeHttp2Handler,
  });
  client.middlewareStack.remove('loggerMiddleware');
  usePreserializedBodies(client);
  return client;
}

/** The three ways of carrying model calls, all with the app's prepared body; only the HTTP/2 handler differs. */
function variants(): Variant[] {
  return [
    { name: 'one shared session', client: withPreparedBody(new SessionPoolHttp2Handler({}, 1)) },
    { name: 'session pool (the app)', client: createBedrockClient('ap-northeast-2', BENCH_CREDENTIALS) },
    { name: 'a session per call (SDK)', client: withPreparedBody(new NodeHttp2Handler()) },
  ];
}

/** Stamps each request with its client and the moment the SDK handed it on (the fake reports both back). */
function stamp(variant: Variant): void {
  variant.client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      headers['x-bench-client'] = variant.name;
      headers['x-bench-sent'] = String(performance.timeOrigin + performance.now());
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchStampMiddleware' },
  );
}

const model = new ConverseStreamModel(new BedrockRuntimeClient({ region: 'ap-northeast-2' }), BENCH_MODEL_ID);

async function firstEvent(client: BedrockRuntimeClient): Promise<number> {
  const started = performance.now();
  const input = preserializedInput(BENCH_MODEL_ID, model.bodyBytes(ASSISTANT_REQUEST));
  const { stream } = await client.send(new ConverseStreamCommand(input));
  let first: number | undefined;
  let stopped = false;
  for await (const event of stream!) {
    if (first === undefined && event.contentBlockDelta) first = performance.now() - started;
    if (event.messageStop) stopped = true;
  }
  if (first === undefined || !stopped) throw new Error('an answer without text or messageStop');
  return first;
}

/** The first live session of a pooled SDK handler: its settings and flow-control state (SDK internals, read-only). */
function firstSession(handler: unknown): http2.ClientHttp2Session | undefined {
  const lanes = (handler as { lanes?: { handler: unknown }[] }).lanes;
  const manager = (lanes?.[0]?.handler as { connectionManager?: { connectionPools: Map<string, unknown> } })
    ?.connectionManager;
  for (const pool of manager?.connectionPools.values() ?? []) {
    for (const ref of pool as Iterable<{ deref(): http2.ClientHttp2Session }>) return ref.deref();
  }
  return undefined;
}

const fmt = (xs: number[], p: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    p,
  ).toFixed(1);

async function main(): Promise<void> {
  const usage = usageOf('npm run bench:model-sessions', FLAGS);
  const options = parseIntegerFlags(DEFAULTS, FLAGS, usage, { delay: 0, serverWindow: 0 }, process.argv.slice(2));
  const worker = new Worker(new URL('./bench-fake-bedrock-timed-worker.mjs', import.meta.url), {
    env: {
      ...process.env,
      FAKE_DELAY_MS: String(options.delay),
      FAKE_CONNECTION_WINDOW: String(options.serverWindow),
    },
  });
  const arrivals = new Map<string, { headers: number[]; body: number[] }>();
  const url = await new Promise<string>((resolve, reject) => {
    worker.on('message', (m: { url?: string; client?: string; headers: number; body: number }) => {
      if (m.url) resolve(m.url);
      const seen = m.client && arrivals.get(m.client);
      if (seen) {
        seen.headers.push(m.headers);
        seen.body.push(m.body);
      }
    });
    worker.once('error', reject);
  });
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = url;
  const all = variants();
  for (const v of all) stamp(v);
  for (const v of all) for (let i = 0; i < 10; i++) await firstEvent(v.client); // JIT, credentials, endpoint
  for (const v of all) arrivals.set(v.name, { headers: [], body: [] });
  const machine = machineInfo();
  console.log(
    `model-sessions bench — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, 1-minute load average ${machine.loadAverage}`,
  );
  console.log(
    `${options.clients} callers back to back (each sends its next call as soon as the answer ends), fake answers after ${options.delay} ms, ` +
      `${options.seconds} s per client and round, ${options.rounds} rounds alternating; server connection window ${options.serverWindow || '65,535 (default)'} bytes`,
  );
  const ttft = new Map<string, number[]>(all.map((v) => [v.name, []]));
  const cpu = new Map<string, { ms: number; calls: number }>(all.map((v) => [v.name, { ms: 0, calls: 0 }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const v of round % 2 === 0 ? all : [...all].reverse()) {
      const end = performance.now() + options.seconds * 1000;
      const before = process.cpuUsage();
      let calls = 0;
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          while (performance.now() < end) {
            ttft.get(v.name)!.push((await firstEvent(v.client)) - options.delay);
            calls++;
          }
        }),
      );
      const used = process.cpuUsage(before);
      const total = cpu.get(v.name)!;
      total.ms += (used.user + used.system) / 1000;
      total.calls += calls;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // the worker's last reports
  const session = firstSession(all[0]!.client.config.requestHandler);
  if (session) {
    console.log(
      `one shared session: server's SETTINGS initialWindowSize ${session.remoteSettings.initialWindowSize}, maxConcurrentStreams ${session.remoteSettings.maxConcurrentStreams}; ` +
        `client's send window now ${session.state.remoteWindowSize} bytes`,
    );
  }
  const pool = all[1]!.client.config.requestHandler as unknown as SessionPoolHttp2Handler;
  console.log(`session pool: ${pool.laneCount} sessions opened`);
  console.log('');
  console.log(
    '| HTTP/2 sessions          | calls | added to first event p50 / p90 / p99 ms | body in transfer at the fake p50 / p90 / p99 ms | sent → headers at the fake p50 / p99 ms | caller CPU ms per call |',
  );
  console.log(
    '| ------------------------ | ----: | --------------------------------------: | ----------------------------------------------: | --------------------------------------: | ---------------------: |',
  );
  for (const v of all) {
    const t = ttft.get(v.name)!;
    const a = arrivals.get(v.name)!;
    const c = cpu.get(v.name)!;
    console.log(
      `| ${v.name.padEnd(24)} | ${String(t.length).padStart(5)} | ${`${fmt(t, 50)} / ${fmt(t, 90)} / ${fmt(t, 99)}`.padStart(39)} | ${`${fmt(a.body, 50)} / ${fmt(a.body, 90)} / ${fmt(a.body, 99)}`.padStart(47)} | ${`${fmt(a.headers, 50)} / ${fmt(a.headers, 99)}`.padStart(39)} | ${(c.ms / c.calls).toFixed(2).padStart(22)} |`,
    );
  }
  for (const v of all) v.client.destroy();
  await worker.terminate();
}

await main();
