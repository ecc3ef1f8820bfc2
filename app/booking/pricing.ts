import { gradeOf } from '../catalog/grades.js';
import { parseSeatId, seatIndexOf } from '../catalog/seats.js';
import type { Performance, Venue } from '../catalog/types.js';
import { DomainError } from '../shared/errors.js';
import type { PricedSeat } from './model.js';

export const MIN_SEATS_PER_HOLD = 1;
export const MAX_SEATS_PER_HOLD = 4;

export const SEAT_REJECTIONS = ['MALFORMED', 'UNKNOWN', 'OP_NOT_SOLD', 'NOT_SOLD', 'DUPLICATE'] as const;
export type SeatRejection = (typeof SEAT_REJECTIONS)[number];

const REJECTION_TEXT: Record<SeatRejection, string> = {
  MALFORMED: 'is not a seat id (expected e.g. 1F-B-7-14)',
  UNKNOWN: 'does not exist in this venue',
  OP_NOT_SOLD: 'is an orchestra-pit seat, which this performance does not sell',
  NOT_SOLD: 'is not on sale for this performance',
  DUPLICATE: 'is listed more than once',
};

/**
 * Validates the requested seat ids against the venue and prices them from the performance's grade mapping.
 * Prices are always the server's; whatever a client sends besides seat ids is never read.
 */
export function priceSeats(performance: Performance, venue: Venue, seatIds: readonly string[]): PricedSeat[] {
  if (seatIds.length < MIN_SEATS_PER_HOLD || seatIds.length > MAX_SEATS_PER_HOLD) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Choose between ${MIN_SEATS_PER_HOLD} and ${MAX_SEATS_PER_HOLD} seats (got ${seatIds.length}).`,
      { field: 'seatIds', max: MAX_SEATS_PER_HOLD },
    );
  }
  const seats = seatIndexOf(venue);
  const seen = new Set<string>();
  const rejected: { seatId: string; reason: SeatRejection }[] = [];
  const priced: PricedSeat[] = [];
  for (const seatId of seatIds) {
    const reason = rejectionOf(seatId);
    if (reason) {
      rejected.push({ seatId, reason });
      continue;
    }
    const seat = seats.get(seatId)!;
    const grade = gradeOf(performance, seat)!;
    priced.push({ seatId, label: seat.label, grade: grade.code, gradeName: grade.name, price: grade.price });
  }
  if (rejected.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      rejected.map((r) => `Seat ${JSON.stringify(r.seatId.slice(0, 40))} ${REJECTION_TEXT[r.reason]}.`).join(' '),
      { rejected },
    );
  }
  return priced;

  function rejectionOf(seatId: string): SeatRejection | undefined {
    if (!parseSeatId(seatId)) return 'MALFORMED';
    if (seen.has(seatId)) return 'DUPLICATE';
    seen.add(seatId);
    const seat = seats.get(seatId);
    if (!seat) return 'UNKNOWN';
    if (seat.isOp && !performance.sellsOp) return 'OP_NOT_SOLD';
    if (!gradeOf(performance, seat)) return 'NOT_SOLD';
    return undefined;
  }
}

export interface Totals {
  readonly ticketTotal: number;
  readonly bookingFee: number;
  readonly total: number;
}

export function totalsOf(seats: readonly Pick<PricedSeat, 'price'>[], bookingFeePerTicket: number): Totals {
  const ticketTotal = seats.reduce((sum, s) => sum + s.price, 0);
  const bookingFee = bookingFeePerTicket * seats.length;
  return { ticketTotal, bookingFee, total: ticketTotal + bookingFee };
}
