import type { EpochMs } from '../shared/time.js';

/** The operator's switch (`npm run queue -- open|pause|close`). */
export const QUEUE_CONTROLS = ['ACTIVE', 'PAUSED', 'CLOSED'] as const;
export type QueueControl = (typeof QUEUE_CONTROLS)[number];

/**
 * What a queue is doing now, derived from its on-sale config, its control, the draw and the clock:
 * - SCHEDULED: the lottery seed's hash is published; joins are not yet taken.
 * - PRE_QUEUE: joins get a lottery ticket; their order is drawn at opening.
 * - OPEN: joins are first come, first served, behind the whole pre-queue; admissions are released at the set rate.
 * - PAUSED: joins are kept, admissions are not released (operator pause, or this region is not the writer).
 * - CLOSED: no joins, no admissions, and no admission token is honoured.
 */
export const QUEUE_PHASES = ['SCHEDULED', 'PRE_QUEUE', 'OPEN', 'PAUSED', 'CLOSED'] as const;
export type QueuePhase = (typeof QUEUE_PHASES)[number];

/**
 * A waiter's entry: WAITING in line; ADMITTED once they claimed their turn (the hold gate checks this state);
 * DONE after a confirmed purchase closed the admission; EXPIRED when the turn or the admission window ran out.
 */
export const ENTRY_STATES = ['WAITING', 'ADMITTED', 'DONE', 'EXPIRED'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** Which line item an entry is: its writer epoch and the number it drew (a lottery ticket or a FCFS place). */
export interface QueueEntryRef {
  readonly eventId: string;
  readonly userId: string;
  /** The writer epoch that issued the number; a new writer (DR promotion, failback) starts a new epoch. */
  readonly epoch: number;
  /** From the epoch's counter: a pre-queue lottery ticket (`lottery`) or directly the place in line. */
  readonly number: number;
  readonly lottery: boolean;
}

export interface QueueEntry extends QueueEntryRef {
  readonly joinedAt: EpochMs;
  readonly state: EntryState;
  /** Set when the admission was claimed. */
  readonly admission?: Admission;
}

export interface Admission {
  readonly tokenId: string;
  readonly position: number;
  readonly epoch: number;
  readonly admittedAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly holdsUsed: number;
}

/**
 * Positions released in one time bucket. Claims are counted per bucket, so the writer knows the show-up ratio of
 * matured buckets (to release more for no-shows) and the exact no-shows of buckets whose window ran out.
 */
export interface ReleaseBucket {
  /** Bucket start (epoch ms); also the bucket's key. */
  readonly at: EpochMs;
  /** Positions from..to (inclusive) were released in this bucket. */
  readonly from: number;
  readonly to: number;
  readonly claims: number;
  /** Positions of this bucket may claim until then (the admission window after the bucket closed). */
  readonly expiresAt: EpochMs;
}

/** The lottery draw: the pre-queue closed at `at` with `size` tickets, ordered by the committed seed. */
export interface Draw {
  readonly at: EpochMs;
  readonly size: number;
}

/** The one persisted control state of an event's queue (a single small item; cached ≤ 1 s by every instance). */
export interface QueueState {
  readonly eventId: string;
  readonly control: QueueControl;
  readonly epoch: number;
  /** The region whose writer owns `epoch`. */
  readonly writerRegion: string;
  /** Numbers of the current epoch start after this; numbers of older epochs are valid up to their recorded end. */
  readonly epochBase: number;
  readonly epochEnds: Readonly<Record<string, number>>;
  /** sha256(seed), published from `committedAt`, before the pre-queue opens. */
  readonly seedHash: string;
  readonly committedAt: EpochMs;
  /** Secret until the draw; revealed afterwards so anyone can check the hash and recompute the order. */
  readonly seed: string;
  readonly draw?: Draw;
  /** Every position ≤ serving has been released (may claim an admission, until its window runs out). */
  readonly serving: number;
  /** Claims budget granted so far (integer) and its fractional carry; claims never exceed `allowed`. */
  readonly allowed: number;
  readonly allowedCarry: number;
  readonly claimed: number;
  /**
   * Claims counted per admission minute (minutes from the opening, keyed by their index: "0" is the first): a claim
   * counts itself in the minute its own clock says, and is refused once that minute holds the configured rate. The
   * writer drops minutes older than the previous one. No writer tick is needed for a minute to start.
   */
  readonly minuteClaims: Readonly<Record<string, number>>;
  /** The highest number issued so far (copied from the epoch's counter by the writer). */
  readonly issued: number;
  readonly buckets: readonly ReleaseBucket[];
  /** Totals of buckets dropped after their window ran out: released positions and how many were claimed. */
  readonly expiredReleased: number;
  readonly expiredClaims: number;
  /** The writer's samples of (serving, claimed) over the last minute: measured release and claim rates. */
  readonly history: readonly RateSample[];
  readonly tickAt: EpochMs;
  /** Set when a new writer took over: its admission rate ramps up from here (a pilot light is still scaling). */
  readonly rampFrom?: EpochMs;
}

/** The state of a queue just armed: epoch 1 owned by `writerRegion`, seed committed, nobody numbered or released. */
export function armedQueueState(init: {
  readonly eventId: string;
  readonly writerRegion: string;
  readonly seed: string;
  readonly seedHash: string;
  readonly committedAt: EpochMs;
}): QueueState {
  return {
    ...init,
    control: 'ACTIVE',
    epoch: 1,
    epochBase: 0,
    epochEnds: {},
    serving: 0,
    allowed: 0,
    allowedCarry: 0,
    claimed: 0,
    minuteClaims: {},
    issued: 0,
    buckets: [],
    expiredReleased: 0,
    expiredClaims: 0,
    history: [],
    tickAt: 0,
  };
}

export interface RateSample {
  readonly at: EpochMs;
  readonly serving: number;
  readonly claimed: number;
}
