import type { EpochMs } from '../shared/time.js';
import type { Draw, QueueControl, QueueEntry, QueueEntryRef, QueueState } from './model.js';
import type { TickPlan } from './release.js';

/** An epoch's numbering counter: the highest number issued and, once the pre-queue closed, the draw. */
export interface QueueCounter {
  readonly issued: number;
  readonly draw?: Draw;
}

/** Which numbers an allocation asks for: pre-queue lottery tickets (only before the draw) or places in line (after). */
export type NumberKind = 'lottery' | 'line';

export interface ClaimCommand {
  readonly entry: QueueEntryRef;
  readonly position: number;
  /** The release bucket (its `at`) that let this position in: its claims are counted with the admission. */
  readonly bucketAt: EpochMs;
  readonly region: string;
  readonly epoch: number;
  readonly tokenId: string;
  readonly now: EpochMs;
  readonly expiresAt: EpochMs;
  /** The admission minute `now` falls in (`admissionMinuteAt`) and the most claims a minute may count. */
  readonly minute: number;
  readonly perMinute: number;
}

/** Why a claim was not counted (the state item's conditions), or why the entry refused it afterwards. */
export type ClaimOutcome = 'ADMITTED' | 'NO_BUDGET' | 'NOT_RELEASED' | 'TURN_EXPIRED' | 'NOT_ADMITTING' | 'CHANGED';

export interface QueueStore {
  getState(eventId: string, consistent?: boolean): Promise<QueueState | undefined>;
  /** Creates the state (seed commitment included) and epoch 1's counter unless armed; returns what exists after. */
  arm(initial: QueueState): Promise<QueueState>;
  getCounter(eventId: string, epoch: number): Promise<QueueCounter | undefined>;
  /**
   * Takes `count` consecutive numbers from the epoch's counter and returns the last one. Lottery tickets are only
   * issued before the draw and places only after it (the counter item's own condition): otherwise 'WRONG_PHASE'.
   */
  allocate(eventId: string, epoch: number, count: number, kind: NumberKind): Promise<number | 'WRONG_PHASE'>;
  /** Closes the pre-queue: freezes the ticket count. Idempotent; returns the draw as recorded. */
  draw(eventId: string, epoch: number, at: EpochMs): Promise<Draw>;
  getEntry(eventId: string, userId: string): Promise<QueueEntry | undefined>;
  /**
   * Writes a fresh WAITING entry if the account has none (or replaces exactly `replacing`). When refused, the entry
   * that stood in the way comes back from the same write (no read needed): a join is one conditional write.
   */
  putEntry(entry: QueueEntry, replacing?: QueueEntryRef): Promise<PutEntryResult>;
  /** Counts the admission against the budget (state item), then marks the entry ADMITTED. */
  claim(command: ClaimCommand): Promise<ClaimOutcome>;
  /** The writer's tick, conditional on the tick it read (so one instance wins) and on its epoch and region. */
  applyTick(eventId: string, plan: TickPlan, expected: TickExpectation): Promise<boolean>;
  /** A new writer's epoch: the state and the new epoch's counter, conditional on the epoch it replaces. */
  takeover(next: QueueState, replaced: { readonly epoch: number; readonly writerRegion: string }): Promise<boolean>;
  setControl(eventId: string, control: QueueControl, at: EpochMs): Promise<boolean>;
}

export type PutEntryResult =
  { readonly written: true } | { readonly written: false; readonly existing: QueueEntry | undefined };

export interface TickExpectation {
  readonly tickAt: EpochMs;
  readonly epoch: number;
  readonly writerRegion: string;
}
