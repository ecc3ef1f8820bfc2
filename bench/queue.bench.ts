/**
 * Waiting-room benchmark (issue 10). Not a test: it prints figures, and exits non-zero only when a join was lost, a
 * place was issued twice, a retry moved a place, or the harness broke. See docs/benchmarks.md.
 *
 *   npm run bench:queue -- [--joins 100000] [--offer-seconds 10] [--rate 6000] [--measure-minutes 3]
 *                          [--sockets 1024] [--resample 5000] [--gate-holds 1000] [--gate-latency-holds 10000]
 *                          [--gate-cpu-rounds 2400]
 *                          [--gate-parts-rounds 600] [--gate-sdk-serializer 0]
 *                          [--shed-answers 30000] [--window-minutes 10] [--waiters-process 1]
 *   (BENCH_CHILD_ARGS="--inspect=127.0.0.1:9310" adds Node flags to the API child, e.g. to profile it.)
 *
 * One run, on this machine: DynamoDB Local (one JVM), the API in a child process (as in production: HTTP, auth,
 * the waiting room on DynamoDB, its writer ticking once a second) and this load generator.
 * 1. Stampede: `joins` accounts each join once, offered open-loop and evenly over `offer-seconds` (the first half
 *    before the opening, into the lottery pre-queue, the second half first come, first served). A 429 is retried
 *    after its Retry-After, as the waiting-room page does.
 * 2. Every placed waiter polls at the interval the API asks for (with its ticket) and claims its admission when its
 *    turn comes; admissions are measured per 60 s from the server's own counter.
 * 3. Audit: every account has exactly one place, the places are unique, and a re-join returns the same place.
 * Before the stampede, the gate's cost per hold is measured with and without it (bench/lib/gate-cost.ts), and the
 * API's CPU per shed answer (429) in front of Express and through it (bench/lib/shed-cost.ts); `--joins 0` runs only
 * those, `--gate-holds 0` and `--shed-answers 0` skip them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { hashToken } from '../app/accounts/service.js';
import { createDocumentClient, createDynamoClient } from '../app/adapters/dynamodb/client.js';
import { ensureTables } from '../app/adapters/dynamodb/create-tables.js';
import { DynamoCatalog } from '../app/adapters/dynamodb/catalog-store.js';
import { sessionToItem } from '../app/adapters/dynamodb/account-stores.js';
import { keys } from '../app/adapters/dynamodb/keys.js';
import { toQueueEntry, toQueueState } from '../app/adapters/dynamodb/queue-items.js';
import { scanAll } from '../app/adapters/dynamodb/paginate.js';
import { tableNamesFor, type TableNames } from '../app/adapters/dynamodb/tables.js';
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { demoPerformances, demoVenues, type Performance } from '../app/catalog/index.js';
import { kstDateOf } from '../app/shared/time.js';
import { LotteryCache } from '../app/queue/lottery.js';
import type { QueueEntry, QueueState } from '../app/queue/model.js';
import { LINE_FLOOR_SECONDS, phaseOf } from '../app/queue/rules.js';
import { RELEASE_TUNING } from '../app/queue/release.js';
import { placeView } from '../app/queue/views.js';
import { parseIntegerFlags, usageOf } from './lib/flags.js';
import { HttpClient } from './lib/http-client.js';
import { machineInfo } from './lib/machine.js';
import { processCpuMs } from './lib/cpu.js';
import type { ChildMessage } from './lib/queue-api-child.js';
import { summarize, type LatencySummary } from './lib/stats.js';
import { formatGateCost, measureGateCost } from './lib/gate-cost.js';
import { measureShedCost, type ShedCost } from './lib/shed-cost.js';
import { DEFAULT_CLASS_LIMITS } from '../app/shared/overload-guard.js';
import { startWaiters, type Waiters, type WaitersResult } from './lib/queue-waiters.js';

const DEFAULTS = {
  joins: 100_000,
  offerSeconds: 10,
  rate: 6_000,
  measureMinutes: 3,
  sockets: 1_024,
  resample: 5_000,
  gateHolds: 1_000,
  /** Stubbed holds of each kind for the p99 comparison: enough pairs that its interval can resolve 1 ms. */
  gateLatencyHolds: 10_000,
  gateCpuRounds: 2_400,
  gateSdkSerializer: 0,
  gatePartsRounds: 600,
  shedAnswers: 30_000,
  windowMinutes: 10,
  /** 1: the waiters' polls and claims from a process of their own (a waiter's browser is another machine); 0: from this one. */
  waitersProcess: 1,
};
type Args = typeof DEFAULTS;
const FLAGS: Record<string, keyof Args> = {
  '--joins': 'joins',
  '--offer-seconds': 'offerSeconds',
  '--rate': 'rate',
  '--measure-minutes': 'measureMinutes',
  '--sockets': 'sockets',
  '--resample': 'resample',
  '--gate-holds': 'gateHolds',
  '--gate-latency-holds': 'gateLatencyHolds',
  '--gate-cpu-rounds': 'gateCpuRounds',
  '--gate-sdk-serializer': 'gateSdkSerializer',
  '--gate-parts-rounds': 'gatePartsRounds',
  '--shed-answers': 'shedAnswers',
  '--window-minutes': 'windowMinutes',
  '--waiters-process': 'waitersProcess',
};
const DEFAULT_JOIN_BOUND = DEFAULT_CLASS_LIMITS.join.maxInFlight;
const USAGE = usageOf('npm run bench:queue', FLAGS);

interface Waiter {
  readonly index: number;
  readonly userId: string;
  readonly token: string;
  joinAttempts: number;
  number?: number;
  epoch?: number;
  lottery?: boolean;
  ticket?: string;
  admittedAt?: number;
  expired?: boolean;
}

interface Tally {
  joinOk: number[];
  join429: number[];
  joinOther: number;
  joinOtherSamples: string[];
  loadSamples: number[];
  firstPlacedAt?: number;
  allPlacedAt?: number;
  /** What the waiters saw (their polls and claims), once they are done. */
  waiters?: WaitersResult;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const n = (v: number) => v.toLocaleString('en-US');
const line = (s: LatencySummary) =>
  `n=${n(s.count)} p50 ${fmt(s.p50)} ms · p95 ${fmt(s.p95)} ms · p99 ${fmt(s.p99)} ms · max ${fmt(s.max)} ms`;

async function main(): Promise<number> {
  const args = parseIntegerFlags(
    { ...DEFAULTS },
    FLAGS,
    USAGE,
    {
      resample: 0,
      joins: 0,
      gateHolds: 0,
      gatePartsRounds: 0,
      gateSdkSerializer: 0,
      shedAnswers: 0,
      windowMinutes: 1,
      waitersProcess: 0,
    },
    process.argv.slice(2),
  );
  const machine = machineInfo();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const prefix = `benchq-${runId}`;
  const tables = tableNamesFor(prefix);
  let local: DynamoLocal | undefined;
  let child: ChildProcess | undefined;
  try {
    console.log('starting DynamoDB Local…');
    local = await startDynamoLocal();
    const db = createDocumentClient({ region: 'ap-northeast-2', endpoint: local.endpoint });
    await ensureTables(createDynamoClient({ region: 'ap-northeast-2', endpoint: local.endpoint }), tables);
    console.log(
      `MegaTicket waiting-room benchmark\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
        `node ${machine.node}, DynamoDB Local ${machine.dynamoLocal}; 1-min load average before the run: ` +
        `${machine.loadAverage} (the machine is shared: other work skews absolute figures)\n` +
        `parameters: ${JSON.stringify(args)}`,
    );

    if (args.gateHolds > 0) {
      console.log(`\ngate cost: ${n(args.gateHolds)} holds each with and without the gate, alternating…`);
      const cost = await measureGateCost({
        endpoint: local.endpoint,
        tablePrefix: prefix,
        holds: args.gateHolds,
        latencyHolds: args.gateLatencyHolds,
        cpuRounds: args.gateCpuRounds,
        sdkSerializerRounds: args.gateSdkSerializer > 0,
        partsRounds: args.gatePartsRounds,
        jvmPid: local.pid,
        log: (l) => console.log(l),
      });
      console.log(formatGateCost(cost));
    }
    if (args.shedAnswers > 0) {
      console.log(`\nCPU per shed answer: ${n(args.shedAnswers)} refused joins, polls and claims…`);
      console.log(shedReport(await measureShedCost({ answers: args.shedAnswers })));
    }
    if (args.joins === 0) return 0;

    const setupStart = performance.now();
    const waiters = await createSessions(db, tables, runId, args.joins);
    console.log(
      `${n(waiters.length)} accounts with sessions written in ${fmt((performance.now() - setupStart) / 1000)} s`,
    );

    // The on-sale: the pre-queue opens now; the sale opens half way through the offered joins.
    const apiStartBudgetMs = 40_000;
    const joinStart = Date.now() + apiStartBudgetMs;
    const opensAt = joinStart + (args.offerSeconds * 1000) / 2;
    const event = await putQueuedEvent(db, tables, runId, {
      opensAt,
      rate: args.rate,
      windowMinutes: args.windowMinutes,
    });
    const admissionKey = randomBytes(32).toString('base64url');
    const started = await startApiChild(local.endpoint, prefix, admissionKey);
    child = started.child;
    const api = new HttpClient(started.apiUrl, args.sockets);
    // A session the API cannot read would turn the stampede into a storm of 401s retried forever: check one first.
    const me = await api.send('GET', '/v1/me', { authorization: `Bearer ${waiters[0]!.token}` });
    if (me.status !== 200) throw new Error(`a bench session is not accepted (${me.status} ${JSON.stringify(me.body)})`);
    console.log(`API child on ${started.apiUrl}; joins start in ${fmt((joinStart - Date.now()) / 1000)} s`);
    if (Date.now() > joinStart - 2_000) throw new Error('the API took too long to start; rerun on a quieter machine');
    await sleep(joinStart - Date.now());

    const tally: Tally = { joinOk: [], join429: [], joinOther: 0, joinOtherSamples: [], loadSamples: [] };
    const stop = opensAt + args.measureMinutes * 60_000 + 60_000;
    // Waiters' polls and claims on sockets of their own, as each waiter's browser has its own connection (on the join
    // pool they queued behind the stampede's joins), and by default from a process of their own, as a browser is
    // another machine: on this process's event loop, which carries the joins, their retries and their timers, a claim
    // took p50 81.8 s from its intended send to its answer in the quiet 100,000-join run (the API's own p99 3.6 s).
    const waitersOut = await startWaiters(args.waitersProcess === 1, {
      apiUrl: started.apiUrl,
      eventId: event.id,
      stop,
      pollSockets: args.sockets,
      claimSockets: 256,
    });
    const cpuBefore = await childStats(child);
    const jvmBefore = processCpuMs(local.pid);
    const ownCpuBefore = process.cpuUsage();
    const waitersCpuBefore = waitersOut.pid === undefined ? undefined : processCpuMs(waitersOut.pid);
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    const claimedSamples = sampleClaims(db, tables, event.id, opensAt, stop);
    const placed = runWaitingRoom(api, waitersOut, event.id, waiters, tally, {
      joinStart,
      offerMs: args.offerSeconds * 1000,
      stop,
      joinDeadline: stop + 20 * 60_000,
      apiCpuMicros: async () => (await childStats(child!)).cpuMicros,
    });
    await placed;
    const samples = await claimedSamples;
    const cpuAfter = await childStats(child);
    const jvmMs = (processCpuMs(local.pid) ?? NaN) - (jvmBefore ?? NaN);
    ownLoop.disable();
    const waitersCpuMs =
      waitersOut.pid === undefined ? NaN : (processCpuMs(waitersOut.pid) ?? NaN) - (waitersCpuBefore ?? NaN);
    tally.waiters = await waitersOut.finish();
    for (const [index, at] of tally.waiters.admitted) waiters[index]!.admittedAt = at;
    for (const index of tally.waiters.expired) waiters[index]!.expired = true;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const generator: Generator = {
      joinsCpuMs: (ownCpu.user + ownCpu.system) / 1000,
      joinsLoop: { p50: ownLoop.percentile(50) / 1e6, p99: ownLoop.percentile(99) / 1e6, max: ownLoop.max / 1e6 },
      waitersCpuMs: args.waitersProcess === 1 ? waitersCpuMs : NaN,
    };

    const audit = await auditPlaces(api, db, tables, event, waiters, args.resample);
    console.log(report(args, waiters, tally, samples, opensAt, audit, cpuBefore, cpuAfter, jvmMs, generator));

    api.close();
    const ok =
      audit.lost === 0 && audit.duplicates === 0 && audit.moved === 0 && audit.failed === 0 && audit.mismatched === 0;
    return ok && tally.joinOther === 0 ? 0 : 1;
  } finally {
    if (child) {
      child.send({ type: 'stop' });
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    await local?.stop();
  }
}

/** 100,000 accounts: session items written directly (as `AccountService.startSession` would), not signed up. */
async function createSessions(db: DynamoDBDocumentClient, tables: TableNames, runId: string, count: number) {
  const now = Date.now();
  const waiters: Waiter[] = Array.from({ length: count }, (_, index) => ({
    index,
    userId: `bench-${runId}-${index}`,
    token: randomBytes(24).toString('base64url'),
    joinAttempts: 0,
  }));
  let next = 0;
  const worker = async () => {
    while (next < waiters.length) {
      const batch = waiters.slice(next, next + 25);
      next += 25;
      // The store's own item shape: a hand-built item missing a field (as once `userCreatedAt`) is read back as no
      // session, and every join then answers 401.
      let requests = batch.map((w) => ({
        PutRequest: {
          Item: sessionToItem({
            tokenHash: hashToken(w.token),
            userId: w.userId,
            email: `${w.userId}@bench.example`,
            displayName: `bench ${w.index}`,
            userCreatedAt: now,
            createdAt: now,
            expiresAt: now + 86_400_000,
          }),
        },
      }));
      while (requests.length > 0) {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [tables.sessions]: requests } }));
        requests = (result.UnprocessedItems?.[tables.sessions] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return waiters;
}

async function putQueuedEvent(
  db: DynamoDBDocumentClient,
  tables: TableNames,
  runId: string,
  on: { opensAt: number; rate: number; windowMinutes: number },
): Promise<Performance> {
  const now = Date.now();
  const template = demoPerformances(kstDateOf(now), now).find((p) => p.onSale?.queue)!;
  const performance: Performance = {
    ...template,
    id: `perf-bench-${runId}`,
    onSale: {
      queue: true,
      preQueueOpensAt: now,
      opensAt: on.opensAt,
      admitPerMinute: on.rate,
      admissionWindowMinutes: on.windowMinutes,
      maxHoldsPerAdmission: 10,
    },
  };
  await new DynamoCatalog(db, tables).put({ venues: demoVenues, performances: [performance], schedules: [] });
  return performance;
}

async function startApiChild(endpoint: string, prefix: string, admissionKey: string) {
  const child = fork(join(import.meta.dirname, 'lib', 'queue-api-child.ts'), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean)],
    env: {
      ...process.env,
      MEGATICKET_ROLE: 'api',
      HOST: '127.0.0.1',
      API_PORT: '0',
      DYNAMODB_MODE: 'external',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      TABLE_PREFIX: prefix,
      BOOTSTRAP_TABLES: 'false',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'production',
      AWS_REGION: 'ap-northeast-2',
      ADMISSION_KEY: admissionKey,
      DR_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'benchq-')), 'dr.json'),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const apiUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API child exited (${code})`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message.apiUrl);
      if (message.type === 'log') console.log(`  api log: ${message.message}`);
    });
  });
  return { child, apiUrl };
}

export function childStats(child: ChildProcess): Promise<Extract<ChildMessage, { type: 'stats' }>> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if (message.type !== 'stats') return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
    child.send({ type: 'stats' });
  });
}

/**
 * The stampede and the waiting: open-loop joins (retried after Retry-After on 429), then each waiter polls at the
 * interval it is told and claims its turn. Resolves once `stop` has passed and in-flight requests are answered.
 */
async function runWaitingRoom(
  api: HttpClient,
  waitersOut: Waiters,
  eventId: string,
  waiters: Waiter[],
  tally: Tally,
  timing: {
    joinStart: number;
    offerMs: number;
    stop: number;
    joinDeadline: number;
    /** The API child's CPU time so far (µs), for the progress lines. */
    apiCpuMicros: () => Promise<number>;
  },
): Promise<void> {
  const entryPath = `/v1/queues/${eventId}/entry`;
  let unplaced = waiters.length;
  let inFlight = 0;
  // A join is retried until it is placed (a lost join is what this bench is about), up to `joinDeadline`; the placed
  // waiter's polls and claims are the waiters' (until `stop`).
  const at = (wallMs: number, run: () => Promise<void>) => {
    if (wallMs > timing.joinDeadline) return;
    const delay = Math.max(0, wallMs - Date.now());
    setTimeout(() => {
      inFlight++;
      void run().finally(() => inFlight--);
    }, delay);
  };
  const auth = (w: Waiter) => ({ authorization: `Bearer ${w.token}` });

  const join = async (w: Waiter, intended: number) => {
    w.joinAttempts++;
    const answer = await api.send('PUT', entryPath, auth(w), intended);
    if (answer.status === 200) {
      const { place, ticket } = answer.body as {
        place: { number: number; epoch: number; lottery: boolean; pollAfterMs?: number };
        ticket: string;
      };
      tally.joinOk.push(answer.ms);
      const first = w.number === undefined;
      if (first) {
        unplaced--;
        tally.firstPlacedAt ??= Date.now();
        if (unplaced === 0) tally.allPlacedAt = Date.now();
      }
      Object.assign(w, { number: place.number, epoch: place.epoch, lottery: place.lottery, ticket });
      if (first) waitersOut.add({ index: w.index, token: w.token, ticket, pollAfterMs: place.pollAfterMs ?? 2_000 });
    } else if (answer.status === 429) {
      tally.join429.push(answer.ms);
      retryJoin(w, (answer.retryAfter ?? 1) * 1000);
    } else {
      tally.joinOther++;
      if (tally.joinOtherSamples.length < 5)
        tally.joinOtherSamples.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      // A server or network failure is retried; any other refusal is the harness's fault and would only repeat.
      if (answer.status === 0 || answer.status >= 500) retryJoin(w, 1_000);
    }
  };
  const retryJoin = (w: Waiter, afterMs: number) => {
    const when = Date.now() + afterMs;
    at(when, () => join(w, performance.now() + (when - Date.now())));
  };

  const spacing = timing.offerMs / waiters.length;
  waiters.forEach((w, i) => {
    const when = timing.joinStart + i * spacing;
    at(when, () => join(w, performance.now() + (when - Date.now())));
  });
  // Each progress line: totals, then the rates since the previous line (placed joins, join 429s, polls answered) and
  // the API child's CPU over the interval.
  let last = { at: Date.now(), placed: 0, shed: 0, polls: 0, cpu: await timing.apiCpuMicros() };
  while (Date.now() < timing.stop || (unplaced > 0 && Date.now() < timing.joinDeadline)) {
    await sleep(1_000);
    tally.loadSamples.push(loadavg()[0]!);
    const elapsed = (Date.now() - timing.joinStart) / 1000;
    if (Math.round(elapsed) % 10 === 0) {
      const seen = await waitersOut.progress();
      const now = { at: Date.now(), placed: waiters.length - unplaced, shed: tally.join429.length };
      const cpu = await timing.apiCpuMicros();
      const seconds = (now.at - last.at) / 1000;
      const rate = (delta: number) => fmt(delta / seconds, 0);
      console.log(
        `  t+${fmt(elapsed, 0)} s: placed ${n(now.placed)} (${rate(now.placed - last.placed)}/s), ` +
          `join 429s ${n(now.shed)} (${rate(now.shed - last.shed)}/s), other answers ${n(tally.joinOther)}, ` +
          `polls ${n(seen.polls)} (${rate(seen.polls - last.polls)}/s; +${n(seen.poll429)} shed), ` +
          `admitted ${n(seen.admitted)}, API CPU ${fmt(((cpu - last.cpu) / 1e6 / seconds) * 100, 0)} %, ` +
          `load ${loadavg()[0]!.toFixed(1)}, joins in flight ${inFlight}`,
      );
      last = { ...now, polls: seen.polls, cpu };
    }
  }
  while (inFlight > 0) await sleep(100);
}

/**
 * The queue state as the writer left it, once a second: places taken (`issued`, copied from the counter at each tick),
 * released (`serving`) and admitted (`claimed`, the claims counter).
 */
interface LineSample {
  at: number;
  claimed: number;
  serving: number;
  issued: number;
  /** The writer's last tick: the gaps between ticks bound the budget (at most `maxTickGapMs` accrues per tick). */
  tickAt: number;
  /** The server's own claim count per admission minute (the minutes the claims' condition bounds; recent ones only). */
  minuteClaims: Record<string, number>;
}

/** The server's own admission counter, read once a second: admissions per 60 s come from here. */
async function sampleClaims(
  db: DynamoDBDocumentClient,
  tables: TableNames,
  eventId: string,
  opensAt: number,
  stop: number,
) {
  const samples: LineSample[] = [];
  // Until just past `stop`, which ends the last measured minute: its closing sample is taken too.
  while (Date.now() < stop + 1_500) {
    const { Item } = await db.send(
      new GetCommand({ TableName: tables.queue, Key: keys.queueState(eventId), ConsistentRead: true }),
    );
    if (Item && Date.now() >= opensAt) {
      const { claimed, serving, issued, tickAt, minuteClaims } = Item;
      samples.push({
        at: Date.now(),
        claimed: Number(claimed),
        serving: Number(serving),
        issued: Number(issued),
        tickAt: Number(tickAt),
        minuteClaims: (minuteClaims ?? {}) as Record<string, number>,
      });
    }
    // On the opening's millisecond: the measured minutes are counted from the opening, so each window starts and ends
    // on a minute boundary, not up to a second off (taking claims from the next minute).
    await sleep(1_000 - ((((Date.now() - opensAt) % 1_000) + 1_000) % 1_000));
  }
  return samples;
}

interface Audit {
  entries: number;
  lost: number;
  duplicates: number;
  mismatched: number;
  resampled: number;
  /** Re-joins answered with another place although the stored entry's turn was not over: a fault. */
  moved: number;
  /** Re-joins answered with something other than a place. */
  failed: number;
  /**
   * Re-joins given a new place because the stored entry's turn was over when the re-join was sent or answered (the
   * rule: a turn that ran out unclaimed, or an admission whose window ended, re-joins at the back), by why.
   */
  requeued: { releasedUnclaimed: number; admissionOver: number; unseenByClient: number };
  movedSamples: string[];
}

/**
 * Reads back every entry (not what clients were told) and re-joins a sample: one place each, unique, stable. Whether
 * a re-join may get a new place is judged from the server's own records, the stored entry and queue state read just
 * before it, by the app's own rule (`placeView`): a turn that is over (TURN_EXPIRED) re-joins at the back, by design;
 * any other change of place is counted as moved. The client's knowledge cannot judge it: a waiter learns that its
 * released turn ran out only from a poll, and polls stop at the end of the measured minutes while the writer goes on
 * releasing, so the turns of waiters whose polls and claims did not get through expire unseen.
 */
async function auditPlaces(
  api: HttpClient,
  db: DynamoDBDocumentClient,
  tables: TableNames,
  event: Performance,
  waiters: Waiter[],
  resample: number,
): Promise<Audit> {
  const items = await scanAll(db, { TableName: tables.queue });
  const entries = items.filter((i) => i.sk === 'ENTRY' && i.eventId === event.id);
  const byUser = new Map(entries.map((e) => [String(e.userId), e]));
  const numbers = new Set(entries.map((e) => `${e.epoch}:${e.number}`));
  let mismatched = 0;
  for (const w of waiters) {
    const stored = byUser.get(w.userId);
    if (stored && w.number !== undefined && stored.number !== w.number) mismatched++;
  }
  const onSale = event.onSale!;
  const lottery = new LotteryCache();
  const readState = async () => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tables.queue, Key: keys.queueState(event.id), ConsistentRead: true }),
    );
    return toQueueState(Item!);
  };
  const statusAt = (state: QueueState, entry: QueueEntry, now: number) =>
    placeView({ onSale, state, phase: phaseOf(onSale, state, now, true), now, entry, lottery }).status;
  let moved = 0;
  let failed = 0;
  const requeued = { releasedUnclaimed: 0, admissionOver: 0, unseenByClient: 0 };
  const movedSamples: string[] = [];
  const sample = [...waiters].sort(() => Math.random() - 0.5).slice(0, resample);
  for (let i = 0; i < sample.length; i += 200) {
    const state = await readState();
    await Promise.all(
      sample.slice(i, i + 200).map(async (w) => {
        const item = byUser.get(w.userId);
        const entry = item && toQueueEntry(item);
        for (;;) {
          const sentAt = Date.now();
          const answer = await api.send('PUT', `/v1/queues/${event.id}/entry`, { authorization: `Bearer ${w.token}` });
          if (answer.status === 429) {
            await sleep((answer.retryAfter ?? 1) * 1000);
            continue;
          }
          const place = (answer.body as { place?: { number: number; status: string } }).place;
          if (answer.status !== 200) {
            failed++;
            return;
          }
          if (place?.number === w.number) return;
          const over = entry && [sentAt, Date.now()].some((t) => statusAt(state, entry, t) === 'TURN_EXPIRED');
          if (entry && over) {
            if (entry.state === 'ADMITTED') requeued.admissionOver++;
            else requeued.releasedUnclaimed++;
            if (!w.expired && w.admittedAt === undefined) requeued.unseenByClient++;
            return;
          }
          moved++;
          if (movedSamples.length < 5) {
            movedSamples.push(
              `${w.userId}: client ${w.number}, stored ${JSON.stringify(entry)}, status then ` +
                `${entry ? statusAt(state, entry, sentAt) : 'no entry'}, answer ${JSON.stringify(place)}`,
            );
          }
          return;
        }
      }),
    );
  }
  return {
    entries: entries.length,
    lost: waiters.filter((w) => w.number === undefined || !byUser.has(w.userId)).length,
    duplicates: entries.length - numbers.size,
    mismatched,
    resampled: sample.length,
    moved,
    failed,
    requeued,
    movedSamples,
  };
}

function report(
  args: Args,
  waiters: Waiter[],
  tally: Tally,
  samples: LineSample[],
  opensAt: number,
  audit: Audit,
  cpuBefore: Extract<ChildMessage, { type: 'stats' }>,
  cpuAfter: Extract<ChildMessage, { type: 'stats' }>,
  jvmMs: number,
  generator: Generator,
): string {
  const seen = tally.waiters!;
  const claimApi = cpuAfter.answerTimes['claim 201'];
  const windows: string[] = [];
  const deviations: number[] = [];
  // Minute 1 is printed but not judged: the budget starts at 0 at the opening and the first released waiters see their
  // turn only at their next poll. Every later whole minute until the end of the measured ones is judged.
  for (let start = opensAt; start + 60_000 <= (samples.at(-1)?.at ?? 0); start += 60_000) {
    const first = samples.find((s) => s.at >= start);
    const last = samples.find((s) => s.at >= start + 60_000);
    if (!first || !last) continue;
    const perMinute = ((last.claimed - first.claimed) * 60_000) / (last.at - first.at);
    const judged = start > opensAt;
    if (judged) deviations.push(((perMinute - args.rate) / args.rate) * 100);
    windows.push(
      `  minute ${Math.round((start - opensAt) / 60_000) + 1}: ${n(last.claimed - first.claimed)} admitted in ` +
        `${fmt((last.at - first.at) / 1000)} s → ${fmt(perMinute, 0)}/min (${fmt(((perMinute - args.rate) / args.rate) * 100, 2)}% vs ${n(args.rate)})` +
        (judged ? '' : ' — not judged (the opening)'),
    );
  }
  const attempts = waiters.map((w) => w.joinAttempts);
  const calls = diffCalls(cpuBefore.dynamoCalls, cpuAfter.dynamoCalls);
  const lottery = waiters.filter((w) => w.lottery).length;
  const offeredSpan = (tally.allPlacedAt ?? Date.now()) - (tally.firstPlacedAt ?? Date.now());
  return [
    '',
    `joins: ${n(waiters.length)} offered over ${args.offerSeconds} s (${n(lottery)} into the pre-queue, ${n(waiters.length - lottery)} first come, first served)`,
    `  placed ${n(waiters.filter((w) => w.number !== undefined).length)}; all placed ${fmt(offeredSpan / 1000)} s after the first`,
    `  answered 200: ${line(summarize(tally.joinOk))}`,
    `  answered 429 (shed, Retry-After): ${line(summarize(tally.join429))}`,
    `  other answers: ${tally.joinOther}${tally.joinOtherSamples.length ? ` e.g. ${tally.joinOtherSamples.join(' | ')}` : ''}`,
    `  attempts per account: mean ${fmt(attempts.reduce((a, b) => a + b, 0) / attempts.length, 2)}, max ${Math.max(...attempts)}`,
    `polls answered 200: ${line(summarize(seen.polls))}; errors ${seen.pollErrors}${seen.pollErrorSamples.length ? ` e.g. ${seen.pollErrorSamples.join(' | ')}` : ''}`,
    `polls answered 429 (shed, Retry-After): ${line(summarize(seen.poll429))}`,
    `claims admitted: ${line(summarize(seen.claims))}`,
    `claims shed (429 OVERLOADED): ${line(summarize(seen.claim429))}; all refusals ${JSON.stringify(seen.claimRefusals)}`,
    `  from the poll that told a waiter its turn to its admission: ${line(summarize(seen.turnToAdmission))}`,
    `claim lag split (admitted claims): from the intended send p50 ${fmt(summarize(seen.claims).p50)} ms, p99 ${fmt(summarize(seen.claims).p99)} ms; ` +
      `the API's own answer time p50 ${fmt(claimApi?.p50 ?? NaN)} ms, p99 ${fmt(claimApi?.p99 ?? NaN)} ms; the rest is in front of the API`,
    `  the waiters' event loop (${args.waitersProcess === 1 ? 'a process of their own' : "the load generator's, shared with the joins"}): delay p50 ${fmt(seen.loopDelay.p50)} ms, p99 ${fmt(seen.loopDelay.p99)} ms, max ${fmt(seen.loopDelay.max)} ms; ` +
      `CPU ${fmt((args.waitersProcess === 1 ? generator.waitersCpuMs : seen.cpuMicros / 1000) / 1000)} s`,
    `  the joins' event loop (this process): delay p50 ${fmt(generator.joinsLoop.p50)} ms, p99 ${fmt(generator.joinsLoop.p99)} ms, max ${fmt(generator.joinsLoop.max)} ms; CPU ${fmt(generator.joinsCpuMs / 1000)} s${args.waitersProcess === 1 ? '' : ' (the waiters included)'}`,
    `the API's own answer time (from the request read off its socket to the last byte written; the times above add the wait in front of the process):`,
    ...Object.entries(cpuAfter.answerTimes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, summary]) => `  ${key}: ${line(summary)}`),
    `the API's bound on joins in flight (sampled each second; it falls while joins yield to late claims or polls): ` +
      `min ${cpuAfter.joinBound?.min ?? 'n/a'}, mean ${fmt(cpuAfter.joinBound?.mean ?? NaN)}, ${cpuAfter.joinBound?.secondsYielding ?? 'n/a'} s below ${DEFAULT_JOIN_BOUND}`,
    `the API's event loop: delay p50 ${fmt(cpuAfter.loopDelay.p50)} ms, p99 ${fmt(cpuAfter.loopDelay.p99)} ms, max ${fmt(cpuAfter.loopDelay.max)} ms (from its start)`,
    `DynamoDB calls as the API sees them (send to result; the SDK, its sockets and DynamoDB Local):`,
    ...Object.entries(cpuAfter.dynamoTimes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, summary]) => `  ${key.replace('Command', '')}: ${line(summary)}`),
    ...lineReport(samples, opensAt, args.rate),
    `admitted per 60 s (server counter; configured ${n(args.rate)}/min; minutes counted from the opening; judged from the second):`,
    ...windows,
    ...serverMinutes(samples, args.rate),
    `API process: ${fmt((cpuAfter.cpuMicros - cpuBefore.cpuMicros) / 1e6)} s CPU during the run (${fmt((cpuAfter.cpuMicros - cpuBefore.cpuMicros) / 1e3 / waiters.length, 2)} ms per account), rss ${cpuAfter.rssMiB} MiB; DynamoDB calls ${JSON.stringify(calls)}`,
    `DynamoDB Local's JVM: ${fmt(jvmMs / 1000)} s CPU during the run (${fmt(jvmMs / waiters.length, 2)} ms per account)`,
    `  DynamoDB calls per account (join, polls and claim included): ${Object.entries(calls)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k.replace('Command', '')} ${fmt(v / waiters.length, 3)}`)
      .join(', ')}`,
    `1-min load average during the run: min ${fmt(Math.min(...tally.loadSamples), 2)}, mean ${fmt(tally.loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, tally.loadSamples.length), 2)}, max ${fmt(Math.max(...tally.loadSamples), 2)}; after it ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' / ')} (1/5/15 min)`,
    `audit: ${n(audit.entries)} entries for ${n(waiters.length)} accounts; lost joins ${audit.lost}; duplicate places ${audit.duplicates}; ` +
      `client/store mismatches ${audit.mismatched}; re-joined ${n(audit.resampled)} accounts: ${audit.moved} moved, ` +
      `${audit.failed} answered other than a place; re-queued because the stored turn was over: ` +
      `${audit.requeued.releasedUnclaimed} released and never claimed, ${audit.requeued.admissionOver} admission window ended ` +
      `(${audit.requeued.unseenByClient} of them never seen by their client: no poll told it, no claim got through)`,
    ...audit.movedSamples.map((m) => `  moved: ${m}`),
    '',
    `against the issue's goal (${n(waiters.length)} joins offered in ${args.offerSeconds} s):`,
    `  lost joins ${audit.lost}, duplicate places ${audit.duplicates}, moved on retry ${audit.moved + audit.failed}, other answers ${tally.joinOther} → ${audit.lost + audit.duplicates + audit.moved + audit.failed + tally.joinOther === 0 ? 'met' : 'NOT MET'}`,
    `  join p99: answered 200 ${fmt(summarize(tally.joinOk).p99)} ms, answered 429 ${fmt(summarize(tally.join429).p99)} ms; poll p99 ${fmt(summarize(seen.polls).p99)} ms; all placed ${fmt(offeredSpan / 1000)} s after the first`,
    `  … of which the API's own answer time, p99: join 200 ${fmt(cpuAfter.answerTimes['join 200']?.p99 ?? NaN)} ms, join 429 ${fmt(cpuAfter.answerTimes['join 429']?.p99 ?? NaN)} ms, poll 200 ${fmt(cpuAfter.answerTimes['poll 200']?.p99 ?? NaN)} ms, claim 201 ${fmt(cpuAfter.answerTimes['claim 201']?.p99 ?? NaN)} ms`,
    `  admitted per 60 s within ±1 % of ${n(args.rate)}/min: ${deviations.length === 0 ? 'not measured (no whole minute)' : `${deviations.every((d) => Math.abs(d) <= 1) ? 'met' : 'NOT MET'} (${deviations.map((d) => `${d >= 0 ? '+' : ''}${fmt(d, 2)} %`).join(', ')})`}`,
    `  placement rate: ${fmt(waiters.length / Math.max(offeredSpan / 1000, 1e-3), 0)} joins/s from the first place to the last`,
    `  CPU per account (join, its retries, polls and claim): API ${fmt((cpuAfter.cpuMicros - cpuBefore.cpuMicros) / 1e3 / waiters.length, 2)} ms, DynamoDB Local's JVM ${fmt(jvmMs / waiters.length, 2)} ms`,
  ].join('\n');
}

/**
 * Placed against released against admitted, every 10 s from the opening, and how long the line ahead of the serving
 * position (taken − released) was shorter than the floor below which joins stop yielding, and than 10 s of the rate:
 * a line run dry shows here as admissions that follow placement instead of the rate.
 */
function lineReport(samples: readonly LineSample[], opensAt: number, rate: number): string[] {
  const rows = samples.filter(
    (s, i) => i === 0 || Math.floor((s.at - opensAt) / 10_000) > Math.floor((samples[i - 1]!.at - opensAt) / 10_000),
  );
  const floor = (LINE_FLOOR_SECONDS * rate) / 60;
  const short = (limit: number) => samples.filter((s) => s.issued - s.serving < limit).length;
  // The writer's ticks seen (each distinct tickAt), and the budget time a gap longer than maxTickGapMs lost.
  const ticks = [...new Set(samples.map((s) => s.tickAt))].sort((a, b) => a - b);
  const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
  const lostMs = gaps.reduce((sum, gap) => sum + Math.max(0, gap - RELEASE_TUNING.maxTickGapMs), 0);
  const gap = summarize(gaps);
  return [
    `the line over time (queue state each second; taken = numbers issued to joins, released = serving position, admitted = claims counted):`,
    ...rows.map(
      (s) =>
        `  t+${fmt((s.at - opensAt) / 1000, 0)} s: taken ${n(s.issued)}, released ${n(s.serving)}, admitted ${n(s.claimed)}; ` +
        `ahead of the serving position ${n(s.issued - s.serving)}, released and not yet claimed ${n(s.serving - s.claimed)}`,
    ),
    `  seconds with the line ahead below ${LINE_FLOOR_SECONDS} s of the rate (${n(floor)}, joins not yielding): ${short(floor)} of ${samples.length}; ` +
      `below 10 s of the rate (${n(Math.round(rate / 6))}, running dry): ${short(rate / 6)}`,
    `  the writer's ticks: ${n(ticks.length)} seen, gap p50 ${fmt(gap.p50 / 1000, 2)} s, p99 ${fmt(gap.p99 / 1000, 2)} s, ` +
      `max ${fmt(gap.max / 1000, 2)} s; budget time lost to gaps over ${RELEASE_TUNING.maxTickGapMs / 1000} s: ` +
      `${fmt(lostMs / 1000)} s (${n(Math.round((lostMs * rate) / 60_000))} admissions)`,
  ];
}

/** The load generator's own figures: the joins' process and, when apart, the waiters'. */
interface Generator {
  joinsCpuMs: number;
  joinsLoop: { p50: number; p99: number; max: number };
  waitersCpuMs: number;
}

function shedReport(cost: ShedCost): string {
  const spread = (rounds: readonly number[]) => `${fmt(Math.min(...rounds), 0)}–${fmt(Math.max(...rounds), 0)}`;
  return [
    `API CPU per shed answer (429 + Retry-After; median of ${cost.rounds} rounds, ${n(cost.answers)} answers in all):`,
    `  in front of Express (createApiListener, as served): ${fmt(cost.frontMicros, 0)} µs (rounds ${spread(cost.frontRounds)})`,
    `  … and with each request logged (info, one JSON line to /dev/null): ${fmt(cost.frontLoggedMicros, 0)} µs`,
    `  through Express (createApiApp alone, the path before): ${fmt(cost.expressMicros, 0)} µs (rounds ${spread(cost.expressRounds)})`,
    `  floor, Node's HTTP server answering a constant 429: ${fmt(cost.bareMicros, 0)} µs`,
  ].join('\n');
}

/**
 * The server's own count per admission minute, as the claims' condition keeps it (each claim in the minute of the
 * API's clock, counted from the opening): the last value seen of each minute, not judged (the bench's minutes above
 * are the goal's), printed so a difference between the two readings shows.
 */
function serverMinutes(samples: readonly LineSample[], rate: number): string[] {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    for (const [key, count] of Object.entries(sample.minuteClaims)) {
      counts.set(Number(key), Math.max(counts.get(Number(key)) ?? 0, Number(count)));
    }
  }
  const minutes = [...counts].sort(([a], [b]) => a - b);
  return [
    `the server's own count per admission minute (the claims' condition; not judged): ${minutes
      .map(([m, count]) => `minute ${m + 1} ${n(count)} (${fmt(((count - rate) / rate) * 100, 2)} %)`)
      .join(', ')}`,
  ];
}

export function diffCalls(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
