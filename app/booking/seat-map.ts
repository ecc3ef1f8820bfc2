import { sellableSeats, type SellableSeat } from '../catalog/grades.js';
import { seatsOf } from '../catalog/seats.js';
import type { Localized } from '../shared/i18n.js';
import type { Performance, Schedule, Venue } from '../catalog/types.js';
import type { EpochMs } from '../shared/time.js';
import type { DrProtection } from './dr.js';
import type { SeatViewState } from './model.js';
import { isSeatTaken, seatViewState, type SeatRecord } from './seat-state.js';

export interface SeatView {
  readonly seatId: string;
  readonly floor: number;
  readonly section: string;
  readonly row: string;
  readonly number: number;
  readonly label: Localized;
  readonly grade?: string;
  readonly price?: number;
  readonly state: SeatViewState;
}

export interface GradeAvailability {
  readonly grade: string;
  readonly name: Localized;
  readonly price: number;
  readonly total: number;
  readonly available: number;
}

export interface SeatMap {
  readonly scheduleId: string;
  readonly performanceId: string;
  readonly venueId: string;
  readonly at: EpochMs;
  readonly seats: readonly SeatView[];
  readonly sellable: number;
  readonly available: number;
  readonly grades: readonly GradeAvailability[];
}

/** Sellable seats per performance object: the catalog cache keeps objects stable, so this is computed once. */
const sellableCache = new WeakMap<Performance, Map<string, SellableSeat>>();

function sellableIndex(performance: Performance, venue: Venue): Map<string, SellableSeat> {
  let index = sellableCache.get(performance);
  if (!index) {
    index = new Map(sellableSeats(performance, venue).map((s) => [s.seat.id, s]));
    sellableCache.set(performance, index);
  }
  return index;
}

/** The seat map of one show slot as one viewer sees it now; counts are derived from seat state, never stored. */
export function buildSeatMap(input: {
  schedule: Schedule;
  performance: Performance;
  venue: Venue;
  records: readonly SeatRecord[];
  viewerUserId?: string;
  now: EpochMs;
  protection?: DrProtection;
}): SeatMap {
  const { schedule, performance, venue, records, viewerUserId, now, protection } = input;
  const recordBySeat = new Map(records.map((r) => [r.seatId, r]));
  const sellable = sellableIndex(performance, venue);
  const gradeCounts = new Map<string, { total: number; available: number }>();
  let available = 0;
  const seats = seatsOf(venue).map((seat): SeatView => {
    const base = {
      seatId: seat.id,
      floor: seat.floor,
      section: seat.section,
      row: seat.row,
      number: seat.number,
      label: seat.label,
    };
    const offer = sellable.get(seat.id);
    if (!offer) return { ...base, state: 'unsold' };
    const state = seatViewState(recordBySeat.get(seat.id), viewerUserId, now, protection);
    const counts = gradeCounts.get(offer.grade.code) ?? { total: 0, available: 0 };
    counts.total++;
    if (state === 'available') {
      counts.available++;
      available++;
    }
    gradeCounts.set(offer.grade.code, counts);
    return { ...base, grade: offer.grade.code, price: offer.grade.price, state };
  });
  const grades = performance.grades
    .filter((g) => gradeCounts.has(g.code))
    .map((g) => ({ grade: g.code, name: g.name, price: g.price, ...gradeCounts.get(g.code)! }))
    .sort((a, b) => b.price - a.price);
  return {
    scheduleId: schedule.id,
    performanceId: performance.id,
    venueId: venue.id,
    at: now,
    seats,
    sellable: sellable.size,
    available,
    grades,
  };
}

/** Available/sellable counts for one slot (e.g. to disable sold-out slots in a calendar). */
export function availabilityOf(
  performance: Performance,
  venue: Venue,
  records: readonly SeatRecord[],
  now: EpochMs,
  protection: DrProtection | undefined,
): { sellable: number; available: number } {
  const sellable = sellableIndex(performance, venue);
  const taken = records.filter((r) => sellable.has(r.seatId) && isSeatTaken(r, now, protection)).length;
  return { sellable: sellable.size, available: sellable.size - taken };
}
