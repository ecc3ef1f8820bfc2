/**
 * The admission gate's cost per hold (issue 10), measured side by side in one process against DynamoDB Local: holds on
 * a performance sold through a waiting room (token verified in memory, the admission's condition and count riding in
 * the hold's TransactWriteItems) and on the same performance sold without one, one hold at a time and alternating, so
 * both see the same machine at the same moments. Every hold is by its own account on its own seat (no replacement).
 *
 * - CPU per hold: this process's CPU time (user + system) around each hold — the app's own work and the SDK's
 *   marshalling, not DynamoDB Local's JVM. The gate's added CPU is the difference of the means, with its 95 % interval.
 * - Latency per hold: wall time of `BookingService.hold`, p50/p99 of each, and their difference.
 * - DynamoDB calls per hold: every command the composed API sends, counted by name for each kind of hold.
 * - The gate's own work alone, CPU time in tight loops: the check (`admissionFor`: HMAC and claims against the cached
 *   queue state) and the extra transaction item. End-to-end CPU per hold varies by milliseconds on a shared machine,
 *   so the side-by-side difference comes with its 95 % interval; the loops resolve the microseconds.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { composeApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { demoPerformances, demoVenues, sellableSeats, type Performance } from '../../app/catalog/index.js';
import { DR_INACTIVE } from '../../app/booking/dr.js';
import { ManualClock, systemClock } from '../../app/shared/clock.js';
import { kstDateOf } from '../../app/shared/time.js';
import { marshall } from '@aws-sdk/util-dynamodb';
import { admissionHoldUpdate } from '../../app/adapters/dynamodb/queue-conditions.js';
import { Readable } from 'node:stream';
import { summarize, type LatencySummary } from './stats.js';

export interface GateCost {
  readonly holds: number;
  readonly cpuMicros: { readonly gated: LatencySummary; readonly plain: LatencySummary };
  readonly latencyMs: { readonly gated: LatencySummary; readonly plain: LatencySummary };
  /** DynamoDB commands per hold, by name (`TransactWriteItems: 1`, …), for each kind. */
  readonly callsPerHold: { readonly gated: Record<string, number>; readonly plain: Record<string, number> };
  /** The check alone (`admissionFor`), CPU µs per call over a tight loop. */
  readonly checkMicros: number;
  /** The extra transaction item alone (built, marshalled, serialised), CPU µs per hold. */
  readonly itemMicros: number;
  /**
   * The whole hold path in this process with DynamoDB answered by a stub at the HTTP layer: CPU µs per hold, and the
   * gate's addition as the mean of paired rounds with its 95 % interval.
   */
  readonly clientSide: ClientSideCpu;
}

export interface ClientSideCpu {
  readonly gated: number;
  readonly plain: number;
  readonly added: number;
  /** Half-width of the 95 % interval of `added` (paired rounds). */
  readonly interval: number;
  readonly rounds: number;
  readonly holdsPerRound: number;
  /** The gate's check (`admissionFor`) right after a hold, median µs: what it costs inside the real path. */
  readonly checkColdMicros: number;
}

const DAY = 24 * 60 * 60 * 1000;

export async function measureGateCost(options: {
  endpoint: string;
  tablePrefix: string;
  holds: number;
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
    await new Promise((resolve) => setTimeout(resolve, 1_000));
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
  const samples = {
    gated: { cpu: [] as number[], ms: [] as number[] },
    plain: { cpu: [] as number[], ms: [] as number[] },
  };
  const callCounts = { gated: {} as Record<string, number>, plain: {} as Record<string, number> };
  // Warm both paths (catalog, queue-state and DR caches, sockets) before measuring.
  const warm = Math.min(20, Math.floor(seats.length / 10));
  let tickedAt = 0;
  for (let i = 0; i < seats.length; i++) {
    // The writer's tick refreshes every writer instance's queue state about once a second, so a hold on a writer
    // never reads it itself; between holds (not measured, not counted) it does the same here.
    if (performance.now() - tickedAt >= 900) {
      await api.queue.tick(gatedPerformance.id);
      tickedAt = performance.now();
    }
    for (const kind of i % 2 === 0 ? (['gated', 'plain'] as const) : (['plain', 'gated'] as const)) {
      const user = kind === 'gated' ? users[i]! : `plain-${run}-${i}`;
      const scheduleId = slot(kind === 'gated' ? gatedPerformance.id : plainPerformance.id).id;
      calls.length = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await api.booking.hold(user, scheduleId, [seats[i]!], kind === 'gated' ? tokens.get(user) : undefined);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (i < warm) continue;
      samples[kind].cpu.push(cpu.user + cpu.system);
      samples[kind].ms.push(ms);
      for (const c of calls) callCounts[kind][c] = (callCounts[kind][c] ?? 0) + 1;
    }
  }
  const measured = seats.length - warm;
  const perHold = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count / measured]));

  // The gate's own work in isolation, CPU time over tight loops: the check `POST /v1/holds` makes before the
  // transaction on a queued performance, and the one extra transaction item (built, marshalled, serialised as the
  // SDK's JSON protocol does).
  const user = users[0]!;
  const token = tokens.get(user)!;
  const use = (await api.queue.admissionFor(gatedPerformance, user, token))!;
  const checkMicros = await cpuPerCall(20_000, () => api.queue.admissionFor(gatedPerformance, user, token));
  const itemMicros = await cpuPerCall(20_000, async () => {
    const item = admissionHoldUpdate(api.tables.queue, use).Update!;
    JSON.stringify({
      ...item,
      Key: marshall(item.Key),
      ExpressionAttributeValues: marshall(item.ExpressionAttributeValues!),
    });
  });

  const clientSide = await clientSideCpu(options, config, admissionKey, {
    gatedPerformance,
    plainPerformance,
    user,
    token,
    slot,
  });

  return {
    clientSide,
    holds: measured,
    cpuMicros: { gated: summarize(samples.gated.cpu), plain: summarize(samples.plain.cpu) },
    latencyMs: { gated: summarize(samples.gated.ms), plain: summarize(samples.plain.ms) },
    callsPerHold: { gated: perHold(callCounts.gated), plain: perHold(callCounts.plain) },
    checkMicros,
    itemMicros,
  };
}

async function cpuPerCall(loops: number, call: () => Promise<unknown>, warmLoops = loops / 10): Promise<number> {
  for (let i = 0; i < warmLoops; i++) await call();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < loops; i++) await call();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / loops;
}

/**
 * The hold path's client-side CPU with and without the gate, resolved to microseconds: the same composition (service,
 * store, SDK marshalling, serialisation and response parsing) with DynamoDB answered at once by a stub request handler
 * (`{}`: no pointer, transaction accepted), so neither DynamoDB Local nor the network adds noise. The queue state and
 * catalog are loaded for real first and served from the instance caches, as in steady state. Rounds alternate.
 */
async function clientSideCpu(
  options: { endpoint: string; tablePrefix: string },
  config: ReturnType<typeof loadConfig>,
  admissionKey: Buffer,
  on: {
    gatedPerformance: Performance;
    plainPerformance: Performance;
    user: string;
    token: string;
    slot: (performanceId: string) => { id: string };
  },
): Promise<ClientSideCpu> {
  const api = composeApi({
    config,
    // A clock that stands still: the caches filled below never expire, however slow the shared machine is.
    clock: new ManualClock(Date.now()),
    dynamoEndpoint: options.endpoint,
    drState: { current: async () => DR_INACTIVE },
    admissionKey,
    log: () => {},
    queueStateCacheMs: 60_000,
  });
  const gated = () => api.booking.hold(on.user, on.slot(on.gatedPerformance.id).id, ['1F-B-5-7'], on.token);
  const plain = () => api.booking.hold(`plain-${on.user}`, on.slot(on.plainPerformance.id).id, ['1F-B-5-7']);
  // Real reads fill the caches (catalog, queue state) before DynamoDB is replaced by the stub.
  await api.queue.admissionFor(on.gatedPerformance, on.user, on.token);
  await Promise.all([
    api.catalog.getSchedule(on.slot(on.plainPerformance.id).id),
    api.catalog.getSchedule(on.slot(on.gatedPerformance.id).id),
  ]);
  await Promise.all([
    api.catalog.getVenue(on.gatedPerformance.venueId),
    api.catalog.getPerformance(on.gatedPerformance.id),
    api.catalog.getPerformance(on.plainPerformance.id),
  ]);
  (api.db.config as { requestHandler: unknown }).requestHandler = {
    handle: async () => ({
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Readable.from([Buffer.from('{}')]),
      },
    }),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  // Short paired rounds (each kind once, order alternating) so both see the same moments of a shared machine; the
  // difference per round gives the interval. The first rounds warm the JIT and are not counted.
  const rounds = 80;
  const holdsPerRound = 40;
  const warmRounds = 6;
  const kinds = [
    ['gated', gated],
    ['plain', plain],
  ] as const;
  const per = { gated: [] as number[], plain: [] as number[] };
  for (let round = 0; round < warmRounds + rounds; round++) {
    for (const [kind, call] of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const micros = await cpuPerCall(holdsPerRound, call, 0);
      if (round >= warmRounds) per[kind].push(micros);
    }
  }
  const differences = summarize(per.gated.map((g, i) => g - per.plain[i]!));
  // The check as the hold path meets it: right after a whole hold has run through the SDK (caches cold), not in a
  // tight loop that keeps its code and data hot. Median wall time; no I/O happens inside it.
  const cold: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    await plain();
    const t0 = performance.now();
    await api.queue.admissionFor(on.gatedPerformance, on.user, on.token);
    cold.push((performance.now() - t0) * 1000);
  }
  return {
    checkColdMicros: summarize(cold).p50,
    gated: summarize(per.gated).mean,
    plain: summarize(per.plain).mean,
    added: differences.mean,
    interval: 1.96 * Math.sqrt(differences.variance / differences.count),
    rounds,
    holdsPerRound,
  };
}
