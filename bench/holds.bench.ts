/**
 * Hold benchmark (SPEC §7: "a hold round trip through both tiers stays within a small factor of the raw DynamoDB
 * transaction"): the web tier's forms, the JSON API and raw TransactWriteItems. Not a test: it prints figures and ratios measured side by side in one run, and fails only when a
 * seat was double-booked or the harness itself broke. See docs/benchmarks.md.
 *
 *   npm run bench:holds -- [--clients 16] [--ops 3000] [--web-ops 1200] [--warmup-rounds 4] [--rounds 12]
 *                          [--holds-per-slot 50] [--max-seconds 240] [--sdk-serializer 0]
 */
import { traceDynamoCalls } from '../app/adapters/dynamodb/call-trace.js';
import { createDocumentClient } from '../app/adapters/dynamodb/client.js';
import { useOwnTransactionSerializer } from '../app/adapters/dynamodb/wire-transactions.js';
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { DR_INACTIVE } from '../app/booking/dr.js';
import { loadConfig } from '../app/config.js';
import { startApp, type RunningApp } from '../app/runtime.js';
import { prepareApiScenario } from './lib/api-scenario.js';
import { parseArgs, type BenchArgs } from './lib/args.js';
import { checkDoubleBookings } from './lib/double-booking.js';
import { mergePhases, runPhase, type PhaseResult, type PhaseRunner, type Scenario } from './lib/load.js';
import { machineInfo, type MachineInfo } from './lib/machine.js';
import { processCpuMs } from './lib/cpu.js';
import { roundRatioLines, type RoundFigures } from './lib/round-ratios.js';
import { PhaseCost } from './lib/phase-cost.js';
import { RawScenario } from './lib/raw-scenario.js';
import { run } from './lib/run.js';
import { WorkerScenario } from './lib/worker-scenario.js';
import { roundTripLines, RoundTripCounter } from './lib/round-trips.js';
import { doubleBookingLines, figuresOf, figuresTable, header, phaseLine, ratioLines } from './lib/report.js';

/** The same cheap parameters the tests use: signing up ~100 bench users must not dominate the run. */
const BENCH_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** Issue 6: API hold+confirm throughput at least this fraction of the raw two-transaction floor's. */
const GOAL_API_RAW = 0.6;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  useOwnTransactionSerializer(args.sdkSerializer === 0);
  console.log(
    `hold and confirm transactions serialised by ${args.sdkSerializer ? "the SDK's schema serialiser (--sdk-serializer 1)" : 'JSON.stringify (transaction-serializer.ts)'}`,
  );
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

/**
 * The bench's own process: the API and the web tier (in process, as before), the raw floor's SDK client, and the
 * worker threads of the API and web load generators, whose CPU each phase reports so it can be taken out.
 */
const NODE_PROCESS = 'Node process';

/** Safety net of one warm-up block: long enough that a loaded machine still does the block's attempts. */
const WARM_UP_BLOCK_MAX_MS = 60_000;

/** What a round runs: a scenario attempt by attempt in this thread, or one whose phases run in a worker. */
type Block = Scenario | PhaseRunner;

/** Attempts the warm-up rounds make of a scenario with `total` measured attempts (web: one block per `every` rounds). */
function warmUpAttempts(args: BenchArgs, total: number, every = 1): number {
  const blocks = Math.ceil(args.rounds / every);
  return Math.ceil(args.warmupRounds / every) * Math.ceil(total / blocks);
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
  const apiSetup = await prepareApiScenario({
    ...common,
    runId,
    totalAttempts: warmUpAttempts(args, args.ops) + args.ops,
  });
  // The browser's path: the web tier's hold and pay forms (CSRF, session cookie, 303s), web → API → DynamoDB.
  const webSetup =
    args.webOps > 0
      ? await prepareApiScenario({
          ...common,
          runId: `${runId}w`,
          totalAttempts: warmUpAttempts(args, args.webOps, 2) + args.webOps,
          entry: 'web',
          webUrl: app.webUrl!,
        })
      : undefined;
  // The HTTP clients of both run in worker threads: a real client runs elsewhere, so its CPU is neither on the API's
  // event loop nor counted as the API's (each phase reports its worker thread's CPU).
  const apiScenario = await WorkerScenario.start(apiSetup);
  const webScenario = webSetup ? await WorkerScenario.start(webSetup) : undefined;
  // Its own client from the app's factory: same SDK settings, but no connection pool shared with the API.
  const rawDb = createDocumentClient({ region: 'ap-northeast-2', endpoint });
  const rawScenario = new RawScenario(rawDb, api.tables.bookings, apiSetup.sellableSeats, runId, args.holdsPerSlot);
  console.log(
    header(machine, args, {
      sellable: apiSetup.sellableSeats.length,
      users: apiSetup.users.length + (webSetup?.users.length ?? 0),
    }),
  );

  const scenarios = { api: apiScenario, raw: rawScenario, web: webScenario };
  // Warm-up rounds of the measured rounds' shape before anything is measured: JIT (V8's and the JVM's), keep-alive
  // connections, DynamoDB Local's own warm-up. Printed, not counted.
  const warmUp = await rounds(args, scenarios, { count: args.warmupRounds, warmUp: true, jvmPid });

  // Every call the API's DynamoDB client sends during the measured rounds, attributed to the request it served.
  const roundTrips = new RoundTripCounter();
  const untrace = traceDynamoCalls(api.db, roundTrips.record);
  // CPU of each process and DynamoDB work per completed pair: is the JVM or the Node process the bottleneck?
  const cost = new PhaseCost({ 'DynamoDB Local JVM': jvmPid, [NODE_PROCESS]: process.pid });
  const unwatch = [cost.watch(api.db), cost.watch(rawDb)];
  roundTrips.recording = true;
  const measured = await rounds(args, scenarios, { count: args.rounds, warmUp: false, cost, jvmPid });
  const phases = measured.phases;
  roundTrips.recording = false;
  untrace();
  for (const stop of unwatch) stop();
  rawDb.destroy();
  const clients = await Promise.all([apiScenario, ...(webScenario ? [webScenario] : [])].map((c) => c.finish()));
  const a = figuresOf('API', mergePhases(phases.get(apiScenario)!));
  const b = figuresOf('raw', mergePhases(phases.get(rawScenario)!));
  const w = webScenario ? figuresOf('web', mergePhases(phases.get(webScenario)!)) : undefined;
  console.log(
    `\n${figuresTable(...(w ? [w] : []), a, b)}\n\n${roundRatioLines(measured.rounds, GOAL_API_RAW, warmUp.rounds)}\n` +
      `pooled over all rounds: ${ratioLines(a, b)}\n${w ? `${ratioLines(w, b)}\n${ratioLines(w, a)}\n` : ''}` +
      `${roundTripLines(roundTrips)}\n${cost.lines()}`,
  );
  for (const f of [w, a, b])
    for (const sample of f?.result.errorSamples ?? []) console.log(`  ${f!.name} error: ${sample}`);
  for (const message of appErrors.slice(0, 5)) console.log(`  app log: ${message}`);

  const check = await checkDoubleBookings(
    api,
    clients.flatMap((c) => c.slotsUsed),
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
 *
 * `warmUp` rounds have the same shape and the same attempts per block but are not measured (no cost attribution,
 * phases not kept): their figures are printed, marked "not counted", so a cold first round would show.
 */
async function rounds(
  args: BenchArgs,
  scenarios: { api: Block; raw: Block; web?: Block },
  options: { count: number; warmUp: boolean; cost?: PhaseCost; jvmPid: number | undefined },
): Promise<{ phases: Map<Block, PhaseResult[]>; rounds: RoundFigures[] }> {
  const { api, raw, web } = scenarios;
  const { count, warmUp, cost, jvmPid } = options;
  const all = [api, raw, ...(web ? [web] : [])];
  const phases = new Map<Block, PhaseResult[]>(all.map((s) => [s, []]));
  const figures: RoundFigures[] = [];
  const webBlocks = web ? Math.ceil(args.rounds / 2) : 0;
  // A warm-up block warms by the work it does, so it gets the generous cap the one-off warm-up always had; a measured
  // block gets its share of --max-seconds.
  const maxMs = warmUp ? WARM_UP_BLOCK_MAX_MS : (args.maxSeconds * 1000) / (args.rounds * 2 + webBlocks);
  // The remainder of a total over its blocks goes to the first blocks, so the totals are exactly --ops and --web-ops.
  // A warm-up round takes the first measured round's shares.
  const share = (total: number, blocks: number, block: number) =>
    Math.floor(total / blocks) + (block <= total % blocks ? 1 : 0);
  console.log(warmUp ? '\nwarm-up rounds (not counted):' : '\nmeasured rounds:');
  for (let round = 1; round <= count; round++) {
    const odd = round % 2 === 1;
    const order = odd ? [api, raw] : [raw, api, web];
    if (odd && round === count) order.push(web); // an odd number of rounds: the last web block closes it
    const jvmMsPerPair = new Map<Block, number>();
    const nodeMsPerPair = new Map<Block, { app: number; client: number }>();
    const opsPerSecond = new Map<Block, number>();
    const label = warmUp ? `w${round}` : round;
    for (const scenario of order) {
      if (!scenario) continue;
      const block = warmUp ? 1 : round;
      const attempts =
        scenario === web ? share(args.webOps, webBlocks, Math.ceil(block / 2)) : share(args.ops, args.rounds, block);
      const jvmBefore = processCpuMs(jvmPid);
      const nodeBefore = processCpuMs(process.pid);
      const options = { clients: args.clients, attempts, maxMs };
      const phase = () => ('runPhase' in scenario ? scenario.runPhase(options) : runPhase(scenario, options));
      const result = cost ? await cost.measure(scenario, phase) : await phase();
      const jvmAfter = processCpuMs(jvmPid);
      const nodeAfter = processCpuMs(process.pid);
      phases.get(scenario)!.push(result);
      const perPair = (before: number | undefined, after: number | undefined) =>
        before !== undefined && after !== undefined && result.completed > 0
          ? (after - before) / result.completed
          : Number.NaN;
      jvmMsPerPair.set(scenario, perPair(jvmBefore, jvmAfter));
      // The process's CPU less the load generator's own thread (the raw floor's client is this process's main
      // thread, so for raw the whole process is its client).
      const client = result.clientCpuMs ?? 0;
      nodeMsPerPair.set(scenario, {
        app: perPair(nodeBefore, nodeAfter === undefined ? undefined : nodeAfter - client),
        client: perPair(0, client),
      });
      opsPerSecond.set(scenario, result.elapsedMs > 0 ? result.completed / (result.elapsedMs / 1000) : Number.NaN);
      console.log(phaseLine(label, scenario.name, result));
    }
    figures.push({
      round: label,
      order: odd ? 'API raw' : 'raw API',
      apiOpsPerSecond: opsPerSecond.get(api)!,
      rawOpsPerSecond: opsPerSecond.get(raw)!,
      apiJvmMsPerPair: jvmMsPerPair.get(api)!,
      rawJvmMsPerPair: jvmMsPerPair.get(raw)!,
      apiNodeMsPerPair: nodeMsPerPair.get(api)!.app,
      apiClientMsPerPair: nodeMsPerPair.get(api)!.client,
      rawNodeMsPerPair: nodeMsPerPair.get(raw)!.app,
    });
  }
  return { phases, rounds: figures };
}

run(main);
