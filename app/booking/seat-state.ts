import type { EpochMs } from '../shared/time.js';
import { isDrProtected, type DrProtection } from './dr.js';
import type { SeatItemStatus, SeatViewState } from './model.js';

/** The persisted state of one seat of one schedule. A seat with no record is free. */
export interface SeatRecord {
  readonly seatId: string;
  readonly status: SeatItemStatus;
  readonly holdId: string;
  readonly userId: string;
  readonly region: string;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly graceUntil?: EpochMs;
  readonly reservationId?: string;
}

/**
 * Whether a seat record still keeps the seat from others. An expired hold frees its seat whether or not TTL has
 * deleted the record yet. The DynamoDB adapter's condition expression encodes this same rule
 * (see `takeableCondition`), and integration tests hold both to it.
 */
export function isSeatTaken(record: SeatRecord, now: EpochMs, protection: DrProtection | undefined): boolean {
  switch (record.status) {
    case 'CONFIRMED':
    case 'DR_RESERVED':
      return true;
    case 'DR_RECOVERED':
      return (record.graceUntil ?? 0) > now;
    case 'HOLDING':
      return record.expiresAt > now || isDrProtected(record, protection, now);
  }
}

export function seatViewState(
  record: SeatRecord | undefined,
  viewerUserId: string | undefined,
  now: EpochMs,
  protection: DrProtection | undefined,
): Exclude<SeatViewState, 'unsold'> {
  if (!record || !isSeatTaken(record, now, protection)) return 'available';
  if (record.status === 'CONFIRMED' || record.status === 'DR_RESERVED') return 'sold';
  return viewerUserId !== undefined && record.userId === viewerUserId ? 'mine' : 'held';
}
