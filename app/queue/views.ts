import type { OnSaleConfig } from '../catalog/types.js';
import type { EpochMs } from '../shared/time.js';
import type { LotteryCache } from './lottery.js';
import type { QueueEntry, QueueEntryRef, QueuePhase, QueueState } from './model.js';
import { bucketMsFor, showRatioOf } from './release.js';
import { bucketOf, etaMs, measuredClaimRate, measuredReleaseRate, pollAfterMs, resolvePlace } from './rules.js';

/**
 * What a waiter sees:
 * PENDING_DRAW (in the pre-queue, order drawn at opening) → WAITING (position, people ahead, ETA) → YOUR_TURN (claim
 * before `turnExpiresAt`) → ADMITTED (token issued; holds left) → DONE (purchase confirmed). TURN_EXPIRED when the
 * turn or the admission ran out; LOST when the entry was issued by a previous writer and never reached this one
 * (the waiter re-joins behind the epoch).
 */
export const PLACE_STATUSES = [
  'PENDING_DRAW',
  'WAITING',
  'YOUR_TURN',
  'ADMITTED',
  'TURN_EXPIRED',
  'DONE',
  'LOST',
] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

export interface PlaceView {
  readonly eventId: string;
  readonly phase: QueuePhase;
  readonly status: PlaceStatus;
  readonly epoch: number;
  readonly number: number;
  readonly lottery: boolean;
  /** Place in line (1 = first), once known: directly for first-come joins, after the draw for lottery tickets. */
  readonly position?: number;
  /** People still ahead before this place is released; never increases after opening. */
  readonly ahead?: number;
  readonly etaMs?: number;
  /** When to ask again; absent when there is nothing to wait for. */
  readonly pollAfterMs?: number;
  readonly opensAt: EpochMs;
  readonly preQueueSize?: number;
  readonly turnExpiresAt?: EpochMs;
  readonly admission?: { readonly expiresAt: EpochMs; readonly holdsLeft: number };
  readonly joinedAt?: EpochMs;
}

export interface PlaceInput {
  readonly onSale: OnSaleConfig;
  readonly state: QueueState;
  readonly phase: QueuePhase;
  readonly now: EpochMs;
  /** A stored entry, or only its reference when answered from a signed ticket. */
  readonly entry: QueueEntryRef & Partial<Pick<QueueEntry, 'state' | 'admission' | 'joinedAt'>>;
  readonly lottery: LotteryCache;
}

export function placeView({ onSale, state, phase, now, entry, lottery }: PlaceInput): PlaceView {
  const base = {
    eventId: entry.eventId,
    phase,
    epoch: entry.epoch,
    number: entry.number,
    lottery: entry.lottery,
    opensAt: onSale.opensAt,
    preQueueSize: state.draw?.size,
    joinedAt: entry.joinedAt,
  };
  const resolved = resolvePlace(entry, state, lottery);
  if (resolved.kind === 'LOST') return { ...base, status: 'LOST' };
  const position = resolved.kind === 'LINE' ? resolved.position : undefined;
  if (entry.state === 'DONE') return { ...base, position, status: 'DONE' };
  if (entry.state === 'ADMITTED' && entry.admission) {
    if (entry.admission.expiresAt <= now) return { ...base, position, status: 'TURN_EXPIRED' };
    const holdsLeft = Math.max(0, onSale.maxHoldsPerAdmission - entry.admission.holdsUsed);
    return { ...base, position, status: 'ADMITTED', admission: { expiresAt: entry.admission.expiresAt, holdsLeft } };
  }
  if (entry.state === 'EXPIRED') return { ...base, position, status: 'TURN_EXPIRED' };
  if (position === undefined) {
    return { ...base, status: 'PENDING_DRAW', pollAfterMs: pollAfterMs(phase, undefined, onSale, now) };
  }
  if (position <= state.serving) {
    const bucket = bucketOf(state, position);
    return bucket && bucket.expiresAt > now
      ? { ...base, position, ahead: 0, status: 'YOUR_TURN', turnExpiresAt: bucket.expiresAt }
      : { ...base, position, status: 'TURN_EXPIRED' };
  }
  const ahead = position - state.serving - 1;
  const eta = etaMs(ahead, phase, state, onSale, now);
  return { ...base, position, ahead, etaMs: eta, status: 'WAITING', pollAfterMs: pollAfterMs(phase, eta, onSale, now) };
}

/** Public facts about a queue, including the lottery's commitment (and, after the draw, its seed). */
export interface QueueStatusView {
  readonly eventId: string;
  readonly phase: QueuePhase;
  readonly preQueueOpensAt: EpochMs;
  readonly opensAt: EpochMs;
  readonly admitPerMinute: number;
  readonly admissionWindowMinutes: number;
  readonly maxHoldsPerAdmission: number;
  readonly epoch?: number;
  readonly seedHash?: string;
  readonly committedAt?: EpochMs;
  /** Revealed only after the draw, so anyone can check it against `seedHash` and recompute the order. */
  readonly seed?: string;
  readonly drawnAt?: EpochMs;
  readonly preQueueSize?: number;
  readonly serving: number;
  readonly waiting: number;
  readonly releasedPerMinute: number;
}

export function statusView(
  eventId: string,
  onSale: OnSaleConfig,
  state: QueueState | undefined,
  phase: QueuePhase,
  now: EpochMs,
): QueueStatusView {
  return {
    eventId,
    phase,
    preQueueOpensAt: state ? Math.max(onSale.preQueueOpensAt, state.committedAt) : onSale.preQueueOpensAt,
    opensAt: onSale.opensAt,
    admitPerMinute: onSale.admitPerMinute,
    admissionWindowMinutes: onSale.admissionWindowMinutes,
    maxHoldsPerAdmission: onSale.maxHoldsPerAdmission,
    epoch: state?.epoch,
    seedHash: state?.seedHash,
    committedAt: state?.committedAt,
    seed: state?.draw ? state.seed : undefined,
    drawnAt: state?.draw?.at,
    preQueueSize: state?.draw?.size,
    serving: state?.serving ?? 0,
    waiting: state ? Math.max(0, state.issued - state.serving) : 0,
    releasedPerMinute: state ? Math.round(measuredReleaseRate(state, now, onSale.opensAt) * 60_000) : 0,
  };
}

/** The operator's live numbers (`npm run queue -- status`). */
export interface QueueStats extends QueueStatusView {
  readonly control?: string;
  readonly writerRegion?: string;
  readonly issued: number;
  readonly admitted: number;
  readonly allowed: number;
  readonly claimRatePerMinute: number;
  readonly showRatio: number;
  /** Released places whose window ran out unclaimed (holes and abandoned places included). */
  readonly noShows: number;
  readonly lastTickAt?: EpochMs;
}

export function statsView(status: QueueStatusView, onSale: OnSaleConfig, state: QueueState | undefined, now: EpochMs) {
  const windowMs = onSale.admissionWindowMinutes * 60_000;
  return {
    ...status,
    control: state?.control,
    writerRegion: state?.writerRegion,
    issued: state?.issued ?? 0,
    admitted: state?.claimed ?? 0,
    allowed: state?.allowed ?? 0,
    claimRatePerMinute: state ? Math.round(measuredClaimRate(state, now, onSale.opensAt)) : 0,
    showRatio: state ? showRatioOf(state.buckets, bucketMsFor(windowMs), now) : 1,
    noShows: state ? state.expiredReleased - state.expiredClaims : 0,
    lastTickAt: state?.tickAt || undefined,
  } satisfies QueueStats;
}
