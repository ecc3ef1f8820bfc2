/**
 * Hold benchmark (SPEC §7: "a hold round trip through both tiers stays within a small factor of the raw DynamoDB
 * transaction"): the web tier's forms, the JSON API and raw TransactWriteItems. Not a test: it prints figures and ratios measured side by side in one run, and fails only when a
 * seat was double-booked or the harness itself broke. See docs/benchmarks.md.
 *
 *   npm run bench:holds -- [--clients 16] [--ops 3000] [--web-ops 1200] [--warmup 400] [--rounds 12]
 *                          [--holds-per-slot 50] [--max-seconds 240]
 */
import { traceDynamoCalls } from '../app/adapters/dynamodb/call-trace.js';
import { createDocumentClient } from '../app/adapters/dynamodb/client.js';
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { DR_INACTIVE } from '../app/booking/dr.js';
import { loadConfig } from '../app/config.js';
import { startApp, type RunningApp } from '../app/runtime.js';
import { ApiScenario } from './lib/api-scenario.js';
import { parseArgs, type BenchArgs } from './lib/args.js';
import { checkDoubleBookings } from './lib/double-booking.js';
import { mergePhases, runPhase, type PhaseResult, type Scenario } from './lib/load.js';
import { machineInfo, type MachineInfo } from './lib/machine.js';
import { processCpuMs } from './lib/cpu.js';
import { roundRatioLines, type RoundFigures } from './lib/round-ratios.js';
import { PhaseCost } from './lib/phase-cost.js';
import { RawScenario } from './lib/raw-scenario.js';
import { run } from './lib/run.js';
import { roundTripLines, RoundTripCounter } from './lib/round-trips.js';
import { doubleBookingLines, figuresOf, figuresTable, header, phaseLine, ratioLines } from './lib/report.js';

/** The same cheap parameters the tests use: signing up ~100 bench users must not dominate the run. */
const BENCH_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** Issue 6: API hold+confirm throughput at least this fraction of the raw two-transaction floor's. */
const GOAL_API_RAW = 0.6;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo(); // before anything starts, so the load average shows only what else is running
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const appErrors: string[] = [];
  let local: DynamoLocal | undefined;
  let app: RunningApp | undefined;
  try {
    console.log('starting DynamoDB Local, the API and the web tier…');
    local = await startDynamoLocal();
    app = await startApp(
      loadConfig({
        MEGATICKET_ROLE: 'all',
        HOST: '127.0.0.1',
        API_PORT: '0',
        WEB_PORT: '0',
        TABLE_PREFIX: `bench-${runId}`,
        DYNAMODB_MODE: 'external',
        BOOTSTRAP_TABLES: 'true',
        LOG_LEVEL: 'silent',
      }),
      {
        dynamoEndpoint: local.endpoint,
        scrypt: BENCH_SCRYPT,
        // Pinned inactive: a developer's local `npm run dr` state file must not change what is measured.
        drState: { current: async () => DR_INACTIVE },
        log: (message, error) => appErrors.push(`${message} ${String(error ?? '')}`),
      },
    );
    return await benchmark({ args, machine, runId, app, endpoint: local.endpoint, jvmPid: local.pid, appErrors });
  } finally {
    await app?.stop();
    await local?.stop();
  }
}

interface BenchContext {
  readonly args: BenchArgs;
  readonly machine: MachineInfo;
  readonly runId: string;
  readonly app: RunningApp;
  readonly endpoint: string;
  /** DynamoDB Local's JVM, whose CPU per pair the run reports. */
  readonly jvmPid?: number;
  /** What the app logged (unexpected errors only, at LOG_LEVEL=silent); printed, never swallowed. */
  readonly appErrors: readonly string[];
}

async function benchmark({ args, machine, runId, app, endpoint, jvmPid, appErrors }: BenchContext): Promise<number> {
  const api = app.api!;
  const common = { api, apiUrl: app.apiUrl!, clients: args.clients, holdsPerSlot: args.holdsPerSlot };
  const apiScenario = await ApiScenario.create({ ...common, runId, totalAttempts: args.warmup + args.ops });
  // The browser's path: the web tier's hold and pay forms (CSRF, session cookie, 303s), web → API → DynamoDB.
  const webScenario =
    args.webOps > 0
      ? await ApiScenario.create({
          ...common,
          runId: `${runId}w`,
          totalAttempts: args.warmup + args.webOps,
          entry: 'web',
          webUrl: app.webUrl!,
        })
      : undefined;
  // Its own client from the app's factory: same SDK settings, but no connection pool shared with the API.
  const rawDb = createDocumentClient({ region: 'ap-northeast-2', endpoint });
  const rawScenario = new RawScenario(rawDb, api.tables.bookings, apiScenario.sellableSeats, runId, args.holdsPerSlot);
  console.log(
    header(machine, args, {
      sellable: apiScenario.sellableSeats.length,
      users: apiScenario.userCount + (webScenario?.userCount ?? 0),
    }),
  );

  // Warm-up of each before anything is measured: JIT, keep-alive connections, DynamoDB Local's own warm-up.
  const unmeasured = { clients: args.clients, attempts: args.warmup, maxMs: 60_000 };
  for (const scenario of [webScenario, apiScenario, rawScenario]) if (scenario) await runPhase(scenario, unmeasured);

  // Every call the API's DynamoDB client sends during the measured rounds, attributed to the request it served.
  const roundTrips = new RoundTripCounter();
  const untrace = traceDynamoCalls(api.db, roundTrips.record);
  // CPU of each process and DynamoDB work per completed pair: is the JVM or the Node process the bottleneck?
  const cost = new PhaseCost({ 'DynamoDB Local JVM': jvmPid, 'Node (app + web + load generator)': process.pid });
  const unwatch = [cost.watch(api.db), cost.watch(rawDb)];
  roundTrips.recording = true;
  const { phases, rounds } = await measuredRounds(
    args,
    { api: apiScenario, raw: rawScenario, web: webScenario },
    cost,
    jvmPid,
  );
  roundTrips.recording = false;
  untrace();
  for (const stop of unwatch) stop();
  rawDb.destroy();
  const a = figuresOf('API', mergePhases(phases.get(apiScenario)!));
  const b = figuresOf('raw', mergePhases(phases.get(rawScenario)!));
  const w = webScenario ? figuresOf('web', mergePhases(phases.get(webScenario)!)) : undefined;
  console.log(
    `\n${figuresTable(...(w ? [w] : []), a, b)}\n\n${roundRatioLines(rounds, GOAL_API_RAW)}\n` +
      `pooled over all rounds: ${ratioLines(a, b)}\n${w ? `${ratioLines(w, b)}\n${ratioLines(w, a)}\n` : ''}` +
      `${roundTripLines(roundTrips)}\n${cost.lines()}`,
  );
  for (const f of [w, a, b])
    for (const sample of f?.result.errorSamples ?? []) console.log(`  ${f!.name} error: ${sample}`);
  for (const message of appErrors.slice(0, 5)) console.log(`  app log: ${message}`);

  const clients = [apiScenario, ...(webScenario ? [webScenario] : [])];
  const check = await checkDoubleBookings(
    api,
    clients.flatMap((c) => c.slotsUsed()),
    {
      confirms: clients.reduce((s, c) => s + c.tally.confirms, 0),
      confirmedSeats: clients.reduce((s, c) => s + c.tally.confirmedSeats, 0),
      unanswered: clients.flatMap((c) => c.tally.unanswered),
    },
  );
  console.log(`\n${doubleBookingLines(check)}`);
  const harnessBroken = [w, a, b].some((f) => (f?.result.errors ?? 0) > 0);
  return check.ok && !harnessBroken ? 0 : 1;
}

/**
 * Short rounds, each with the API and the raw floor back to back (which goes first alternates), so drift and noise
 * land on both sides of every round's ratio. The web scenario runs after every second round (… raw API web | API raw
 * | raw API web …), so two API blocks are never further apart than two raw blocks or one web block: a few seconds,
 * inside the session cache's window, as for a user who keeps using the site (docs/benchmarks.md).
 */
async function measuredRounds(
  args: BenchArgs,
  scenarios: { api: Scenario; raw: Scenario; web?: Scenario },
  cost: PhaseCost,
  jvmPid: number | undefined,
): Promise<{ phases: Map<Scenario, PhaseResult[]>; rounds: RoundFigures[] }> {
  const { api, raw, web } = scenarios;
  const all = [api, raw, ...(web ? [web] : [])];
  const phases = new Map<Scenario, PhaseResult[]>(all.map((s) => [s, []]));
  const rounds: RoundFigures[] = [];
  const webBlocks = web ? Math.ceil(args.rounds / 2) : 0;
  const maxMs = (args.maxSeconds * 1000) / (args.rounds * 2 + webBlocks);
  // The remainder of a total over its blocks goes to the first blocks, so the totals are exactly --ops and --web-ops.
  const share = (total: number, blocks: number, block: number) =>
    Math.floor(total / blocks) + (block <= total % blocks ? 1 : 0);
  console.log('');
  for (let round = 1; round <= args.rounds; round++) {
    const odd = round % 2 === 1;
    const order = odd ? [api, raw] : [raw, api, web];
    if (odd && round === args.rounds) order.push(web); // an odd number of rounds: the last web block closes it
    const jvmMsPerPair = new Map<Scenario, number>();
    const opsPerSecond = new Map<Scenario, number>();
    for (const scenario of order) {
      if (!scenario) continue;
      const attempts =
        scenario === web ? share(args.webOps, webBlocks, Math.ceil(round / 2)) : share(args.ops, args.rounds, round);
      const jvmBefore = processCpuMs(jvmPid);
      const result = await cost.measure(scenario, () => runPhase(scenario, { clients: args.clients, attempts, maxMs }));
      const jvmAfter = processCpuMs(jvmPid);
      phases.get(scenario)!.push(result);
      jvmMsPerPair.set(
        scenario,
        jvmBefore !== undefined && jvmAfter !== undefined && result.completed > 0
          ? (jvmAfter - jvmBefore) / result.completed
          : Number.NaN,
      );
      opsPerSecond.set(scenario, result.elapsedMs > 0 ? result.completed / (result.elapsedMs / 1000) : Number.NaN);
      console.log(phaseLine(round, scenario.name, result));
    }
    rounds.push({
      round,
      order: odd ? 'API raw' : 'raw API',
      apiOpsPerSecond: opsPerSecond.get(api)!,
      rawOpsPerSecond: opsPerSecond.get(raw)!,
      apiJvmMsPerPair: jvmMsPerPair.get(api)!,
      rawJvmMsPerPair: jvmMsPerPair.get(raw)!,
    });
  }
  return { phases, rounds };
}

run(main);
