/**
 * Chat benchmark (issue 8; SPEC §7 "the assistant adds little to the model's own time-to-first-token"). Not a test:
 * it prints figures measured in one run, with the fake Bedrock endpoint (real wire protocol) playing the model.
 *
 *   npm run bench:chat -- [--clients 20] [--messages 5] [--rounds 4] [--delay 300] [--tps 100] [--stagger 0]
 *
 * The API and the web tier run as two separate Node processes (as on their own instances in AWS), from an esbuild
 * bundle of app/main.ts with NODE_ENV=production, as the artifact runs; this process runs DynamoDB Local, the fake
 * endpoint and the load generator.
 *
 * 1. Tokens: a scripted 9-message booking, its model calls' input tokens split into uncached, cache-write and
 *    cache-read as the fake's prompt-cache simulation reports them; cold (empty cache) and warm (prefix cached).
 * 2. Time to first token: the fake answers after a fixed delay; the model's own TTFT (the real SDK calling the fake
 *    directly) against the TTFT a browser sees through both tiers (web SSE relay → API → SDK → fake), both at the
 *    same concurrency, in alternating rounds, under two workloads (bench/lib/chat-workloads.ts): answers of a
 *    realistic length streamed at `--tps` tokens/s (the headline figure), and the first, back-to-back short answers
 *    (a stress figure). See docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { loadConfig } from '../app/config.js';
import { addDays, kstDateOf, weekdayOf } from '../app/shared/time.js';
import { MOONLIGHT } from '../test/support/builders.js';
import { FakeBedrock } from '../test/support/fake-bedrock.js';
import { cpuMsOf, startRole, type AppProcess } from './lib/app-processes.js';
import { bundleApp } from './lib/bench-bundle.js';
import { BACK_TO_BACK, streamedAnswers } from './lib/chat-workloads.js';
import { parseIntegerFlags, usageOf } from './lib/flags.js';
import { machineInfo } from './lib/machine.js';
import { ratio } from './lib/stats.js';
import { bookingTokens, type BookingTokens } from './lib/token-bench.js';
import { timeToFirstToken, type TtftResult } from './lib/ttft-bench.js';
import { stageTable } from './lib/ttft-stages.js';
import { flushTtftMarks, TTFT_FLUSH_MS } from '../app/shared/ttft-trace.js';

const FLAGS = {
  '--clients': 'clients',
  '--messages': 'messages',
  '--rounds': 'rounds',
  '--delay': 'delay',
  '--tps': 'tps',
  '--stagger': 'stagger',
} as const;
/** `tps`: the fake model's output speed in the realistic workload, tokens per second (Claude Haiku 4.5: 100+). */
/** `stagger`: ms between the people's first messages of a phase (0: all at once, so their messages arrive in step). */
const DEFAULTS = { clients: 20, messages: 5, rounds: 4, delay: 300, tps: 100, stagger: 0 };
/** MT_TTFT_TRACE=<file>: every process marks each message's hops there, and the run prints where the time went. */
const TRACE_FILE = process.env.MT_TTFT_TRACE;
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret' };
/** Both roles run as deployed: compiled templates cached, no debug logging. */
// Production refuses to start without an admission key (the waiting room's HMAC key; SSM in AWS).
const PRODUCTION = {
  NODE_ENV: 'production',
  AWS_REGION: 'ap-northeast-2',
  ADMISSION_KEY: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'silent',
};

async function main(): Promise<void> {
  const args = parseIntegerFlags(
    { ...DEFAULTS },
    FLAGS,
    usageOf('npm run bench:chat', FLAGS),
    { stagger: 0 },
    process.argv.slice(2),
  );
  const machine = machineInfo();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let local: DynamoLocal | undefined;
  let api: AppProcess | undefined;
  let web: AppProcess | undefined;
  /** The API's EMF `TimeToFirstToken` of each model call, as its stdout reports them. */
  const apiModelTtft: number[] = [];
  if (TRACE_FILE) writeFileSync(TRACE_FILE, '');
  const fake = await FakeBedrock.start();
  // The baseline client in this process finds the fake the same way the API process does.
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
  try {
    console.log('bundling the app; starting DynamoDB Local, the fake Bedrock endpoint, the API and web processes…');
    const [bundle, started] = await Promise.all([bundleApp(), startDynamoLocal()]);
    local = started;
    api = await startRole(
      'api',
      {
        ...PRODUCTION,
        ...CREDENTIALS,
        API_PORT: '0',
        // The app finds the fake through the SDK's own convention, exactly as it would find an emulator.
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        DYNAMODB_MODE: 'external',
        BOOTSTRAP_TABLES: 'true',
        TABLE_PREFIX: `benchchat-${runId}`,
        DR_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'benchchat-')), 'dr.json'),
        ASSISTANT_MODE: 'bedrock',
        ASSISTANT_CHAT_PER_USER_PER_MINUTE: '100000',
        ASSISTANT_CHAT_PER_IP_PER_MINUTE: '100000',
      },
      bundle,
      (line) => {
        const ttft = /"TimeToFirstToken":(\d+)/.exec(line);
        if (ttft) apiModelTtft.push(Number(ttft[1]));
      },
    );
    web = await startRole(
      'web',
      // Production refuses a web tier without a CSRF key; on one machine a direct key stands in for the secret.
      { ...PRODUCTION, API_URL: api.url, WEB_PORT: '0', WEB_CSRF_SECRET: `bench-csrf-key-${runId}`.padEnd(32, '0') },
      bundle,
    );

    console.log(
      `\nmachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage}`,
    );
    const [first, second] = saturdays(2);
    const cold = await bookingTokens(api.url, fake, await signUp(api.url, `cold-${runId}`), MOONLIGHT, first!);
    const warm = await bookingTokens(api.url, fake, await signUp(api.url, `warm-${runId}`), MOONLIGHT, second!);
    report('cold (empty prompt cache: the first booking after 5 idle minutes)', cold);
    report('warm (the prefix is cached, as during any steady traffic)', warm);

    for (const workload of [streamedAnswers(args.tps), BACK_TO_BACK]) {
      console.log(
        `\n### Time to first token, ${workload.name}: ${args.clients} concurrent chats × ${args.messages} messages × ` +
          `${args.rounds} rounds per side; the fake answers after ${args.delay} ms; ${workload.description}\n`,
      );
      const ttft = await timeToFirstToken({
        webUrl: web.url,
        fake,
        modelId: loadConfig({}).assistant.primaryModelId,
        clients: args.clients,
        messages: args.messages,
        rounds: args.rounds,
        delayMs: args.delay,
        workload,
        apiModelTtft: () => apiModelTtft.splice(0),
        staggerMs: args.stagger,
        cpu: {
          web: () => web!.cpuMs(),
          api: () => api!.cpuMs(),
          'DynamoDB Local': () => cpuMsOf(local!.pid!),
          'load generator + fake': () => cpuMsOf(process.pid),
        },
      });
      reportTtft(ttft);
      if (TRACE_FILE) {
        flushTtftMarks(); // and the web's and the API's reach the file within TTFT_FLUSH_MS
        await new Promise((resolve) => setTimeout(resolve, 3 * TTFT_FLUSH_MS));
        console.log(`\nwhere the time went, per hop (MT_TTFT_TRACE):\n\n${stageTable(TRACE_FILE, ttft.traced)}`);
      }
    }
  } finally {
    await web?.stop();
    await api?.stop();
    await local?.stop();
    await fake.stop();
  }
}

/** Saturdays at least 3 days ahead (KST): Moonlight Garden plays Saturday evenings. */
function saturdays(count: number): string[] {
  let day = addDays(kstDateOf(Date.now()), 3);
  while (weekdayOf(day) !== 6) day = addDays(day, 1);
  return Array.from({ length: count }, (_, i) => addDays(day, 7 * i));
}

let people = 0;
async function signUp(apiUrl: string, name: string): Promise<string> {
  const response = await fetch(new URL('/v1/auth/signup', apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.66.0.${++people}` },
    body: JSON.stringify({ email: `${name}@bench.example`, password: 'bench password 1' }),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

function report(title: string, b: BookingTokens): void {
  console.log(`\n### Tokens of a scripted 9-message booking, ${title}\n`);
  console.log('| message | tools | uncached | cache write | cache read | output |');
  console.log('| ------: | ----- | -------: | ----------: | ---------: | -----: |');
  for (const c of b.calls) {
    console.log(
      `| ${c.message} | ${c.tools || '–'} | ${c.inputTokens} | ${c.cacheWriteInputTokens} | ${c.cacheReadInputTokens} | ${c.outputTokens} |`,
    );
  }
  console.log(
    `\n${b.calls.length} model calls; input: uncached ${b.uncached}, cache write ${b.write}, cache read ${b.read} ` +
      `(${b.withoutCache} without cache points); output ${b.output}; seats held: ${b.held ? 'yes' : 'NO'}`,
  );
  console.log(
    `token equivalents = ${b.uncached} + 1.25 × ${b.write} + 0.1 × ${b.read} = ${b.equivalents} ` +
      `(goal ≤ 10,000; the earlier system: about 24,300 uncached)`,
  );
}

function reportTtft(t: TtftResult): void {
  for (const line of t.phases) console.log(line);
  const row = (name: string, s: TtftResult['model']) =>
    `| ${name} | ${s.count} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} |`;
  console.log('\n| time to first token | samples | p50 ms | p95 ms | p99 ms | max ms |');
  console.log('| ------------------- | ------: | -----: | -----: | -----: | -----: |');
  console.log(row("model's own (SDK → fake)", t.model));
  console.log(row('through both tiers (browser → web SSE → API → SDK → fake)', t.app));
  if (t.apiModel) console.log(row("of which the API's model call (its SDK → fake, EMF TimeToFirstToken)", t.apiModel));
  const processes = Object.keys(t.cpuPerAnswer.app);
  console.log(`\n| CPU ms per answer | ${processes.join(' | ')} |`);
  console.log(`| ----------------- | ${processes.map(() => '---:').join(' | ')} |`);
  for (const side of ['model', 'app'] as const) {
    console.log(`| ${side} phases | ${processes.map((p) => t.cpuPerAnswer[side][p]!.toFixed(1)).join(' | ')} |`);
  }
  console.log(
    `\nextra time to first token added by the app: p50 ${(t.app.p50 - t.model.p50).toFixed(1)} ms, ` +
      `p99 ${(t.app.p99 - t.model.p99).toFixed(1)} ms (goal p99 ≤ 25 ms); ` +
      `ratio app/model p50 ${ratio(t.app.p50, t.model.p50).toFixed(3)}×, p99 ${ratio(t.app.p99, t.model.p99).toFixed(3)}×`,
  );
  if (t.apiModel) {
    // Where the added time sits: the model call itself running slower inside the busy API process, or the tiers
    // around it (the web route, the API route up to the model call, and the first text's way back to the browser).
    console.log(
      `of which the API's model call vs the model's own: p50 ${(t.apiModel.p50 - t.model.p50).toFixed(1)} ms, ` +
        `p99 ${(t.apiModel.p99 - t.model.p99).toFixed(1)} ms; the tiers around it: ` +
        `p50 ${(t.app.p50 - t.apiModel.p50).toFixed(1)} ms, p99 ${(t.app.p99 - t.apiModel.p99).toFixed(1)} ms`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:chat failed:', error);
    process.exit(1);
  },
);
