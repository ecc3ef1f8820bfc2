import { z } from 'zod';
import { HOLD_STATUSES, RESERVATION_STATUSES, SEAT_ITEM_STATUSES } from '../../booking/model.js';
import type { Hold, HoldSummary, Reservation } from '../../booking/model.js';
import type { SeatRecord } from '../../booking/seat-state.js';
import type { StoredSeat } from '../../booking/stored-seats.js';

/**
 * Runtime validation of items read back from DynamoDB: a malformed item (hand edit, old version, bug) is an error
 * naming the item, never a silently wrong seat map.
 */
const localized = z.object({ ko: z.string(), en: z.string() });
/** Label and grade name are derived on read (`booking/stored-seats.ts`); items written before that carry them. */
const storedSeat = z.object({
  seatId: z.string(),
  label: localized.optional(),
  grade: z.string(),
  gradeName: localized.optional(),
  price: z.number().int().nonnegative(),
});

const seatItem = z.object({
  seatId: z.string(),
  status: z.enum(SEAT_ITEM_STATUSES),
  holdId: z.string(),
  userId: z.string(),
  region: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  graceUntil: z.number().optional(),
  reservationId: z.string().optional(),
});

const holdItem = z.object({
  holdId: z.string(),
  userId: z.string(),
  scheduleId: z.string(),
  performanceId: z.string(),
  seats: z.array(storedSeat).min(1).max(4),
  createdAt: z.number(),
  expiresAt: z.number(),
  status: z.enum(HOLD_STATUSES),
  graceUntil: z.number().optional(),
  region: z.string(),
  reservationId: z.string().optional(),
  releasedAt: z.number().optional(),
});

const holdSummaryItem = z.object({
  holdId: z.string(),
  userId: z.string(),
  scheduleId: z.string(),
  seatIds: z.array(z.string()).min(1).max(4),
  status: z.enum(HOLD_STATUSES),
  createdAt: z.number(),
  expiresAt: z.number(),
  region: z.string(),
  graceUntil: z.number().optional(),
});

const reservationItem = z.object({
  reservationId: z.string(),
  holdId: z.string(),
  userId: z.string(),
  scheduleId: z.string(),
  performanceId: z.string(),
  showStartsAt: z.number(),
  seats: z.array(storedSeat).min(1).max(4),
  ticketTotal: z.number().int(),
  bookingFee: z.number().int(),
  total: z.number().int(),
  status: z.enum(RESERVATION_STATUSES),
  bookedAt: z.number(),
  region: z.string(),
  paymentReference: z.string(),
  cancellation: z
    .object({
      cancelledAt: z.number(),
      tier: z.string(),
      cancellationFee: z.number().int(),
      ticketRefund: z.number().int(),
      bookingFeeRefund: z.number().int(),
      refundTotal: z.number().int(),
    })
    .optional(),
});

function parse<T>(schema: z.ZodType<T>, kind: string, item: Record<string, unknown>): T {
  const result = schema.safeParse(item);
  if (!result.success) {
    const where = `${String(item.pk)}/${String(item.sk ?? '')}`;
    throw new Error(`Malformed ${kind} item ${where}: ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return result.data;
}

export const toSeatRecord = (item: Record<string, unknown>): SeatRecord => parse(seatItem, 'seat', item);
/** A hold or reservation as its item stores it: seats without what can be derived again. */
export type Stored<T extends Hold | Reservation> = Omit<T, 'seats'> & { readonly seats: readonly StoredSeat[] };

export const toStoredHold = (item: Record<string, unknown>): Stored<Hold> => parse(holdItem, 'hold', item);
export const toStoredReservation = (item: Record<string, unknown>): Stored<Reservation> =>
  parse(reservationItem, 'reservation', item);

/** The summary an active-hold pointer carries, or undefined for a pointer written before pointers carried one. */
export const toHoldSummary = (item: Record<string, unknown>): HoldSummary | undefined => {
  const result = holdSummaryItem.safeParse(item);
  return result.success ? result.data : undefined;
};

const confirmationItem = z.object({
  reservationId: z.string(),
  holdId: z.string(),
  userId: z.string(),
  bookedAt: z.number(),
  region: z.string(),
  total: z.number().int(),
  confirmedFrom: z.enum(HOLD_STATUSES),
  confirmedTo: z.enum(RESERVATION_STATUSES),
});

/**
 * What a reservation item's own audit record is made of (`audit-records.ts`), or undefined for an item written before
 * that record rode on it (its `RESERVATION_CONFIRMED` is in the audit table).
 */
export const toConfirmation = (item: Record<string, unknown>): z.infer<typeof confirmationItem> | undefined => {
  const result = confirmationItem.safeParse(item);
  return result.success ? result.data : undefined;
};
