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

export interface CreateHoldCommand {
  readonly hold: Hold;
  /** The user's previous live hold (HOLDING or DR_RECOVERED), released in the same transaction. */
  readonly replacing?: HoldSummary;
  /** The active-hold pointer as read before the write; the write fails if another request moved it meanwhile. */
  readonly pointerWas?: string;
  readonly protection?: DrProtection;
  readonly now: EpochMs;
  readonly audit: readonly AuditEntry[];
}

export interface ConfirmHoldCommand {
  readonly hold: Hold;
  readonly reservation: Reservation;
  readonly protection?: DrProtection;
  readonly now: EpochMs;
  readonly audit: AuditEntry;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface BookingStore {
  seatRecords(scheduleId: string): Promise<readonly SeatRecord[]>;
  getHold(holdId: string): Promise<Hold | undefined>;
  /**
   * The user's active-hold pointer: their latest hold, unless it has since been paid or released. One read; the
   * copy it carries is kept in step by every transition of that hold, and the write that relies on it re-checks it.
   */
  activeHoldOf(userId: string): Promise<HoldSummary | undefined>;
  /**
   * All-or-nothing: every seat is written or none, the replaced hold is released and the pointer moves, in one
   * transaction. Throws SeatConflict (a requested seat is taken) or WriteRaced (anything else moved: re-read, retry).
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
