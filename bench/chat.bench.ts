/**
 * Chat benchmark (issue 8; SPEC §7 "the assistant adds little to the model's own time-to-first-token"). Not a test:
 * it prints figures measured in one run, with the fake Bedrock endpoint (real wire protocol) playing the model.
 *
 *   npm run bench:chat -- [--clients 20] [--chats 200] [--rounds 4] [--delay 300]
 *
 * 1. Tokens: a scripted 9-message booking, its model calls' input tokens split into uncached, cache-write and
 *    cache-read as the fake's prompt-cache simulation reports them; cold (empty cache) and warm (prefix cached).
 * 2. Time to first token: the fake answers after a fixed delay; the model's own TTFT (the real SDK calling the fake
 *    directly) against the TTFT a browser sees through both tiers (web SSE relay → API → SDK → fake), both at the
 *    same concurrency, in alternating rounds. See docs/benchmarks.md.
 */
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { DR_INACTIVE } from '../app/booking/dr.js';
import { noMetrics } from '../app/assistant/metrics.js';
import { loadConfig } from '../app/config.js';
import { startApp, type RunningApp } from '../app/runtime.js';
import { MOONLIGHT } from '../test/support/builders.js';
import { FakeBedrock } from '../test/support/fake-bedrock.js';
import { machineInfo } from './lib/machine.js';
import { bookingTokens, type BookingTokens } from './lib/token-bench.js';

const BENCH_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

async function main(): Promise<void> {
  const machine = machineInfo();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let local: DynamoLocal | undefined;
  let app: RunningApp | undefined;
  const fake = await FakeBedrock.start();
  try {
    // The app finds the fake through the SDK's own conventions, exactly as it would find an emulator.
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
    process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
    console.log('starting DynamoDB Local, the fake Bedrock endpoint, the API and the web tier…');
    local = await startDynamoLocal();
    app = await startApp(
      loadConfig({
        MEGATICKET_ROLE: 'all',
        HOST: '127.0.0.1',
        API_PORT: '0',
        WEB_PORT: '0',
        TABLE_PREFIX: `benchchat-${runId}`,
        DYNAMODB_MODE: 'external',
        BOOTSTRAP_TABLES: 'true',
        LOG_LEVEL: 'silent',
        ASSISTANT_MODE: 'bedrock',
        ASSISTANT_CHAT_PER_USER_PER_MINUTE: '100000',
        ASSISTANT_CHAT_PER_IP_PER_MINUTE: '100000',
      }),
      {
        dynamoEndpoint: local.endpoint,
        scrypt: BENCH_SCRYPT,
        drState: { current: async () => DR_INACTIVE },
        log: () => {},
        assistantMetrics: noMetrics,
      },
    );
    const api = app.api!;
    const slots = (await api.catalog.listSchedules(MOONLIGHT))
      .filter((s) => s.startsAt > Date.now() + 3 * 86_400_000 && s.time >= '17:00')
      .filter((s) => new Date(`${s.date}T00:00:00Z`).getUTCDay() === 6)
      .sort((a, b) => a.startsAt - b.startsAt);
    const user = async (name: string) =>
      (await api.accounts.signup({ email: `${name}-${runId}@bench.example`, password: 'bench password 1' })).token;

    console.log(
      `\nmachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage}`,
    );
    const cold = await bookingTokens(app.apiUrl!, fake, await user('cold'), MOONLIGHT, slots[0]!.date);
    const warm = await bookingTokens(app.apiUrl!, fake, await user('warm'), MOONLIGHT, slots[1]!.date);
    report('cold (empty prompt cache: the first booking after 5 idle minutes)', cold);
    report('warm (the prefix is cached, as during any steady traffic)', warm);
  } finally {
    await app?.stop();
    await local?.stop();
    await fake.stop();
  }
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:chat failed:', error);
    process.exit(1);
  },
);
