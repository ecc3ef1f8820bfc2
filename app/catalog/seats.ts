import type { Localized } from '../shared/i18n.js';
import { OP_ROW } from './types.js';
import type { RowName, Seat, Venue } from './types.js';

/** The parts a seat id is made of; the id and the human label are both built from exactly these. */
export interface SeatIdParts {
  readonly floor: number;
  readonly section: string;
  readonly row: RowName;
  readonly number: number;
}

/**
 * Strict on purpose: seat ids arrive from browsers and from the assistant, so anything that is not exactly the
 * canonical form (no leading zeros, upper-case section, row 0 or seat 0) is rejected rather than "repaired".
 */
const SEAT_ID_PATTERN = /^(\d{1,2})F-([A-Z]{1,2})-(OP|[1-9]\d{0,2})-([1-9]\d{0,3})$/;

/** `1F-B-7-14`, or `1F-B-OP-3` for the orchestra-pit row. */
export function seatId(floor: number, section: string, row: RowName, number: number): string {
  return `${floor}F-${section}-${row}-${number}`;
}

export function parseSeatId(id: string): SeatIdParts | undefined {
  // The length guard keeps pathological input away from the regex and documents the maximum id length.
  if (typeof id !== 'string' || id.length > 16) return undefined;
  const match = SEAT_ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, floor, section, row, number] = match;
  if (floor === undefined || section === undefined || row === undefined || number === undefined) return undefined;
  return { floor: Number(floor), section, row: row as RowName, number: Number(number) };
}

/** "1층 B구역 7열" / "Floor 1, Section B, Row 7": the row part every seat label of the row starts with. */
export function rowLabel(parts: Omit<SeatIdParts, 'number'>): Localized {
  const { floor, section, row } = parts;
  const enRow = row === OP_ROW ? 'OP row' : `Row ${row}`;
  return { ko: `${floor}층 ${section}구역 ${row}열`, en: `Floor ${floor}, Section ${section}, ${enRow}` };
}

/** "1층 B구역 7열 14번" / "Floor 1, Section B, Row 7, Seat 14"; the OP row reads "OP열" / "OP row". */
export function seatLabel(parts: SeatIdParts): Localized {
  const row = rowLabel(parts);
  return { ko: `${row.ko} ${parts.number}번`, en: `${row.en}, Seat ${parts.number}` };
}

interface SeatCache {
  readonly seats: readonly Seat[];
  readonly index: ReadonlyMap<string, Seat>;
}

// Keyed by the venue object itself so a venue that is garbage-collected takes its seats with it.
const cache = new WeakMap<Venue, SeatCache>();

function derive(venue: Venue): SeatCache {
  const seats: Seat[] = [];
  const index = new Map<string, Seat>();
  for (const floor of venue.floors) {
    for (const section of floor.sections) {
      for (const row of section.rows) {
        for (let number = 1; number <= row.seats; number += 1) {
          const parts: SeatIdParts = { floor: floor.floor, section: section.id, row: row.row, number };
          const id = seatId(parts.floor, parts.section, parts.row, parts.number);
          // A layout that produces an id the parser would not give back (e.g. row "07", section "b") would make
          // ids and labels disagree somewhere downstream; refuse it at the source instead.
          if (!parseSeatId(id)) {
            throw new Error(`venue ${venue.id}: layout yields a non-canonical seat id "${id}"`);
          }
          if (index.has(id)) throw new Error(`venue ${venue.id}: duplicate seat id "${id}"`);
          const seat: Seat = Object.freeze({ id, ...parts, isOp: parts.row === OP_ROW, label: seatLabel(parts) });
          seats.push(seat);
          index.set(id, seat);
        }
      }
    }
  }
  return { seats: Object.freeze(seats), index };
}

function cached(venue: Venue): SeatCache {
  let entry = cache.get(venue);
  if (!entry) {
    entry = derive(venue);
    cache.set(venue, entry);
  }
  return entry;
}

/** Every seat of the venue in layout order (floor, section, row, number); frozen and shared, so do not mutate. */
export function seatsOf(venue: Venue): readonly Seat[] {
  return cached(venue).seats;
}

/** Seat id → seat, memoised per venue object: the 1,210-seat map is looked up on every hold and page render. */
export function seatIndexOf(venue: Venue): ReadonlyMap<string, Seat> {
  return cached(venue).index;
}

/** The seat with this id in this venue, or undefined for an unknown or malformed id. */
export function findSeat(venue: Venue, id: string): Seat | undefined {
  return seatIndexOf(venue).get(id);
}

export function totalSeats(venue: Venue): number {
  return seatsOf(venue).length;
}
