/**
 * The admission gate's cost per hold (issue 10: ≤ 50 µs CPU, ≤ 1 ms p99, no extra DynamoDB call), measured with and
 * without the gate in one process: holds on a performance sold through a waiting room (token verified in memory, the
 * admission's condition and count riding in the hold's TransactWriteItems) and on the same performance sold without
 * one, every comparison paired and alternating so both kinds see the same moments of a shared machine.
 *
 * 1. Against DynamoDB Local (the real emulator, one JVM on the same two cores): every hold by its own account on its
 *    own seat, in alternating blocks. Per hold: this process's CPU, wall time, every DynamoDB call by table; per block:
 *    the JVM's CPU (all its threads). This is the honest end-to-end figure, emulator included.
 * 2. The app's own added CPU: the same composition with DynamoDB answered at once by an in-process stub (so neither
 *    the emulator nor the network is in the figure), hundreds of paired rounds, CPU per batch of the process and of
 *    its main thread alone (V8's background GC and compiler threads are noise there); mean difference and 95 %
 *    interval.
 * 3. The app's own added latency: the stub answers after a fixed delay (a stand-in for DynamoDB's round trip, which
 *    does not depend on the gate), so what differs is the app's work on the critical path; p50/p99 and their
 *    differences with a bootstrap interval, judged on each hold minus its wait inside the stub (the timer's jitter is
 *    the same for both kinds but widens a p99 interval that includes it; the whole hold is printed too).
 * 4. What one more transaction item costs, scaled ×10: the gated hold's own transaction with ten more admission items,
 *    serialised by `JSON.stringify` (now) and by the SDK's schema serialiser (before); the hold's transaction per send
 *    along every lever taken so far.
 * 5. The gate's pieces: the check (`admissionFor`) and the extra transaction item in tight loops (hot), and the check
 *    right after a hold (cold caches, as the hold path meets it).
 */
import { performance } from 'node:perf_hooks';
import { createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { composeApi, type ComposedApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { demoPerformances, demoVenues, sellableSeats, type Performance } from '../../app/catalog/index.js';
import { DR_INACTIVE } from '../../app/booking/dr.js';
import { ManualClock, systemClock } from '../../app/shared/clock.js';
import { kstDateOf } from '../../app/shared/time.js';
import { admissionHoldWireItem } from '../../app/adapters/dynamodb/queue-conditions.js';
import { toWireTransactItem, type DocumentTransactItem } from '../../app/adapters/dynamodb/attribute-values.js';
import { createDynamoClient } from '../../app/adapters/dynamodb/client.js';
import { sendWireTransaction, useOwnTransactionSerializer } from '../../app/adapters/dynamodb/wire-transactions.js';
import { HmacSha256Check } from '../../app/queue/hmac-sha256.js';
import type { AdmissionGate } from '../../app/booking/ports.js';
import { formatGateParts, measureGateParts, type GateParts } from './gate-parts.js';
import { pairedMeanDifference, percentileDifference, verdict, type Interval } from './paired.js';
import { summarize, type LatencySummary } from './stats.js';
import { mainThreadCpuMicros, processThreadsCpuMicros } from './thread-cpu.js';

/** The goals for the gate, per hold. */
export const GATE_GOALS = { cpuMicros: 50, p99Ms: 1, extraCalls: 0 } as const;

/** Both kinds of hold side by side: the mean (or a percentile) of each and the gate's addition with its interval. */
export interface SideBySide {
  readonly gated: number;
  readonly plain: number;
  readonly added: Interval;
}

export interface GateCost {
  /** Against DynamoDB Local: end to end, the emulator included. */
  readonly local: {
    readonly holds: number;
    readonly blockSize: number;
    readonly cpuMicros: { readonly gated: LatencySummary; readonly plain: LatencySummary };
    /** This process's CPU per hold, paired by block. */
    readonly cpuAdded: Interval;
    /** DynamoDB Local's JVM, CPU µs per hold (all its threads), paired by block; undefined without /proc. */
    readonly jvmMicros?: SideBySide;
    readonly latencyMs: { readonly gated: LatencySummary; readonly plain: LatencySummary };
    readonly p50Added: Interval;
    readonly p99Added: Interval;
    /** DynamoDB commands per hold, by name and table (`TransactWriteItems transaction: 1`, …), for each kind. */
    readonly callsPerHold: { readonly gated: Record<string, number>; readonly plain: Record<string, number> };
  };
  /**
   * DynamoDB answered at once by an in-process stub: the app's own CPU per hold, as it runs now (the transactions
   * serialised by `JSON.stringify`, transaction-serializer.ts), and with `sdkSerializer` in the same rounds with the
   * SDK's schema serialiser (before): the gate's addition under each, and what our serialiser saves per hold of each
   * kind (undefined when not asked for: those kinds halve the rounds that the verdict rests on in the same time).
   */
  readonly stubbed: {
    readonly rounds: number;
    readonly holdsPerRound: number;
    readonly process: SideBySide;
    /** The main thread alone (no V8 background threads); undefined without /proc. */
    readonly mainThread?: SideBySide;
    readonly sdkSerializer?: { readonly process: SideBySide; readonly mainThread?: SideBySide };
    /** CPU per hold saved by our serialiser (SDK's − ours), paired by round. */
    readonly serializerSaves?: {
      readonly process: Record<Kind, Interval>;
      readonly mainThread?: Record<Kind, Interval>;
    };
  };
  /** The stub answering after `delayMs`: the app's share of a hold's latency. */
  readonly stubbedLatency: {
    readonly delayMs: number;
    readonly holds: number;
    /** Whole hold, the stub's wait included (timer jitter of the wait lands in the tail of both kinds). */
    readonly gated: LatencySummary;
    readonly plain: LatencySummary;
    readonly p50Added: Interval;
    readonly p99Added: Interval;
    /** The hold minus the time spent waiting inside the stub: what the app itself puts on the critical path. */
    readonly app: {
      readonly gated: LatencySummary;
      readonly plain: LatencySummary;
      readonly p50Added: Interval;
      readonly p99Added: Interval;
    };
  };
  /**
   * One more transaction item, scaled so a shared machine cannot hide it: the hold's own transaction sent through our
   * DynamoDB client (stubbed) without and with ten more admission items, by our serialiser and by the SDK's; paired
   * rounds, per item.
   */
  readonly sdk: {
    readonly rounds: number;
    readonly transactionMicros: number;
    /** One more item as the hold path sends it now (our serialiser). */
    readonly perItem: Interval;
    /** One more item through the same path with the SDK's schema serialiser (before). */
    readonly perItemSdkSerializer: Interval;
  };
  /**
   * The levers on the SDK's share of every hold (gated or not), CPU µs per send of the gated hold's transaction:
   * through the document client as before, in wire form, in wire form with the stack resolved once (now), and through
   * a client with the SDK's `cacheMiddleware`; the savings paired.
   */
  readonly paths: {
    readonly rounds: number;
    readonly items: number;
    readonly document: number;
    readonly wire: number;
    readonly reused: number;
    readonly sdkCached: number;
    /** Wire form, the stack resolved once, serialised by `JSON.stringify` (now). */
    readonly own: number;
    readonly wireSaves: Interval;
    readonly reuseSaves: Interval;
    readonly ownSaves: Interval;
    readonly totalSaves: Interval;
    readonly reusedVsSdk: Interval;
  };
  /** The gate's own work: the check and the extra transaction item in tight loops, and the check after a hold. */
  readonly pieces: {
    readonly checkHot: number;
    readonly itemHot: number;
    /** Medians right after a hold (caches cold): the whole check, and the token's MAC by `createHmac` and by now. */
    readonly cold: { readonly check: number; readonly macCreateHmac: number; readonly macJavaScript: number };
  };
  /** Where the gate's CPU goes: in situ (paired kinds) and piece by piece on cold caches (gate-parts.ts). */
  readonly parts?: GateParts;
}

const DAY = 24 * 60 * 60 * 1000;
const KINDS = ['gated', 'plain'] as const;
type Kind = (typeof KINDS)[number];
/** ABBA: the kind that goes first alternates, so neither always inherits the other's garbage or warm caches. */
const orderOf = (i: number): readonly Kind[] => (i % 2 === 0 ? KINDS : ['plain', 'gated']);

export async function measureGateCost(options: {
  endpoint: string;
  tablePrefix: string;
  holds: number;
  /** Stubbed holds of each kind for the latency comparison (its p99 needs many pairs to be resolved). */
  latencyHolds: number;
  /** Paired rounds of the stubbed CPU comparison (20 holds of each kind per round): more rounds, a narrower interval. */
  cpuRounds: number;
  /** Whether the CPU rounds also run both kinds with the SDK's schema serialiser (the seventh look's comparison). */
  sdkSerializerRounds: boolean;
  /** Paired rounds of the parts measurement (20 holds of each of four kinds per round); 0 skips it. */
  partsRounds: number;
  /** DynamoDB Local's JVM, whose CPU per hold is read from /proc. */
  jvmPid?: number;
  log: (line: string) => void;
}): Promise<GateCost> {
  const config = loadConfig({
    DYNAMODB_MODE: 'external',
    TABLE_PREFIX: options.tablePrefix,
    AWS_REGION: 'ap-northeast-2',
    LOG_LEVEL: 'silent',
  });
  const admissionKey = randomBytes(32);
  const api = composeApi({
    config,
    clock: systemClock,
    dynamoEndpoint: options.endpoint,
    drState: { current: async () => DR_INACTIVE },
    admissionKey,
    log: () => {},
  });
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const now = Date.now();
  const template = demoPerformances(kstDateOf(now), now).find((p) => p.onSale?.queue)!;
  const venue = demoVenues.find((v) => v.id === template.venueId)!;
  const gatedPerformance: Performance = {
    ...template,
    id: `perf-gate-${run}`,
    onSale: { ...template.onSale!, preQueueOpensAt: now - 2 * 60_000, opensAt: now - 60_000, admitPerMinute: 60_000 },
  };
  const plainPerformance: Performance = { ...template, id: `perf-plain-${run}`, onSale: undefined };
  const slot = (performanceId: string) => ({
    id: `${performanceId}-slot`,
    performanceId,
    startsAt: now + 30 * DAY,
    date: kstDateOf(now + 30 * DAY),
    time: '19:30',
    casting: [],
    status: 'ON_SALE' as const,
  });
  await api.dynamoCatalog.put({
    venues: [venue],
    performances: [gatedPerformance, plainPerformance],
    schedules: [slot(gatedPerformance.id), slot(plainPerformance.id)],
  });
  const seats = sellableSeats(template, venue)
    .map((s) => s.seat.id)
    .slice(0, options.holds);
  if (seats.length < options.holds) throw new Error(`the venue has only ${seats.length} seats`);

  // Admit one account per gated hold: join, let the writer release them (60,000/min), claim.
  const users = seats.map((_, i) => `gate-${run}-${i}`);
  for (let i = 0; i < users.length; i += 100) {
    await Promise.all(users.slice(i, i + 100).map((u) => api.queue.join(u, gatedPerformance.id)));
  }
  const tokens = new Map<string, string>();
  while (tokens.size < users.length) {
    await sleep(1_000);
    await api.queue.tick(gatedPerformance.id);
    for (let i = 0; i < users.length; i += 100) {
      await Promise.all(
        users.slice(i, i + 100).map(async (u) => {
          if (tokens.has(u)) return;
          const grant = await api.queue.claim(u, gatedPerformance.id).catch(() => undefined);
          if (grant) tokens.set(u, grant.token);
        }),
      );
    }
    options.log(`  gate: ${tokens.size} of ${users.length} accounts admitted`);
  }

  const calls: string[] = [];
  api.db.middlewareStack.add(
    (next, context) => async (args) => {
      const table = (args.input as { TableName?: string }).TableName ?? 'transaction';
      calls.push(
        `${String(context.commandName).replace(/Command$/, '')} ${table.slice(options.tablePrefix.length + 1)}`,
      );
      return next(args);
    },
    { step: 'initialize', name: 'gateCostCalls' },
  );

  // 1. Against DynamoDB Local, in alternating blocks (the JVM's CPU is read per block, outside the holds).
  options.log('  gate: against DynamoDB Local…');
  const blockSize = 10;
  const samples = {
    gated: { cpu: [] as number[], ms: [] as number[] },
    plain: { cpu: [] as number[], ms: [] as number[] },
  };
  const perBlock = {
    gated: { cpu: [] as number[], jvm: [] as number[] },
    plain: { cpu: [] as number[], jvm: [] as number[] },
  };
  const callCounts = { gated: {} as Record<string, number>, plain: {} as Record<string, number> };
  const warmBlocks = 2;
  const blocks = Math.floor(seats.length / blockSize);
  let tickedAt = 0;
  for (let block = 0; block < blocks; block++) {
    for (const kind of orderOf(block)) {
      // The writer's tick refreshes every writer instance's queue state about once a second, so a hold on a writer
      // never reads it itself; between blocks (not measured, not counted) it does the same here.
      if (performance.now() - tickedAt >= 900) {
        await api.queue.tick(gatedPerformance.id);
        tickedAt = performance.now();
      }
      const jvm0 = processThreadsCpuMicros(options.jvmPid);
      let blockCpu = 0;
      for (let i = block * blockSize; i < (block + 1) * blockSize; i++) {
        const user = kind === 'gated' ? users[i]! : `plain-${run}-${i}`;
        const scheduleId = slot(kind === 'gated' ? gatedPerformance.id : plainPerformance.id).id;
        calls.length = 0;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await api.booking.hold(user, scheduleId, [seats[i]!], kind === 'gated' ? tokens.get(user) : undefined);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        blockCpu += cpu.user + cpu.system;
        if (block < warmBlocks) continue;
        samples[kind].cpu.push(cpu.user + cpu.system);
        samples[kind].ms.push(ms);
        for (const c of calls) callCounts[kind][c] = (callCounts[kind][c] ?? 0) + 1;
      }
      const jvm1 = processThreadsCpuMicros(options.jvmPid);
      if (block < warmBlocks) continue;
      perBlock[kind].cpu.push(blockCpu / blockSize);
      if (jvm0 !== undefined && jvm1 !== undefined) perBlock[kind].jvm.push((jvm1 - jvm0) / blockSize);
    }
  }
  const measured = samples.gated.cpu.length;
  const perHold = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count / measured]));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const local: GateCost['local'] = {
    holds: measured,
    blockSize,
    cpuMicros: { gated: summarize(samples.gated.cpu), plain: summarize(samples.plain.cpu) },
    cpuAdded: pairedMeanDifference(perBlock.gated.cpu, perBlock.plain.cpu),
    jvmMicros:
      perBlock.gated.jvm.length === perBlock.plain.jvm.length && perBlock.gated.jvm.length > 0
        ? {
            gated: mean(perBlock.gated.jvm),
            plain: mean(perBlock.plain.jvm),
            added: pairedMeanDifference(perBlock.gated.jvm, perBlock.plain.jvm),
          }
        : undefined,
    latencyMs: { gated: summarize(samples.gated.ms), plain: summarize(samples.plain.ms) },
    p50Added: percentileDifference(samples.gated.ms, samples.plain.ms, 50),
    p99Added: percentileDifference(samples.gated.ms, samples.plain.ms, 99),
    callsPerHold: { gated: perHold(callCounts.gated), plain: perHold(callCounts.plain) },
  };

  // 5 (hot). The gate's own work in tight loops: the check `POST /v1/holds` makes before the transaction on a queued
  // performance, and the one extra transaction item (built, marshalled, serialised as the SDK's JSON protocol does).
  const user = users[0]!;
  const token = tokens.get(user)!;
  const use = (await api.queue.admissionFor(gatedPerformance, user, token))!;
  const checkHot = await cpuPerCall(20_000, () => api.queue.admissionFor(gatedPerformance, user, token));
  const itemHot = await cpuPerCall(20_000, async () => {
    JSON.stringify(admissionHoldWireItem(api.tables.queue, use));
  });

  const stub = await stubbedHolds(options, config, admissionKey, {
    gatedPerformance,
    plainPerformance,
    user,
    token,
    slot,
  });
  options.log('  gate: the app alone, DynamoDB answered by an in-process stub…');
  const stubbed = await stubbedCpu(stub, options.cpuRounds, options.sdkSerializerRounds);
  // A p99 difference rests on the slowest 1 % of each kind: 10,000 pairs put 100 holds of each in that tail.
  options.log(`  gate: latency, ${options.latencyHolds} stubbed holds of each kind…`);
  const stubbedLatency = await stubbedLatencies(stub, options.latencyHolds);
  const cold = await coldCheck(stub, admissionKey, token);
  options.log("  gate: one more transaction item, by our serialiser and by the SDK's…");
  const sdk = await sdkShares(stub);
  options.log(
    '  gate: the levers on a hold transaction (document client, wire form, cacheMiddleware, our serialiser)…',
  );
  const paths = await transactionPaths(stub, options.endpoint);
  let parts: GateParts | undefined;
  if (options.partsRounds > 0) {
    options.log(`  gate: where its CPU goes, ${options.partsRounds} paired rounds of four kinds…`);
    parts = await measureGateParts(
      {
        hold: stub.hold,
        appGate: stub.appGate,
        setGate: stub.setGate,
        now: stub.now,
        gatedPerformance,
        user,
        token,
        key: admissionKey,
        queueTable: stub.queueTable,
      },
      options.partsRounds,
    );
  }
  return { local, stubbed, stubbedLatency, sdk, paths, pieces: { checkHot, itemHot, cold }, parts };
}

async function cpuPerCall(loops: number, call: () => Promise<unknown>, warmLoops = loops / 10): Promise<number> {
  for (let i = 0; i < warmLoops; i++) await call();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < loops; i++) await call();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / loops;
}

interface StubbedHolds {
  readonly hold: Record<Kind, () => Promise<unknown>>;
  /** The gate's check alone, as `POST /v1/holds` makes it. */
  readonly check: () => Promise<unknown>;
  /** The app's gate, and a way to hand the booking service another one (the parts measurement's kinds). */
  readonly appGate: AdmissionGate;
  readonly setGate: (gate: AdmissionGate) => void;
  /** The stubbed app's clock (it stands still). */
  readonly now: () => number;
  /** The stubbed client, and the gated hold's TransactWriteItems input as the store sends it (for `sdkShares`). */
  readonly db: ComposedApi['db'];
  readonly queueTable: string;
  gatedTransaction: TransactWriteItemsCommandInput;
  /** The stub request handler (shared with the cached client of `transactionPaths`). */
  readonly requestHandler: unknown;
  /** How long the stub waits before it answers (0: at once). */
  delayMs: number;
  /** Milliseconds spent waiting inside the stub since last reset (the stand-in for DynamoDB's round trip). */
  waitedMs: number;
}

/**
 * The hold path in this process (service, store, SDK marshalling, serialisation, signing, response parsing) with
 * DynamoDB answered by a stub request handler (`{}`: the transaction accepted) after `delayMs`. The queue state and
 * catalog are loaded for real first and served from the instance caches, as in steady state, under a clock that
 * stands still so they never expire however slow the shared machine is.
 */
async function stubbedHolds(
  options: { endpoint: string },
  config: ReturnType<typeof loadConfig>,
  admissionKey: Buffer,
  on: {
    gatedPerformance: Performance;
    plainPerformance: Performance;
    user: string;
    token: string;
    slot: (performanceId: string) => { id: string };
  },
): Promise<StubbedHolds> {
  const clock = new ManualClock(Date.now());
  const api = composeApi({
    config,
    clock,
    dynamoEndpoint: options.endpoint,
    drState: { current: async () => DR_INACTIVE },
    admissionKey,
    log: () => {},
    queueStateCacheMs: 60_000,
  });
  const check = () => api.queue.admissionFor(on.gatedPerformance, on.user, on.token);
  await check();
  await Promise.all([
    api.catalog.getSchedule(on.slot(on.plainPerformance.id).id),
    api.catalog.getSchedule(on.slot(on.gatedPerformance.id).id),
  ]);
  await Promise.all([
    api.catalog.getVenue(on.gatedPerformance.venueId),
    api.catalog.getPerformance(on.gatedPerformance.id),
    api.catalog.getPerformance(on.plainPerformance.id),
  ]);
  const stub: StubbedHolds = {
    hold: {
      gated: () => api.booking.hold(on.user, on.slot(on.gatedPerformance.id).id, ['1F-B-5-7'], on.token),
      plain: () => api.booking.hold(`plain-${on.user}`, on.slot(on.plainPerformance.id).id, ['1F-B-5-7']),
    },
    check,
    appGate: api.queue,
    // The booking service's gate is a constructor dependency; the bench swaps it in place (never done by the app).
    setGate: (gate) => {
      (api.booking as unknown as { deps: { admissions?: AdmissionGate } }).deps.admissions = gate;
    },
    now: () => clock.now(),
    db: api.db,
    queueTable: api.tables.queue,
    gatedTransaction: { TransactItems: [] },
    requestHandler: undefined,
    delayMs: 0,
    waitedMs: 0,
  };
  const requestHandler = {
    handle: async () => {
      if (stub.delayMs > 0) {
        const t0 = performance.now();
        await sleep(stub.delayMs);
        stub.waitedMs += performance.now() - t0;
      }
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from('{}')]),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  (api.db.config as { requestHandler: unknown }).requestHandler = requestHandler;
  (stub as { requestHandler: unknown }).requestHandler = requestHandler;
  // One gated hold, its transaction input kept for the SDK's per-item figure.
  const capture = 'gateCostCapture';
  api.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand')
        stub.gatedTransaction = args.input as TransactWriteItemsCommandInput;
      return next(args);
    },
    { step: 'initialize', name: capture },
  );
  await stub.hold.gated();
  api.db.middlewareStack.remove(capture);
  return stub;
}

/**
 * 2. CPU per hold in many short paired rounds (each kind once per round, ABBA), so both see the same moments of a
 * shared machine; the differences per round give the interval. The first rounds warm the JIT and are not counted.
 */
async function stubbedCpu(stub: StubbedHolds, rounds: number, withSdk: boolean): Promise<GateCost['stubbed']> {
  stub.delayMs = 0;
  const holdsPerRound = 20;
  const warmRounds = 10;
  const serializers: readonly ('own' | 'sdk')[] = withSdk ? ['own', 'sdk'] : ['own'];
  const empty = () => ({ process: [] as number[], thread: [] as number[] });
  const per = {
    own: { gated: empty(), plain: empty() },
    sdk: { gated: empty(), plain: empty() },
  };
  try {
    for (let round = 0; round < warmRounds + rounds; round++) {
      for (const serializer of round % 4 < 2 ? serializers : [...serializers].reverse()) {
        useOwnTransactionSerializer(serializer === 'own');
        for (const kind of orderOf(round)) {
          const thread0 = mainThreadCpuMicros();
          const cpu0 = process.cpuUsage();
          for (let i = 0; i < holdsPerRound; i++) await stub.hold[kind]();
          const cpu = process.cpuUsage(cpu0);
          const thread1 = mainThreadCpuMicros();
          if (round < warmRounds) continue;
          per[serializer][kind].process.push((cpu.user + cpu.system) / holdsPerRound);
          if (thread0 !== undefined && thread1 !== undefined) {
            per[serializer][kind].thread.push((thread1 - thread0) / holdsPerRound);
          }
        }
      }
    }
  } finally {
    useOwnTransactionSerializer(true);
  }
  const side = (gated: number[], plain: number[]): SideBySide => ({
    gated: summarize(gated).mean,
    plain: summarize(plain).mean,
    added: pairedMeanDifference(gated, plain),
  });
  const withThreads = per.own.gated.thread.length === rounds && (!withSdk || per.sdk.gated.thread.length === rounds);
  const saves = (measure: 'process' | 'thread'): Record<Kind, Interval> => ({
    gated: pairedMeanDifference(per.sdk.gated[measure], per.own.gated[measure]),
    plain: pairedMeanDifference(per.sdk.plain[measure], per.own.plain[measure]),
  });
  return {
    rounds,
    holdsPerRound,
    process: side(per.own.gated.process, per.own.plain.process),
    mainThread: withThreads ? side(per.own.gated.thread, per.own.plain.thread) : undefined,
    sdkSerializer: withSdk
      ? {
          process: side(per.sdk.gated.process, per.sdk.plain.process),
          mainThread: withThreads ? side(per.sdk.gated.thread, per.sdk.plain.thread) : undefined,
        }
      : undefined,
    serializerSaves: withSdk
      ? { process: saves('process'), mainThread: withThreads ? saves('thread') : undefined }
      : undefined,
  };
}

/**
 * The stub's stand-in for DynamoDB's round trip in the latency comparison. Subtracted from each hold (only the app's
 * own time is judged), so it sets only the idle gap between holds; 4 ms keeps 2 × 10,000 holds to about two minutes.
 */
const STUB_ROUND_TRIP_MS = 4;

/**
 * 3. Latency per hold with the stub answering after a fixed delay: DynamoDB's round trip does not depend on the gate
 * (on DynamoDB the admission item sits on another partition, evaluated in parallel with the seats), so this leaves
 * the app's own share — its CPU on the critical path and its awaits. Alternating pairs, one hold at a time.
 */
async function stubbedLatencies(stub: StubbedHolds, holds: number): Promise<GateCost['stubbedLatency']> {
  stub.delayMs = STUB_ROUND_TRIP_MS;
  const ms = { gated: [] as number[], plain: [] as number[] };
  const app = { gated: [] as number[], plain: [] as number[] };
  const warm = 20;
  for (let i = 0; i < warm + holds; i++) {
    for (const kind of orderOf(i)) {
      stub.waitedMs = 0;
      const t0 = performance.now();
      await stub.hold[kind]();
      const total = performance.now() - t0;
      if (i < warm) continue;
      ms[kind].push(total);
      app[kind].push(total - stub.waitedMs);
    }
  }
  stub.delayMs = 0;
  return {
    delayMs: STUB_ROUND_TRIP_MS,
    holds,
    gated: summarize(ms.gated),
    plain: summarize(ms.plain),
    p50Added: percentileDifference(ms.gated, ms.plain, 50),
    p99Added: percentileDifference(ms.gated, ms.plain, 99),
    app: {
      gated: summarize(app.gated),
      plain: summarize(app.plain),
      p50Added: percentileDifference(app.gated, app.plain, 50),
      p99Added: percentileDifference(app.gated, app.plain, 99),
    },
  };
}

/**
 * The cost of one more transaction item as the hold path sends it, scaled ×10 so the difference stands well above a
 * shared machine's noise: the gated hold's own transaction (as captured) without its admission item and with ten more
 * admission items, through `sendWireTransaction` with our serialiser (now) and with the SDK's schema serialiser
 * (before). Paired rounds (the four kinds in alternating order), main-thread CPU; the interval is of the per-item
 * difference. (Until gate-cost-6 this also priced one more middleware entry, ≈ 29 µs at load 19: the reason a
 * splice of a pre-serialised item after the SDK's serialiser did not pay; replacing the serialiser adds no entry.)
 */
async function sdkShares(stub: StubbedHolds): Promise<GateCost['sdk']> {
  stub.delayMs = 0;
  const items = stub.gatedTransaction.TransactItems ?? [];
  const admission = items.find((item) => item.Update?.TableName === stub.queueTable);
  if (!admission) throw new Error('the gated hold sent no admission item');
  const rest = items.filter((item) => item !== admission);
  const withTen = [...Array.from({ length: 10 }, () => admission), ...rest];
  const sdkSerialized = async (transactItems: TransactWriteItem[]) => {
    useOwnTransactionSerializer(false);
    try {
      await sendWireTransaction(stub.db, transactItems);
    } finally {
      useOwnTransactionSerializer(true);
    }
  };
  const send = {
    base: () => sendWireTransaction(stub.db, rest),
    items: () => sendWireTransaction(stub.db, withTen),
    sdkBase: () => sdkSerialized(rest),
    sdkItems: () => sdkSerialized(withTen),
  };
  const kinds = ['base', 'items', 'sdkBase', 'sdkItems'] as const;
  const rounds = 150;
  const perRound = 20;
  const warm = 10;
  const cpu = { base: [] as number[], items: [] as number[], sdkBase: [] as number[], sdkItems: [] as number[] };
  for (let round = 0; round < warm + rounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const t0 = mainThreadCpuMicros() ?? process.cpuUsage().user;
      for (let i = 0; i < perRound; i++) await send[kind]();
      const t1 = mainThreadCpuMicros() ?? process.cpuUsage().user;
      if (round >= warm) cpu[kind].push((t1 - t0) / perRound);
    }
  }
  const perUnit = (i: Interval): Interval => ({ value: i.value / 10, low: i.low / 10, high: i.high / 10 });
  return {
    rounds,
    transactionMicros: summarize(cpu.base).mean,
    perItem: perUnit(pairedMeanDifference(cpu.items, cpu.base)),
    perItemSdkSerializer: perUnit(pairedMeanDifference(cpu.sdkItems, cpu.sdkBase)),
  };
}

/**
 * 6. The levers on the SDK's share of every hold, per send of the gated hold's own transaction (as captured; stubbed):
 * - `document`: as the store sent it before — plain values, marshalled by the document client (`TransactWriteCommand`);
 * - `wire`: the same items through the app's marshaller (`toWireTransactItem`, timed with the send) as the low-level
 *   `TransactWriteItemsCommand` through the same client, its middleware stack resolved on every send;
 * - `reused`: wire form, the stack resolved once (`sendWireTransaction`), the SDK's schema serialiser (before);
 * - `sdkCached`: wire form through a separate low-level client with the SDK's own `cacheMiddleware` (the reference
 *   for `reused`; the document client refuses that option);
 * - `own`: as the store sends it now — `reused` with the body written by `JSON.stringify` (transaction-serializer.ts).
 * Paired rounds, the five in rotating order, main-thread CPU per send.
 */
async function transactionPaths(stub: StubbedHolds, endpoint: string): Promise<GateCost['paths']> {
  stub.delayMs = 0;
  const documentItems = (stub.gatedTransaction.TransactItems ?? []).map(documentFormOf);
  const sdkCachedClient = createDynamoClient({ region: 'ap-northeast-2', endpoint });
  (sdkCachedClient.config as { cacheMiddleware?: boolean }).cacheMiddleware = true;
  (sdkCachedClient.config as { requestHandler: unknown }).requestHandler = stub.requestHandler;
  const wire = () => documentItems.map(toWireTransactItem);
  const send = {
    document: () => stub.db.send(new TransactWriteCommand({ TransactItems: documentItems })),
    wire: () => stub.db.send(new TransactWriteItemsCommand({ TransactItems: wire() })),
    reused: async () => {
      useOwnTransactionSerializer(false);
      try {
        await sendWireTransaction(stub.db, wire());
      } finally {
        useOwnTransactionSerializer(true);
      }
    },
    sdkCached: () => sdkCachedClient.send(new TransactWriteItemsCommand({ TransactItems: wire() })),
    own: () => sendWireTransaction(stub.db, wire()),
  };
  const kinds = ['document', 'wire', 'reused', 'sdkCached', 'own'] as const;
  const rounds = 150;
  const perRound = 20;
  const warm = 10;
  const cpu = {
    document: [] as number[],
    wire: [] as number[],
    reused: [] as number[],
    sdkCached: [] as number[],
    own: [] as number[],
  };
  for (let round = 0; round < warm + rounds; round++) {
    const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const kind of round % 2 === 0 ? order : order.reverse()) {
      const t0 = mainThreadCpuMicros() ?? process.cpuUsage().user;
      for (let i = 0; i < perRound; i++) await send[kind]();
      const t1 = mainThreadCpuMicros() ?? process.cpuUsage().user;
      if (round >= warm) cpu[kind].push((t1 - t0) / perRound);
    }
  }
  sdkCachedClient.destroy();
  const mean = (xs: number[]) => summarize(xs).mean;
  return {
    rounds,
    items: documentItems.length,
    document: mean(cpu.document),
    wire: mean(cpu.wire),
    reused: mean(cpu.reused),
    sdkCached: mean(cpu.sdkCached),
    own: mean(cpu.own),
    wireSaves: pairedMeanDifference(cpu.document, cpu.wire),
    reuseSaves: pairedMeanDifference(cpu.wire, cpu.reused),
    ownSaves: pairedMeanDifference(cpu.reused, cpu.own),
    totalSaves: pairedMeanDifference(cpu.document, cpu.own),
    reusedVsSdk: pairedMeanDifference(cpu.reused, cpu.sdkCached),
  };
}

/** A wire-form transaction item back in the document client's form (its maps unmarshalled). */
function documentFormOf(item: TransactWriteItem): DocumentTransactItem {
  const plain = (map: Record<string, AttributeValue> | undefined) => (map ? unmarshall(map) : undefined);
  const [kind, op] = Object.entries(item)[0] as [string, Record<string, unknown>];
  const converted: Record<string, unknown> = { ...op };
  for (const member of ['Item', 'Key', 'ExpressionAttributeValues']) {
    if (op[member] !== undefined) converted[member] = plain(op[member] as Record<string, AttributeValue>);
  }
  return { [kind]: converted } as DocumentTransactItem;
}

/**
 * 5 (cold). The check as the hold path meets it: right after a whole hold has run through the SDK (caches cold), not
 * in a tight loop that keeps its code and data hot. Median wall time; no I/O happens inside it. The token's MAC alone
 * is timed the same way, by `createHmac` (the check before `HmacSha256Check`) and by the check now, the three
 * measurements taking turns after the same kind of hold.
 */
async function coldCheck(stub: StubbedHolds, key: Buffer, token: string): Promise<GateCost['pieces']['cold']> {
  const signed = token.slice(0, token.lastIndexOf('.'));
  const mac = token.slice(token.lastIndexOf('.') + 1);
  const check = new HmacSha256Check(key);
  const measured = {
    check: () => stub.check(),
    createHmac: () => createHmac('sha256', key).update(signed).digest('base64url') === mac,
    javaScript: () => check.matches(signed, mac),
  };
  const names = Object.keys(measured) as (keyof typeof measured)[];
  const micros = { check: [] as number[], createHmac: [] as number[], javaScript: [] as number[] };
  for (let i = 0; i < 3_000; i++) {
    await stub.hold.plain();
    const name = names[i % names.length]!;
    const t0 = performance.now();
    const ok = await measured[name]();
    micros[name].push((performance.now() - t0) * 1000);
    if (!ok) throw new Error(`the ${name} check refused a valid token`);
  }
  const median = (xs: number[]) => summarize(xs).p50;
  return {
    check: median(micros.check),
    macCreateHmac: median(micros.createHmac),
    macJavaScript: median(micros.javaScript),
  };
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const interval = (i: Interval, digits: number, unit: string) =>
  `${fmt(i.value, digits)} ${unit} [95 %: ${fmt(i.low, digits)} … ${fmt(i.high, digits)}]`;
const side = (s: SideBySide, unit: string) =>
  `with gate ${fmt(s.gated, 1)} ${unit} | without ${fmt(s.plain, 1)} ${unit} | added ${interval(s.added, 1, unit)}`;

/** The report `npm run bench:queue` prints: the three figures the goals are judged by first, then the context. */
export function formatGateCost(cost: GateCost): string {
  const { local, stubbed, stubbedLatency: lat, sdk, paths, pieces } = cost;
  const calls = (c: Record<string, number>) =>
    Object.entries(c)
      .sort()
      .map(([name, perHold]) => `${name} ${fmt(perHold, 3)}`)
      .join(', ');
  // Round trips per hold beyond the plain hold's (catalog cache refreshes are fractions of a call either way).
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const extraCalls = Math.round(total(local.callsPerHold.gated) - total(local.callsPerHold.plain));
  const transactions = (c: Record<string, number>) => c['TransactWriteItems transaction'] ?? 0;
  const cpuJudged = stubbed.mainThread ?? stubbed.process;
  const sdkSide = stubbed.sdkSerializer;
  const saved = stubbed.serializerSaves;
  return [
    `gate cost per hold — goals ≤ ${GATE_GOALS.cpuMicros} µs CPU, ≤ ${GATE_GOALS.p99Ms} ms p99, no extra DynamoDB call:`,
    `  CPU the app adds, DynamoDB answered by an in-process stub (${stubbed.rounds} paired rounds of ${stubbed.holdsPerRound} holds of each kind):`,
    ...(stubbed.mainThread ? [`    main thread:  ${side(stubbed.mainThread, 'µs')}`] : []),
    `    whole process (V8's GC and compiler threads too): ${side(stubbed.process, 'µs')}`,
    `    → CPU ≤ ${GATE_GOALS.cpuMicros} µs: ${verdict(cpuJudged.added, GATE_GOALS.cpuMicros)} (${stubbed.mainThread ? 'main thread' : 'process'}, whole interval)`,
    ...(sdkSide && saved
      ? [
          `    the same rounds with the SDK's schema serialiser (before): main thread ${sdkSide.mainThread ? side(sdkSide.mainThread, 'µs') : 'n/a'}`,
          `                                                             whole process ${side(sdkSide.process, 'µs')}`,
          `    CPU per hold our serialiser saves (the SDK's − ours, paired): main thread gated ${saved.mainThread ? interval(saved.mainThread.gated, 1, 'µs') : 'n/a'}, plain ${saved.mainThread ? interval(saved.mainThread.plain, 1, 'µs') : 'n/a'}`,
          `                                                                  whole process gated ${interval(saved.process.gated, 1, 'µs')}, plain ${interval(saved.process.plain, 1, 'µs')}`,
        ]
      : []),
    `  latency the app adds, the stub answering after ${lat.delayMs} ms (${lat.holds} holds of each kind, alternating):`,
    `    p99, the app's own time (each hold minus its wait inside the stub): with gate ${fmt(lat.app.gated.p99, 3)} ms | without ${fmt(lat.app.plain.p99, 3)} ms | added ${interval(lat.app.p99Added, 3, 'ms')}`,
    `    p50, the app's own time: with gate ${fmt(lat.app.gated.p50, 3)} ms | without ${fmt(lat.app.plain.p50, 3)} ms | added ${interval(lat.app.p50Added, 3, 'ms')}`,
    `    → p99 ≤ ${GATE_GOALS.p99Ms} ms: ${verdict(lat.app.p99Added, GATE_GOALS.p99Ms)} (the app's own time, whole interval)`,
    `    whole hold, the stub's wait and its timer jitter included: with gate p50 ${fmt(lat.gated.p50, 2)} ms, p99 ${fmt(lat.gated.p99, 2)} ms | without p50 ${fmt(lat.plain.p50, 2)} ms, p99 ${fmt(lat.plain.p99, 2)} ms | added p50 ${interval(lat.p50Added, 3, 'ms')}, p99 ${interval(lat.p99Added, 3, 'ms')}`,
    `  DynamoDB calls per hold (against DynamoDB Local): with gate ${calls(local.callsPerHold.gated)}`,
    `                                                    without   ${calls(local.callsPerHold.plain)}`,
    `    → no extra DynamoDB call: ${extraCalls <= GATE_GOALS.extraCalls && transactions(local.callsPerHold.gated) === transactions(local.callsPerHold.plain) ? 'met' : 'missed'} (${extraCalls >= 0 ? '+' : ''}${extraCalls} round trips per hold)`,
    `  end to end against DynamoDB Local (its one JVM on the same cores evaluates the admission item serially; ${local.holds} holds of each kind, alternating blocks of ${local.blockSize}):`,
    `    CPU of this process per hold: with gate p50 ${fmt(local.cpuMicros.gated.p50, 0)} µs, mean ${fmt(local.cpuMicros.gated.mean, 0)} µs | without p50 ${fmt(local.cpuMicros.plain.p50, 0)} µs, mean ${fmt(local.cpuMicros.plain.mean, 0)} µs | added ${interval(local.cpuAdded, 0, 'µs')}`,
    ...(local.jvmMicros ? [`    CPU of DynamoDB Local's JVM per hold: ${side(local.jvmMicros, 'µs')}`] : []),
    `    latency per hold: with gate p50 ${fmt(local.latencyMs.gated.p50, 2)} ms, p99 ${fmt(local.latencyMs.gated.p99, 2)} ms | without p50 ${fmt(local.latencyMs.plain.p50, 2)} ms, p99 ${fmt(local.latencyMs.plain.p99, 2)} ms | added p50 ${interval(local.p50Added, 2, 'ms')}, p99 ${interval(local.p99Added, 2, 'ms')}`,
    `  one more transaction item, the admission Update (the hold's own transaction through our client, stubbed, ${fmt(sdk.transactionMicros, 0)} µs CPU per send; ${sdk.rounds} paired rounds, scaled ×10):`,
    `    our serialiser (now) ${interval(sdk.perItem, 1, 'µs')} | the SDK's schema serialiser (before) ${interval(sdk.perItemSdkSerializer, 1, 'µs')}`,
    `  the hold's own transaction (${paths.items} items) per send, main-thread CPU (stubbed; ${paths.rounds} paired rounds of 20):`,
    `    document client ${fmt(paths.document, 0)} µs | wire form ${fmt(paths.wire, 0)} µs | stack resolved once ${fmt(paths.reused, 0)} µs | SDK cacheMiddleware client ${fmt(paths.sdkCached, 0)} µs | our serialiser (now) ${fmt(paths.own, 0)} µs`,
    `    saved per send: wire form ${interval(paths.wireSaves, 1, 'µs')} + stack reused ${interval(paths.reuseSaves, 1, 'µs')} + our serialiser ${interval(paths.ownSaves, 1, 'µs')} = ${interval(paths.totalSaves, 1, 'µs')}; stack reused vs the SDK's cache ${interval(paths.reusedVsSdk, 1, 'µs')}`,
    `  the gate's own work: the check ${fmt(pieces.checkHot, 1)} µs in a tight loop, ${fmt(pieces.cold.check, 1)} µs (median) right after a hold; the transaction item ${fmt(pieces.itemHot, 1)} µs in a tight loop`,
    `    the token's MAC right after a hold (medians, taking turns): createHmac ${fmt(pieces.cold.macCreateHmac, 1)} µs | HmacSha256Check (now) ${fmt(pieces.cold.macJavaScript, 1)} µs`,
    ...(cost.parts ? [formatGateParts(cost.parts)] : []),
  ].join('\n');
}
