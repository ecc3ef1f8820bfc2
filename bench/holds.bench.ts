/**
 * Hold benchmark (SPEC §7: "a hold round trip through both tiers stays within a small factor of the raw DynamoDB
 * transaction"): the web tier's forms, the JSON API and raw TransactWriteItems. Not a test: it prints figures and ratios measured side by side in one run, and fails only when a
 * seat was double-booked or the harness itself broke. See docs/benchmarks.md.
 *
 *   npm run bench:holds -- [--clients 16] [--ops 2000] [--warmup 400] [--rounds 4] [--holds-per-slot 50] [--max-seconds 160]
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
import { PhaseCost } from './lib/phase-cost.js';
import { RawScenario } from './lib/raw-scenario.js';
import { run } from './lib/run.js';
import { roundTripLines, RoundTripCounter } from './lib/round-trips.js';
import { doubleBookingLines, figuresOf, figuresTable, header, phaseLine, ratioLines } from './lib/report.js';

/** The same cheap parameters the tests use: signing up ~100 bench users must not dominate the run. */
const BENCH_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

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
  const common = {
    api,
    apiUrl: app.apiUrl!,
    totalAttempts: args.warmup + args.ops,
    clients: args.clients,
    holdsPerSlot: args.holdsPerSlot,
  };
  const apiScenario = await ApiScenario.create({ ...common, runId });
  // The browser's path: the web tier's hold and pay forms (CSRF, session cookie, 303s), web → API → DynamoDB.
  const webScenario = await ApiScenario.create({ ...common, runId: `${runId}w`, entry: 'web', webUrl: app.webUrl! });
  // Its own client from the app's factory: same SDK settings, but no connection pool shared with the API.
  const rawDb = createDocumentClient({ region: 'ap-northeast-2', endpoint });
  const rawScenario = new RawScenario(rawDb, api.tables.bookings, apiScenario.sellableSeats, runId, args.holdsPerSlot);
  console.log(
    header(machine, args, {
      sellable: apiScenario.sellableSeats.length,
      users: apiScenario.userCount + webScenario.userCount,
    }),
  );

  // Warm-up of both before anything is measured: JIT, keep-alive connections, DynamoDB Local's own warm-up.
  const unmeasured = { clients: args.clients, attempts: args.warmup, maxMs: 60_000 };
  for (const scenario of [webScenario, apiScenario, rawScenario]) await runPhase(scenario, unmeasured);

  // Every call the API's DynamoDB client sends during the measured rounds, attributed to the request it served.
  const roundTrips = new RoundTripCounter();
  const untrace = traceDynamoCalls(api.db, roundTrips.record);
  // CPU of each process and DynamoDB work per completed pair: is the JVM or the Node process the bottleneck?
  const cost = new PhaseCost({ 'DynamoDB Local JVM': jvmPid, 'Node (app + web + load generator)': process.pid });
  const unwatch = [cost.watch(api.db), cost.watch(rawDb)];
  roundTrips.recording = true;
  const phases = await measuredRounds(args, [webScenario, apiScenario, rawScenario], cost);
  roundTrips.recording = false;
  untrace();
  for (const stop of unwatch) stop();
  rawDb.destroy();
  const w = figuresOf('web', mergePhases(phases.get(webScenario)!));
  const a = figuresOf('API', mergePhases(phases.get(apiScenario)!));
  const b = figuresOf('raw', mergePhases(phases.get(rawScenario)!));
  console.log(
    `\n${figuresTable(w, a, b)}\n\n${ratioLines(a, b)}\n${ratioLines(w, b)}\n${ratioLines(w, a)}\n${roundTripLines(roundTrips)}\n${cost.lines()}`,
  );
  for (const f of [w, a, b]) for (const sample of f.result.errorSamples) console.log(`  ${f.name} error: ${sample}`);
  for (const message of appErrors.slice(0, 5)) console.log(`  app log: ${message}`);

  const check = await checkDoubleBookings(api, [...apiScenario.slotsUsed(), ...webScenario.slotsUsed()], {
    confirms: apiScenario.tally.confirms + webScenario.tally.confirms,
    confirmedSeats: apiScenario.tally.confirmedSeats + webScenario.tally.confirmedSeats,
  });
  console.log(`\n${doubleBookingLines(check)}`);
  const harnessBroken = w.result.errors + a.result.errors + b.result.errors > 0;
  return check.ok && !harnessBroken ? 0 : 1;
}

/**
 * Each round runs every scenario back to back, rotating which goes first, so slow drift (JVM heap growth, table size,
 * other work on the machine) lands on all of them instead of on whichever ran last.
 */
async function measuredRounds(
  args: BenchArgs,
  scenarios: readonly Scenario[],
  cost: PhaseCost,
): Promise<Map<Scenario, PhaseResult[]>> {
  const results = new Map<Scenario, PhaseResult[]>(scenarios.map((s) => [s, []]));
  const maxMs = (args.maxSeconds * 1000) / (args.rounds * scenarios.length);
  console.log('');
  for (let round = 1; round <= args.rounds; round++) {
    // The remainder of ops/rounds goes to the first rounds, so the totals are exactly --ops.
    const attempts = Math.floor(args.ops / args.rounds) + (round <= args.ops % args.rounds ? 1 : 0);
    const order = scenarios.map((_, i) => scenarios[(i + round - 1) % scenarios.length]!);
    for (const scenario of order) {
      const result = await cost.measure(scenario, () => runPhase(scenario, { clients: args.clients, attempts, maxMs }));
      results.get(scenario)!.push(result);
      console.log(phaseLine(round, scenario.name, result));
    }
  }
  return results;
}

run(main);
