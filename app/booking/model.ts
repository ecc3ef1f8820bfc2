import type { Localized } from '../shared/i18n.js';
import type { EpochMs } from '../shared/time.js';

/** The statuses of SPEC §3.2, as seen on seats and bookings. */
export const BOOKING_STATUSES = ['HOLDING', 'CONFIRMED', 'DR_RECOVERED', 'DR_RESERVED', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** What a seat item can say; a seat without an item is free. CANCELLED never appears: cancelling deletes seats. */
export const SEAT_ITEM_STATUSES = ['HOLDING', 'DR_RECOVERED', 'CONFIRMED', 'DR_RESERVED'] as const;
export type SeatItemStatus = (typeof SEAT_ITEM_STATUSES)[number];

/** A hold's lifecycle: live (HOLDING / DR_RECOVERED) until it is released, replaced or paid. */
export const HOLD_STATUSES = ['HOLDING', 'DR_RECOVERED', 'RELEASED', 'CONFIRMED'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const RESERVATION_STATUSES = ['CONFIRMED', 'DR_RESERVED', 'CANCELLED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Every audited state change. */
export const AUDIT_ACTIONS = [
  'HOLD_CREATED',
  'HOLD_RELEASED',
  'HOLD_REPLACED',
  'HOLD_DR_RECOVERED',
  'RESERVATION_CONFIRMED',
  'RESERVATION_CANCELLED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A seat with the price the server computed from the performance's grade mapping. */
export interface PricedSeat {
  readonly seatId: string;
  readonly label: Localized;
  readonly grade: string;
  readonly gradeName: Localized;
  readonly price: number;
}

export interface Hold {
  readonly holdId: string;
  readonly userId: string;
  readonly scheduleId: string;
  readonly performanceId: string;
  readonly seats: readonly PricedSeat[];
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly status: HoldStatus;
  /** Set when the hold became DR_RECOVERED: `since + grace`. */
  readonly graceUntil?: EpochMs;
  /** The region whose API created the hold (DR recovery only converts the primary region's holds). */
  readonly region: string;
  readonly reservationId?: string;
  readonly releasedAt?: EpochMs;
}

/**
 * A user's latest hold as far as replacing it is concerned (one live hold per user): which seats to free, and the
 * status and window that say whether it is still live. The store keeps it beside the active-hold pointer, in step with
 * every transition of that hold, so a new hold needs one read to know what it replaces.
 */
export interface HoldSummary {
  readonly holdId: string;
  readonly userId: string;
  readonly scheduleId: string;
  readonly seatIds: readonly string[];
  readonly status: HoldStatus;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly region: string;
  readonly graceUntil?: EpochMs;
}

export interface Cancellation {
  readonly cancelledAt: EpochMs;
  readonly tier: string;
  readonly cancellationFee: number;
  readonly ticketRefund: number;
  readonly bookingFeeRefund: number;
  readonly refundTotal: number;
}

export interface Reservation {
  readonly reservationId: string;
  readonly holdId: string;
  readonly userId: string;
  readonly scheduleId: string;
  readonly performanceId: string;
  readonly showStartsAt: EpochMs;
  readonly seats: readonly PricedSeat[];
  readonly ticketTotal: number;
  readonly bookingFee: number;
  readonly total: number;
  readonly status: ReservationStatus;
  readonly bookedAt: EpochMs;
  readonly region: string;
  readonly paymentReference: string;
  readonly cancellation?: Cancellation;
}

export interface AuditEntry {
  readonly entityId: string;
  readonly action: AuditAction;
  readonly actorUserId: string;
  readonly at: EpochMs;
  readonly region: string;
  readonly from?: string;
  readonly to: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a seat looks like to one viewer right now. */
export const SEAT_VIEW_STATES = ['available', 'held', 'sold', 'mine', 'unsold'] as const;
export type SeatViewState = (typeof SEAT_VIEW_STATES)[number];
