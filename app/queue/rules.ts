import type { OnSaleConfig } from '../catalog/types.js';
import type { EpochMs } from '../shared/time.js';
import type { LotteryCache } from './lottery.js';
import type { QueueEntryRef, QueuePhase, QueueState, ReleaseBucket } from './model.js';

/** See `QUEUE_PHASES`. `state` is undefined until the queue is armed (its seed committed). */
export function phaseOf(
  onSale: OnSaleConfig,
  state: QueueState | undefined,
  now: EpochMs,
  writer: boolean,
): QueuePhase {
  if (!state) return 'SCHEDULED';
  if (state.control === 'CLOSED') return 'CLOSED';
  // The draw is a one-way door: once the pre-queue has been closed, the queue is open whatever the clock says.
  if (state.draw || now >= onSale.opensAt) return state.control === 'PAUSED' || !writer ? 'PAUSED' : 'OPEN';
  // The pre-queue never opens before the seed's commitment exists, whatever the configured time.
  return now >= Math.max(onSale.preQueueOpensAt, state.committedAt) ? 'PRE_QUEUE' : 'SCHEDULED';
}

export type PlaceResolution =
  | { readonly kind: 'LINE'; readonly position: number }
  | { readonly kind: 'PENDING_DRAW'; readonly ticket: number }
  | { readonly kind: 'LOST' };

/**
 * Where an entry stands in line. Numbers of the current epoch are valid; a number of an older epoch is valid only up
 * to the end the new writer recorded for that epoch — anything above was issued by the old writer but never reached
 * the new one (replication lag), and its owner re-joins behind the epoch. A lottery ticket gets its drawn place.
 */
export function resolvePlace(ref: QueueEntryRef, state: QueueState, lottery: LotteryCache): PlaceResolution {
  if (ref.epoch < state.epoch) {
    const end = state.epochEnds[String(ref.epoch)];
    if (end === undefined || ref.number > end) return { kind: 'LOST' };
  }
  if (!ref.lottery) return { kind: 'LINE', position: ref.number };
  if (!state.draw) return { kind: 'PENDING_DRAW', ticket: ref.number };
  const position = lottery.placeOf(state.seed, state.draw.size, ref.number);
  return position === undefined ? { kind: 'LOST' } : { kind: 'LINE', position };
}

/**
 * Seconds of admissions the line must hold ahead of the serving position before new joins yield to claims and polls
 * (see `joinsMayYield`).
 */
export const LINE_FLOOR_SECONDS = 30;

/**
 * Whether joins may give way to claims and polls (the overload guard's yield rule): only while the line ahead of the
 * serving position — places issued and not yet released — holds at least `LINE_FLOOR_SECONDS` of the admission rate.
 * Below that, yielding starves what it protects: with joins held to 16 in flight an API placed ≈ 100 a second, the
 * rate itself, so the writer could release only whoever had just been placed and each minute admitted what the joins
 * of that minute allowed (−4.5 %, then −9.7 %; docs/benchmarks.md).
 *
 * The floor is a threshold, not a reservoir: the moment the line falls below it, joins are served at full width again
 * (the check runs per join, on the state this instance last saw, at most a tick old), and placement at full width is
 * several times the rate. So it needs to cover only the writer's 5 s lead over the budget, a tick or two of stale
 * state and the numbers instances have taken in blocks but not yet placed (about a second of their joins) — 30 s
 * covers them with room. A longer floor keeps joins from yielding for most of an on-sale: at 2 minutes the quiet
 * 100,000-join run never reached it (the line stayed shorter for 222 of 238 s, as the writer released ahead for
 * slow claimers), the joins' 100-item transactions took DynamoDB (Local's one writer) from the claims again, and the
 * admissions fell to −51 %, −31 %, −2.5 % of the rate (docs/benchmarks.md, 2026-11-30 13:48).
 */
export function joinsMayYield(state: Pick<QueueState, 'issued' | 'serving'>, admitPerMinute: number): boolean {
  return state.issued - state.serving >= (LINE_FLOOR_SECONDS * admitPerMinute) / 60;
}

/** The release bucket that let `position` in, if it is still within its window. */
export function bucketOf(state: QueueState, position: number): ReleaseBucket | undefined {
  return state.buckets.find((b) => b.from <= position && position <= b.to);
}

/**
 * The writer's samples of the last minute that a rate may be measured over: none from before `since` (the opening).
 * The writer samples from the moment the queue is armed, so without that bound the pre-queue's flat samples (nothing
 * released yet) would dilute the first minute's rate — at +10 s after an opening armed 40 s earlier, to a fifth —
 * and every waiter placed then would be told an ETA, and a next poll, several times too late.
 */
function rateWindow(state: QueueState, now: EpochMs, since: EpochMs) {
  const history = state.history.filter((h) => h.at >= Math.max(now - 75_000, since));
  const first = history[0];
  const last = history[history.length - 1];
  return first && last && last.at - first.at >= 5_000 ? { first, last } : undefined;
}

/** Positions released per millisecond over the last minute since `since`, from the writer's samples (0 if unknown). */
export function measuredReleaseRate(state: QueueState, now: EpochMs, since: EpochMs): number {
  const window = rateWindow(state, now, since);
  return window ? (window.last.serving - window.first.serving) / (window.last.at - window.first.at) : 0;
}

/** Claims per minute over the last minute since `since` (the operator's "claim rate"). */
export function measuredClaimRate(state: QueueState, now: EpochMs, since: EpochMs): number {
  const window = rateWindow(state, now, since);
  return window ? ((window.last.claimed - window.first.claimed) / (window.last.at - window.first.at)) * 60_000 : 0;
}

/**
 * ETA for a waiter `ahead` positions from being released: from the measured release rate, or from the configured
 * rate until there is a measurement. Undefined while nothing is being released (paused, closed, pre-queue).
 */
export function etaMs(ahead: number, phase: QueuePhase, state: QueueState, onSale: OnSaleConfig, now: EpochMs) {
  if (phase !== 'OPEN') return undefined;
  const measured = measuredReleaseRate(state, now, onSale.opensAt);
  const rate = measured > 0 ? measured : onSale.admitPerMinute / 60_000;
  return Math.round((ahead + 1) / rate);
}

const POLL_MIN_MS = 2_000;
const POLL_MAX_MS = 120_000;
/** Share of the ETA a waiter waits before asking again. */
const POLL_ETA_SHARE = 1 / 4;
const clampPoll = (ms: number, max = POLL_MAX_MS) => Math.min(max, Math.max(POLL_MIN_MS, Math.round(ms)));

/**
 * When a waiter should ask again: every 2 s near the front, after a quarter of the ETA further back (at most every
 * 2 minutes), so the crowd's poll rate grows with the admission rate and only logarithmically with its size: 100,000
 * waiters at 6,000 admissions/min poll ≈ 2,500 times/s (a tenth of the ETA capped at 30 s, the rule before, made
 * that ≈ 6,000/s). A turn is still seen within 2 s: every waiter within 8 s of the front polls every 2 s.
 */
export function pollAfterMs(phase: QueuePhase, eta: number | undefined, onSale: OnSaleConfig, now: EpochMs): number {
  if (phase === 'SCHEDULED' || phase === 'PRE_QUEUE') return clampPoll((onSale.opensAt - now) / 3, 30_000);
  if (phase === 'OPEN' && eta !== undefined) return clampPoll(eta * POLL_ETA_SHARE);
  return 15_000;
}

/**
 * The hold gate's rule, mirrored by the condition expression in `adapters/dynamodb/queue-conditions.ts`: an admission
 * serves a hold while it is ADMITTED under this token id, unexpired, with holds left.
 */
export interface AdmissionRecord {
  readonly state: string;
  readonly tokenId?: string;
  readonly holdsUsed?: number;
  readonly admissionExpiresAt?: EpochMs;
}

/**
 * A token from an older writer epoch whose admission never reached this region (no entry, or the entry as it was
 * before the claim) is honoured once its MAC checks out: admitted users finish in the new region with the token they
 * have. A finished purchase or a newer admission is never overridden.
 */
function admissionLostInReplication(record: AdmissionRecord | undefined): boolean {
  return record === undefined || record.state === 'WAITING';
}

export function admissionServesHold(
  record: AdmissionRecord | undefined,
  use: { readonly tokenId: string; readonly cap: number; readonly now: EpochMs; readonly fromOlderEpoch: boolean },
): boolean {
  if (use.fromOlderEpoch && admissionLostInReplication(record)) return true;
  return (
    record?.state === 'ADMITTED' &&
    record.tokenId === use.tokenId &&
    (record.holdsUsed ?? 0) < use.cap &&
    (record.admissionExpiresAt ?? 0) > use.now
  );
}

/** Confirm closes the admission: only the admitted token may, once. */
export function admissionServesConfirm(
  record: AdmissionRecord | undefined,
  use: { readonly tokenId: string; readonly fromOlderEpoch: boolean },
): boolean {
  if (use.fromOlderEpoch && admissionLostInReplication(record)) return true;
  return record?.state === 'ADMITTED' && record.tokenId === use.tokenId;
}
