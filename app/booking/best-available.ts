import { gradeOf } from '../catalog/grades.js';
import { findSeat, seatId, seatLabel } from '../catalog/seats.js';
import type { Performance, Venue } from '../catalog/types.js';
import type { Localized } from '../shared/i18n.js';
import { MAX_SEATS_PER_HOLD } from './pricing.js';

/** One proposal of `count` adjacent free seats in one row, priced by the server. */
export interface SeatOption {
  readonly seatIds: readonly string[];
  /** Labels of the first and last seat, e.g. "1층 B구역 3열 6번" … "7번". */
  readonly labels: readonly Localized[];
  readonly grade: string;
  readonly gradeName: Localized;
  readonly price: number;
  readonly total: number;
}

export interface BestAvailableRequest {
  readonly count: number;
  readonly grade?: string;
  readonly limit?: number;
}

/**
 * "Best available" (SPEC §4.3, §5): up to `limit` options of `count` adjacent free seats in one row, at most one per
 * row so the options differ. Ranked by floor (lower first), then section centrality (centre first), then row (front
 * first), then closeness to the row's middle. A block that would strand a single free seat between itself and a
 * taken seat or the row's end is offered only when no row has a block without one. OP seats follow the
 * performance: never offered when it does not sell them (the grade mapping says so), and the OP row counts as the
 * front row of its section when it does. Pure: the caller passes the taken seats.
 */
export function bestAvailable(
  performance: Performance,
  venue: Venue,
  taken: ReadonlySet<string>,
  request: BestAvailableRequest,
): SeatOption[] {
  const { count, grade } = request;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEATS_PER_HOLD) return [];
  const candidates: { option: SeatOption; score: readonly number[] }[] = [];
  for (const floor of venue.floors) {
    for (const section of floor.sections) {
      section.rows.forEach((row, rowIndex) => {
        const ids = Array.from({ length: row.seats }, (_, i) => seatId(floor.floor, section.id, row.row, i + 1));
        // Grade rules select whole rows, so the first seat's grade is the row's.
        const firstSeat = findSeat(venue, ids[0]!);
        const first = firstSeat && gradeOf(performance, firstSeat);
        if (!first || (grade !== undefined && first.code !== grade)) return;
        const free = (n: number) => n >= 1 && n <= row.seats && !taken.has(ids[n - 1]!);
        let best: { start: number; score: number[] } | undefined;
        for (let start = 1; start + count - 1 <= row.seats; start++) {
          const end = start + count - 1;
          let fits = true;
          for (let n = start; n <= end && fits; n++) fits = free(n);
          if (!fits) continue;
          const orphan = (free(start - 1) && !free(start - 2)) || (free(end + 1) && !free(end + 2));
          const offCentre = Math.abs((start + end) / 2 - (row.seats + 1) / 2);
          const score = [orphan ? 1 : 0, floor.floor, section.centrality, rowIndex, offCentre];
          if (!best || compare(score, best.score) < 0) best = { start, score };
        }
        if (!best) return;
        const seatIds = ids.slice(best.start - 1, best.start - 1 + count);
        const labels = [best.start, best.start + count - 1].map((n) =>
          seatLabel({ floor: floor.floor, section: section.id, row: row.row, number: n }),
        );
        candidates.push({
          option: {
            seatIds,
            labels: count === 1 ? labels.slice(0, 1) : labels,
            grade: first.code,
            gradeName: first.name,
            price: first.price,
            total: first.price * count,
          },
          score: best.score,
        });
      });
    }
  }
  candidates.sort((a, b) => compare(a.score, b.score));
  const clean = candidates.filter((c) => c.score[0] === 0);
  return (clean.length > 0 ? clean : candidates).slice(0, request.limit ?? 3).map((c) => c.option);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
