import type { Performance, Schedule, Venue } from '../catalog/types.js';
import type { EpochMs } from '../shared/time.js';
import type { DrProtection, DrState } from './dr.js';
import type { AuditEntry, Cancellation, Hold, HoldSummary, Reservation } from './model.js';
import type { SeatRecord } from './seat-state.js';

/** Read side of the catalog; the adapter may cache (the catalog changes rarely, seat state never is cached). */
export interface CatalogReader {
  listPerformances(): Promise<readonly Performance[]>;
  getPerformance(id: string): Promise<Performance | undefined>;
  getVenue(id: string): Promise<Venue | undefined>;
  getSchedule(id: string): Promise<Schedule | undefined>;
  listSchedules(performanceId: string): Promise<readonly Schedule[]>;
}

/** Thrown by the store when the named seats are held or sold by someone else. */
export class SeatConflict extends Error {
  constructor(readonly seatIds: readonly string[]) {
    super(`seats taken: ${seatIds.join(', ')}`);
    this.name = 'SeatConflict';
  }
}

export { WriteRaced } from '../shared/concurrency.js';

/**
 * An admission from an on-sale's waiting room, as the hold and confirm transactions use it: the admission item
 * (event, account) must be ADMITTED under this token id with holds left and time left, and the write counts the hold
 * (or, on confirm, closes the admission) in the same TransactWriteItems — no extra round trip.
 */
export interface AdmissionUse {
  readonly eventId: string;
  readonly userId: string;
  readonly tokenId: string;
  readonly cap: number;
  readonly now: EpochMs;
  /** The token's claims: an admission recreated from an older epoch's token takes its place, epoch and expiry. */
  readonly expiresAt: EpochMs;
  readonly epoch: number;
  readonly position: number;
  /** Issued by an earlier writer epoch (before a failover): honoured even if its admission never replicated. */
  readonly fromOlderEpoch: boolean;
}

/** The waiting room as the booking core sees it (implemented by queue/service.ts). */
export interface AdmissionGate {
  /**
   * Undefined for a performance sold without a waiting room. Otherwise verifies the token without I/O (beyond the
   * shared, ≤ 1 s cached queue state) and returns what the transaction must check; a token that cannot serve is
   * refused with a DomainError before anything is written. `graceMs` extends the token's expiry for a confirm.
   */
  admissionFor(
    performance: Performance,
    userId: string,
    token: string | undefined,
    graceMs?: number,
  ): Promise<AdmissionUse | undefined>;
  /** After the transaction refused the admission: why (reads the admission item; refusals only). */
  refusalOf(use: AdmissionUse, purpose: 'hold' | 'confirm'): Promise<Error>;
}

/** Thrown by the store when the admission item's condition refused a hold or confirm; nothing was written. */
export class AdmissionRefused extends Error {
  constructor() {
    super('admission refused');
    this.name = 'AdmissionRefused';
  }
}

/**
 * Thrown by createHold when it was told to expect no live hold (the pointer was not read) and the user's active-hold
 * pointer names a hold that is still live, or one the condition could not judge. Nothing was written. It carries the
 * pointer as the refused transaction saw it (DynamoDB returns the item with the refusal), so the caller can write
 * the replacing hold at once, without a read.
 */
export class LiveHoldFound extends Error {
  constructor(readonly pointer: HoldSummary | undefined) {
    super(`live hold found: ${pointer?.holdId ?? 'unknown'}`);
    this.name = 'LiveHoldFound';
  }
}

/**
 * What the user's active-hold pointer must be for a new hold to be written:
 * - `NO_LIVE_HOLD` (not read): absent, or naming a hold that is no longer live by the seat rules (expired, grace
 *   over). The common first try, one round trip; when it does not hold, createHold throws LiveHoldFound.
 * - `{ was }`: exactly as read (that hold id, or absent); the write fails if another request moved it meanwhile.
 */
export const NO_LIVE_HOLD = 'NO_LIVE_HOLD';
export type PointerExpectation = typeof NO_LIVE_HOLD | { readonly was: string | undefined };

export interface CreateHoldCommand {
  readonly hold: Hold;
  /** The user's previous live hold (HOLDING or DR_RECOVERED), released in the same transaction. */
  readonly replacing?: HoldSummary;
  /** What the active-hold pointer must be; the pointer moves to the new hold in the same transaction. */
  readonly pointer: PointerExpectation;
  /**
   * With `NO_LIVE_HOLD`: a hold of this user that this instance saw paid. A confirm leaves the pointer naming its hold,
   * so a pointer still naming this one names no live hold and may be overwritten like an expired one.
   */
  readonly paidHoldId?: string;
  readonly protection?: DrProtection;
  readonly now: EpochMs;
  readonly audit: readonly AuditEntry[];
  /** For a performance sold through a waiting room: checked and counted in the same transaction. */
  readonly admission?: AdmissionUse;
}

export interface ConfirmHoldCommand {
  readonly hold: Hold;
  readonly reservation: Reservation;
  readonly protection?: DrProtection;
  readonly now: EpochMs;
  readonly audit: AuditEntry;
  /** For a performance sold through a waiting room: confirm closes the admission in the same transaction. */
  readonly admission?: AdmissionUse;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface BookingStore {
  seatRecords(scheduleId: string): Promise<readonly SeatRecord[]>;
  getHold(holdId: string): Promise<Hold | undefined>;
  /**
   * The user's active-hold pointer: their latest hold, unless it has since been released (a paid hold stays named,
   * its copy still saying HOLDING). One read; the copy it carries is kept in step by release, replace and DR recovery,
   * and the write that relies on it re-checks the hold itself.
   */
  activeHoldOf(userId: string): Promise<HoldSummary | undefined>;
  /**
   * All-or-nothing: every seat is written or none, the replaced hold is released and the pointer moves, in one
   * transaction. Throws SeatConflict (a requested seat is taken), LiveHoldFound (expected no live hold, found one) or
   * WriteRaced (anything else moved: re-read, retry).
   */
  createHold(command: CreateHoldCommand): Promise<void>;
  /** Ends a live hold and frees only its seats that are still HOLDING/DR_RECOVERED under this hold. */
  releaseHold(hold: Hold, at: EpochMs, audit: AuditEntry): Promise<boolean>;
  /**
   * Conditional on every seat still carrying this hold, this user and a live window. False when refused;
   * throws WriteRaced when it merely collided with a concurrent transaction (the outcome is then unknown).
   */
  confirmHold(command: ConfirmHoldCommand): Promise<boolean>;
  getReservation(reservationId: string): Promise<Reservation | undefined>;
  /**
   * Every audit record of a hold or reservation (who, what, when, region), oldest first: the audit table's entries
   * and the creation record that rides on the item itself.
   */
  auditTrail(entityId: string): Promise<readonly AuditEntry[]>;
  listReservations(userId: string, limit: number, cursor?: string): Promise<Page<Reservation>>;
  /** DR_RECOVERED holds of a user: shown in "my reservations" with a pay-now call to action. */
  listRecoveredHolds(userId: string): Promise<readonly Hold[]>;
  /** Marks the reservation CANCELLED and deletes its seat items in one transaction. False when refused. */
  cancelReservation(reservation: Reservation, cancellation: Cancellation, audit: AuditEntry): Promise<boolean>;
  /** Holds still marked HOLDING whose expiry is after `since`. */
  holdsExpiringAfter(since: EpochMs): Promise<readonly Hold[]>;
  /** HOLDING → DR_RECOVERED for the hold and its seats, conditional on it being untouched. */
  recoverHold(hold: Hold, graceUntil: EpochMs, audit: AuditEntry): Promise<boolean>;
}

export interface DrStateSource {
  current(): Promise<DrState>;
}

export interface ChargeRequest {
  /** The same key always yields the same charge: confirming twice never charges twice. */
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly currency: 'KRW';
  readonly description: string;
}

export type ChargeResult =
  { readonly approved: true; readonly reference: string } | { readonly approved: false; readonly reason: string };

/** The payment port. No card data ever passes through MegaTicket's own storage. */
export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(reference: string, amount: number, idempotencyKey: string): Promise<void>;
}
