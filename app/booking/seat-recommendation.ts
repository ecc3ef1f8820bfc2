import type { SeatLayout } from '../catalog/seat-layout.js';
import { rowLabel, seatId } from '../catalog/seats.js';
import type { Localized } from '../shared/i18n.js';
import { MAX_SEATS_PER_HOLD } from './pricing.js';

/** One proposal of `count` adjacent free seats in one row. */
export interface SeatOption {
  readonly seatIds: readonly string[];
  readonly row: Localized;
  readonly grade: string;
  readonly price: number;
  readonly total: number;
}

interface Candidate extends SeatOption {
  readonly score: readonly number[];
}

/**
 * "Best available" (SPEC §4.3, §5): up to `limit` options of `count` adjacent free seats in one row (optionally of
 * one grade), one option per row so the options differ. Rows are ranked lower floor first, then centre section,
 * then front rows, then the block nearest the row's middle. A block that would leave a single stranded seat beside
 * it in the row is offered only when no row anywhere has a block without one — not even as a third option. OP seats
 * follow the layout: a row the performance does not sell has no grade and is never offered; a sold OP row is the
 * front row of its section. Pure: the caller passes the taken seats.
 */
export function recommendSeats(
  layout: SeatLayout,
  taken: ReadonlySet<string>,
  request: { count: number; grade?: string; limit?: number },
): SeatOption[] {
  const { count, grade } = request;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEATS_PER_HOLD) return [];
  const price = new Map(layout.grades.map((g) => [g.code, g.price]));
  const best: Candidate[] = [];
  for (const floor of layout.floors) {
    for (const section of floor.sections) {
      section.rows.forEach((row, rowIndex) => {
        if (!row.grade || (grade && row.grade !== grade)) return;
        const free = (n: number) => n >= 1 && n <= row.seats && !taken.has(seatId(floor.floor, section.id, row.row, n));
        let rowBest: Candidate | undefined;
        for (let start = 1; start + count - 1 <= row.seats; start++) {
          const end = start + count - 1;
          let fits = true;
          for (let n = start; n <= end && fits; n++) fits = free(n);
          if (!fits) continue;
          // A stranded seat: exactly one free seat between the block and a taken seat or the row's end.
          const orphan = (free(start - 1) && !free(start - 2)) || (free(end + 1) && !free(end + 2));
          const offCentre = Math.abs((start + end) / 2 - (row.seats + 1) / 2);
          const score = [orphan ? 1 : 0, floor.floor, section.centrality, rowIndex, offCentre];
          if (!rowBest || compare(score, rowBest.score) < 0) {
            const unit = price.get(row.grade) ?? 0;
            rowBest = {
              seatIds: Array.from({ length: count }, (_, i) => seatId(floor.floor, section.id, row.row, start + i)),
              row: rowLabel({ floor: floor.floor, section: section.id, row: row.row }),
              grade: row.grade,
              price: unit,
              total: unit * count,
              score,
            };
          }
        }
        if (rowBest) best.push(rowBest);
      });
    }
  }
  const clean = best.filter((c) => c.score[0] === 0);
  return (clean.length > 0 ? clean : best)
    .sort((a, b) => compare(a.score, b.score))
    .slice(0, request.limit ?? 3)
    .map(({ score: _score, ...option }) => option);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
