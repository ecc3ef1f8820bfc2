import { createHash } from 'node:crypto';
import { sellableSeats } from '../catalog/grades.js';
import type { Performance, Venue } from '../catalog/types.js';
import type { EpochMs } from '../shared/time.js';
import type { DrProtection } from './dr.js';
import { isSeatTaken, type SeatRecord } from './seat-state.js';

/**
 * The dynamic part of a seat map: which seats are taken right now. Computed once per cache fill and shared by every
 * viewer of the slot; only `mine` (the viewer's own held seats) is per viewer. `version` changes exactly when the
 * shared state does, so it serves as the ETag of the availability refresh.
 */
export interface SharedSeatState {
  readonly scheduleId: string;
  readonly at: EpochMs;
  readonly version: string;
  /** Paid seats (CONFIRMED / DR_RESERVED). */
  readonly sold: readonly string[];
  /** Seats under a live hold (anyone's, including the viewer's). */
  readonly held: readonly string[];
  readonly sellable: number;
  readonly available: number;
  /** Available seats per grade code. */
  readonly availableByGrade: Readonly<Record<string, number>>;
  /** Holder of each held seat, to derive `mine` per viewer; never sent to clients. */
  readonly holders: ReadonlyMap<string, string>;
}

export interface SeatOverlay extends Omit<SharedSeatState, 'holders'> {
  /** The viewer's own live hold seats (a subset of `held`). */
  readonly mine: readonly string[];
}

export function sharedSeatState(input: {
  scheduleId: string;
  performance: Performance;
  venue: Venue;
  records: readonly SeatRecord[];
  now: EpochMs;
  protection: DrProtection | undefined;
}): SharedSeatState {
  const { performance, venue, records, now, protection } = input;
  const gradeOfSeat = new Map(sellableSeats(performance, venue).map((s) => [s.seat.id, s.grade.code]));
  const availableByGrade: Record<string, number> = {};
  for (const code of gradeOfSeat.values()) availableByGrade[code] = (availableByGrade[code] ?? 0) + 1;
  const sold: string[] = [];
  const held: string[] = [];
  const holders = new Map<string, string>();
  for (const record of records) {
    const grade = gradeOfSeat.get(record.seatId);
    if (!grade || !isSeatTaken(record, now, protection)) continue;
    availableByGrade[grade]!--;
    if (record.status === 'CONFIRMED' || record.status === 'DR_RESERVED') sold.push(record.seatId);
    else {
      held.push(record.seatId);
      holders.set(record.seatId, record.userId);
    }
  }
  sold.sort();
  held.sort();
  const version = createHash('sha256')
    .update(`${sold.join(',')}|${held.join(',')}`)
    .digest('base64url')
    .slice(0, 16);
  const taken = sold.length + held.length;
  return {
    scheduleId: input.scheduleId,
    at: now,
    version,
    sold,
    held,
    sellable: gradeOfSeat.size,
    available: gradeOfSeat.size - taken,
    availableByGrade,
    holders,
  };
}

export function overlayFor(state: SharedSeatState, viewerUserId: string | undefined): SeatOverlay {
  const { holders, ...shared } = state;
  const mine = viewerUserId === undefined ? [] : state.held.filter((id) => holders.get(id) === viewerUserId);
  return { ...shared, mine };
}
