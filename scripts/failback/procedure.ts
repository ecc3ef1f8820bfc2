import { wasLiveAtFailover, type DrState, type DrStateStore } from '../../app/booking/dr.js';
import type { BookingStore, DrStateSource } from '../../app/booking/ports.js';
import type { EpochMs } from '../../app/shared/time.js';

/**
 * Failback (standby → primary) as a procedure over a port, so the same steps and checks run against AWS
 * (scripts/failback/aws.ts) and in the local drill (scripts/drill). One writer at a time is kept throughout: writes stop
 * everywhere (the failback hand-over) before the primary may take them again, for longer than any API caches the DR
 * state, and traffic returns to the primary only after the DR state says it is the writer.
 */
export interface FailbackPort {
  /** The DR state item as the standby region reads and writes it (the failover workflow's store). */
  readonly standby: DrStateStore;
  /** The same item in the primary region's replica: proves replication has reached the primary. */
  readonly primaryReplica: DrStateSource;
  /** The primary's web tier and its API tier answer (AWS: the Route53 endpoint check; local: /health/deep). */
  primaryHealthy(): Promise<{ readonly healthy: boolean; readonly detail: string }>;
  /** A running failover execution would fight the failback (it pins traffic and raises capacity). */
  failoverRunning(): Promise<boolean>;
  /** Primary-region holds live at `since` that the standby's recovery loop has not made DR_RECOVERED yet. */
  unrecoveredHolds(since: EpochMs): Promise<number>;
  /** Reopens the gate: the PRIMARY record follows the primary's health again. */
  unpinTraffic(): Promise<void>;
}

export interface FailbackOptions {
  /** How long every API may still act on a DR state it read earlier (DR_STATE_CACHE_SECONDS), plus a margin. */
  readonly settleMs: number;
  /** How long to wait for the primary's replica to show each transition. */
  readonly replicationTimeoutMs: number;
  readonly pollMs?: number;
  readonly now?: () => EpochMs;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export class FailbackRefused extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`Failback refused; nothing was changed:\n${reasons.map((r) => `  - ${r}`).join('\n')}`);
    this.name = 'FailbackRefused';
  }
}

export interface FailbackStep {
  readonly step: string;
  readonly ms: number;
}

/** What must hold before a failback starts; every failed one is reported, not just the first. */
export async function failbackPreconditions(port: FailbackPort): Promise<{ state: DrState; reasons: string[] }> {
  const state = await port.standby.current();
  const reasons: string[] = [];
  if (!state.active || state.since === undefined) {
    return { state, reasons: ['DR is not active: there is nothing to fail back.'] };
  }
  const [running, health, unrecovered, replica] = await Promise.all([
    port.failoverRunning(),
    port.primaryHealthy(),
    state.failbackStartedAt === undefined ? port.unrecoveredHolds(state.since) : Promise.resolve(0),
    port.primaryReplica.current(),
  ]);
  if (running) reasons.push('A failover workflow execution is still running: wait for it to finish.');
  if (!health.healthy) reasons.push(`The primary region is not healthy (${health.detail}): repair it first.`);
  if (unrecovered > 0) {
    reasons.push(
      `${unrecovered} primary-region hold(s) live at the failover are not DR_RECOVERED yet: ending DR now would drop ` +
        'their grace. Wait for the standby’s recovery loop (it runs every few seconds).',
    );
  }
  if (!replica.active || replica.since !== state.since) {
    reasons.push('The primary region’s replica does not show this failover yet: global-table replication is behind.');
  }
  return { state, reasons };
}

export async function failback(port: FailbackPort, options: FailbackOptions): Promise<FailbackStep[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.log ?? (() => {});
  const steps: FailbackStep[] = [];
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    steps.push({ step, ms: performance.now() - started });
    log(`failback: ${step}`);
    return result;
  };
  const replicaShows = async (what: string, seen: (s: DrState) => boolean) => {
    const deadline = now() + options.replicationTimeoutMs;
    while (!seen(await port.primaryReplica.current())) {
      if (now() > deadline) throw new Error(`The primary region's replica did not show ${what} in time; retry later.`);
      await sleep(options.pollMs ?? 250);
    }
  };

  const { state, reasons } = await timed('preconditions checked', () => failbackPreconditions(port));
  if (reasons.length > 0) throw new FailbackRefused(reasons);

  // 1. Nobody writes: the standby stops within its cache TTL; the primary already refuses (it reads the same item).
  const frozen = await timed('hand-over started: no region takes writes', () =>
    port.standby.beginFailback(state, now()),
  );
  await timed('hand-over replicated to the primary and every API cache expired', async () => {
    await replicaShows('the hand-over', (s) => s.failbackStartedAt !== undefined);
    await sleep(options.settleMs);
  });
  // 2. The primary is the writer again (DR_RESERVED reservations stay DR_RESERVED; DR_RECOVERED holds keep their
  // deadline, stored on the hold and its seats).
  await timed('DR ended: the primary is the writer', () => port.standby.deactivate(frozen));
  await timed('end of DR replicated to the primary', () => replicaShows('the end of DR', (s) => !s.active));
  // 3. Traffic follows the primary's health again.
  await timed('traffic unpinned: DNS follows the primary’s health', () => port.unpinTraffic());
  return steps;
}

/** Counts what the recovery loop still has to convert: HOLDING holds of the primary region live at `since`. */
export async function unrecoveredHoldsIn(
  store: Pick<BookingStore, 'holdsExpiringAfter'>,
  since: EpochMs,
  primaryRegion: string,
): Promise<number> {
  const protection = { since, graceUntil: Number.POSITIVE_INFINITY, primaryRegion };
  const holds = await store.holdsExpiringAfter(since);
  return holds.filter((h) => h.status === 'HOLDING' && wasLiveAtFailover(h, protection)).length;
}
