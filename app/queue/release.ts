import type { EpochMs } from '../shared/time.js';
import type { Draw, QueueState, RateSample, ReleaseBucket } from './model.js';

/**
 * The admitter: what the one writer does each tick (about once a second).
 *
 * Claims, not releases, are what the configured rate limits. The budget `allowed` grows by `admitPerMinute` per
 * minute while the queue is open; a claim counts itself against it atomically (`claimed < allowed`), so admissions
 * can never overshoot the rate, whatever the writer releases. The writer then releases just enough positions for
 * the expected claims to use the budget: with a measured show-up ratio s (claims ÷ releases of buckets old enough to
 * have been claimed), it releases the uncovered budget ÷ s. No-shows, holes and abandoned places are thereby
 * compensated within about half a minute instead of after their 10-minute window.
 *
 * Claims are also bounded per admission minute (minutes counted from the opening, the minutes the operator and
 * the benchmark read): a minute's claims never exceed the rate, however much budget a starved minute left unused.
 * Without it, claims held up for a while (a slow minute) arrived together with the next minute's and its count
 * overshot by up to the carried `burstMs` (+8.9 % in a 100,000-join run). Each claim counts itself in the minute its
 * own clock says (`claimFits`, `withClaim`; the claim's condition in the store mirrors them), so a new minute starts
 * on the minute, not at the writer's next tick: with the minute kept on the state by the writer, every minute began
 * with the ≈ 0.5–1 s (seconds when ticks lagged) until that tick and the instances' next state read, in which no
 * claim was taken.
 */
export const RELEASE_TUNING = {
  /** A stalled writer does not come back with a burst: at most this much time accrues per tick. */
  maxTickGapMs: 5_000,
  /** Unused budget is capped at this much of the rate, so a lull or a pause is not followed by a stampede. */
  burstMs: 10_000,
  /** A bucket this old (after it closed) has had its claims; it enters the show-up ratio. */
  matureMs: 30_000,
  /**
   * Releases lead the budget by this much of the rate. It keeps a few claimers waiting on the budget (they retry
   * within 1–2 s), which makes the budget — exact and atomic — the limiter, rather than the luck of who shows up.
   */
  leadMs: 5_000,
  /** Until this many matured releases exist, everyone is assumed to show up. */
  minSample: 20,
  minShowRatio: 0.1,
  /** Buckets are dropped this long after their window ended (claims past the window are refused anyway). */
  dropGraceMs: 5_000,
  sampleEveryMs: 5_000,
  keepSamplesMs: 80_000,
  /** After a takeover the rate ramps linearly from 10% to 100% over this long, while the standby scales out. */
  takeoverRampMs: 5 * 60_000,
  takeoverRampStart: 0.1,
  /** A claim refused for budget retries within this many seconds: less than `burstMs`, so no budget goes unused. */
  maxBudgetRetrySeconds: 8,
} as const;

/** The share of the configured rate a writer may use now: 1, or less during the ramp after a takeover. */
export function rampFactor(rampFrom: EpochMs | undefined, now: EpochMs): number {
  if (rampFrom === undefined) return 1;
  const { takeoverRampMs, takeoverRampStart } = RELEASE_TUNING;
  const progress = Math.min(Math.max((now - rampFrom) / takeoverRampMs, 0), 1);
  return takeoverRampStart + (1 - takeoverRampStart) * progress;
}

/** Buckets are ≥ 10 s and at most 40 per window, keeping the state item a few KB (every claim rewrites it). */
export function bucketMsFor(windowMs: number): number {
  return Math.max(10_000, Math.ceil(windowMs / 40 / 1_000) * 1_000);
}

export interface TickInput {
  readonly state: QueueState;
  /** The epoch counter as read this tick: the highest number issued and the draw, if it happened. */
  readonly issued: number;
  readonly draw?: Draw;
  readonly now: EpochMs;
  /** Open, drawn, ACTIVE and this region is the writer. */
  readonly releasing: boolean;
  readonly admitPerMinute: number;
  readonly windowMs: number;
  /** The configured opening: admission minutes are counted from it. */
  readonly opensAt: EpochMs;
}

export interface TickPlan {
  readonly serving: number;
  readonly allowed: number;
  readonly allowedCarry: number;
  /** Admission minutes whose claim counts are dropped (older than the previous minute; no claim counts in them). */
  readonly prunedMinutes: readonly string[];
  readonly issued: number;
  readonly draw?: Draw;
  /** A new bucket, or the current one with a larger `to`; claims of other buckets are never rewritten. */
  readonly bucket?: { readonly kind: 'new' | 'extend'; readonly value: ReleaseBucket };
  readonly dropped: readonly ReleaseBucket[];
  readonly expiredReleased: number;
  readonly expiredClaims: number;
  readonly history: readonly RateSample[];
  readonly released: number;
  readonly showRatio: number;
  readonly tickAt: EpochMs;
}

const sizeOf = (b: ReleaseBucket) => b.to - b.from + 1;
const MINUTE_MS = 60_000;

/** The admission minute `now` falls in, counted from the opening: 0 is the first minute (and any time before it). */
export function admissionMinuteAt(opensAt: EpochMs, now: EpochMs): number {
  return Math.max(0, Math.floor((now - opensAt) / MINUTE_MS));
}

/** The claims counted so far in an admission minute. */
export function minuteClaimsOf(state: QueueState, minute: number): number {
  return state.minuteClaims[String(minute)] ?? 0;
}

/**
 * Whether a claim at `now` may be counted: budget left (`claimed < allowed`) and its admission minute below the
 * configured rate. The rule the claim's condition expression enforces atomically in the store (`DynamoQueueStore.claim`).
 */
export function claimFits(
  state: QueueState,
  onSale: { readonly opensAt: EpochMs; readonly admitPerMinute: number },
  now: EpochMs,
): boolean {
  return (
    state.claimed < state.allowed &&
    minuteClaimsOf(state, admissionMinuteAt(onSale.opensAt, now)) < perMinuteCap(onSale.admitPerMinute)
  );
}

/** A minute's claims stop at the configured rate (a fractional rate rounds down: never above it). */
export function perMinuteCap(admitPerMinute: number): number {
  return Math.floor(admitPerMinute);
}

/** The state after one counted claim, as the store's claim update writes it (for the simulations and tests). */
export function withClaim(state: QueueState, bucketAt: EpochMs, minute: number): QueueState {
  const key = String(minute);
  return {
    ...state,
    claimed: state.claimed + 1,
    minuteClaims: { ...state.minuteClaims, [key]: (state.minuteClaims[key] ?? 0) + 1 },
    buckets: state.buckets.map((b) => (b.at === bucketAt ? { ...b, claims: b.claims + 1 } : b)),
  };
}

export function showRatioOf(buckets: readonly ReleaseBucket[], bucketMs: number, now: EpochMs): number {
  const matured = buckets.filter((b) => b.at + bucketMs + RELEASE_TUNING.matureMs <= now);
  const released = matured.reduce((sum, b) => sum + sizeOf(b), 0);
  if (released < RELEASE_TUNING.minSample) return 1;
  const claims = matured.reduce((sum, b) => sum + b.claims, 0);
  return Math.min(1, Math.max(RELEASE_TUNING.minShowRatio, claims / released));
}

export function planTick(input: TickInput): TickPlan {
  const { state, now } = input;
  const rate = input.admitPerMinute * rampFactor(state.rampFrom, now);
  const perMs = rate / 60_000;
  const bucketMs = bucketMsFor(input.windowMs);
  const dt = state.tickAt > 0 ? Math.min(Math.max(now - state.tickAt, 0), RELEASE_TUNING.maxTickGapMs) : 0;

  let budget = state.allowed + state.allowedCarry + (input.releasing ? perMs * dt : 0);
  budget = Math.min(budget, state.claimed + perMs * RELEASE_TUNING.burstMs);
  const allowed = Math.max(Math.floor(budget), state.claimed);
  const allowedCarry = Math.max(budget - allowed, 0);

  const live = state.buckets.filter((b) => b.expiresAt + RELEASE_TUNING.dropGraceMs > now);
  const dropped = state.buckets.filter((b) => !live.includes(b));
  const showRatio = showRatioOf(live, bucketMs, now);
  const young = live.filter((b) => b.at + bucketMs + RELEASE_TUNING.matureMs > now);
  const pendingClaims = young.reduce((sum, b) => sum + Math.max(0, sizeOf(b) * showRatio - b.claims), 0);
  const need = allowed - state.claimed + perMs * RELEASE_TUNING.leadMs - pendingClaims;
  const releasable = Math.max(0, input.issued - state.serving);
  const released = input.releasing
    ? Math.min(Math.max(0, Math.ceil(need / showRatio)), releasable, Math.ceil(rate))
    : 0;
  const serving = state.serving + released;

  let bucket: TickPlan['bucket'];
  if (released > 0) {
    const at = Math.floor(now / bucketMs) * bucketMs;
    const current = live.find((b) => b.at === at);
    bucket = current
      ? { kind: 'extend', value: { ...current, to: serving } }
      : {
          kind: 'new',
          value: { at, from: state.serving + 1, to: serving, claims: 0, expiresAt: at + bucketMs + input.windowMs },
        };
  }

  const last = state.history[state.history.length - 1];
  const sampled =
    !last || now - last.at >= RELEASE_TUNING.sampleEveryMs
      ? [...state.history, { at: now, serving, claimed: state.claimed }]
      : state.history;
  return {
    serving,
    allowed,
    allowedCarry,
    // The previous minute stays for whoever reads its final count (the operator, the benchmark).
    prunedMinutes: Object.keys(state.minuteClaims).filter(
      (key) => Number(key) < admissionMinuteAt(input.opensAt, now) - 1,
    ),
    issued: Math.max(input.issued, state.issued),
    draw: input.draw ?? state.draw,
    bucket,
    dropped,
    expiredReleased: state.expiredReleased + dropped.reduce((sum, b) => sum + sizeOf(b), 0),
    expiredClaims: state.expiredClaims + dropped.reduce((sum, b) => sum + b.claims, 0),
    history: sampled.filter((h) => h.at >= now - RELEASE_TUNING.keepSamplesMs),
    released,
    showRatio,
    tickAt: now,
  };
}

/** Applies a plan to a state (what the store writes, for the simulation and for tests). */
export function applyPlan(state: QueueState, plan: TickPlan): QueueState {
  const buckets = state.buckets.filter((b) => !plan.dropped.includes(b) && b.at !== plan.bucket?.value.at);
  if (plan.bucket) buckets.push(plan.bucket.value);
  buckets.sort((a, b) => a.at - b.at);
  return {
    ...state,
    serving: plan.serving,
    allowed: plan.allowed,
    allowedCarry: plan.allowedCarry,
    minuteClaims: Object.fromEntries(
      Object.entries(state.minuteClaims).filter(([key]) => !plan.prunedMinutes.includes(key)),
    ),
    issued: plan.issued,
    draw: plan.draw,
    buckets,
    expiredReleased: plan.expiredReleased,
    expiredClaims: plan.expiredClaims,
    history: plan.history,
    tickAt: plan.tickAt,
  };
}

/**
 * A new writer takes over (DR promotion or failback): a new epoch whose numbers continue after the highest number
 * this writer has seen, so (epoch, number) is never issued twice; the old epoch's numbers above that end are lost
 * (their owners re-join behind the epoch); and the unused budget is dropped, so the new region starts admitting at the set rate, not in a burst.
 */
export function takeoverState(state: QueueState, seenIssued: number, region: string, now: EpochMs): QueueState {
  const end = Math.max(seenIssued, state.epochBase);
  return {
    ...state,
    epoch: state.epoch + 1,
    writerRegion: region,
    epochEnds: { ...state.epochEnds, [String(state.epoch)]: end },
    epochBase: end,
    issued: end,
    serving: Math.min(state.serving, end),
    // Released ranges stop at the end too, so a new-epoch position can never be found in an old bucket.
    buckets: state.buckets.filter((b) => b.from <= end).map((b) => ({ ...b, to: Math.min(b.to, end) })),
    allowed: state.claimed,
    allowedCarry: 0,
    history: [],
    tickAt: now,
    rampFrom: now,
  };
}

/**
 * Retry-After for a claim refused because the budget is used up: the time the budget needs to let in the released
 * waiters still expected at the door (unclaimed released places × show-up ratio ÷ the rate), 1 s at least and
 * `maxBudgetRetrySeconds` at most, spread over ±50 % so the waiters do not come back together. It grows with the
 * crowd at the door, and stays short enough that the budget carried meanwhile (`burstMs`) is never lost.
 */
export function budgetRetryAfterSeconds(
  state: QueueState,
  onSale: { readonly admitPerMinute: number; readonly admissionWindowMinutes: number },
  now: EpochMs,
  random: () => number,
): number {
  const perSecond = Math.max((onSale.admitPerMinute * rampFactor(state.rampFrom, now)) / 60, 1e-6);
  const live = state.buckets.filter((b) => b.expiresAt > now);
  const unclaimed = live.reduce((sum, b) => sum + Math.max(0, sizeOf(b) - b.claims), 0);
  const atDoor = unclaimed * showRatioOf(live, bucketMsFor(onSale.admissionWindowMinutes * 60_000), now);
  const max = RELEASE_TUNING.maxBudgetRetrySeconds;
  const base = Math.min(max, Math.max(1, atDoor / perSecond));
  return Math.min(max, Math.max(1, Math.round(base * (0.5 + random()))));
}
