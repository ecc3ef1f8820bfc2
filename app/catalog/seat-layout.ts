import type { Localized } from '../shared/i18n.js';
import { gradeOf } from './grades.js';
import { findSeat, rowLabel, seatId } from './seats.js';
import type { Performance, RowName, SeatGrade, Venue } from './types.js';

/**
 * The static part of a seat map for one performance: the venue's geometry with the grade of every row. It changes
 * only when the catalog does, so clients fetch it once and render it once; seat *state* travels separately as a
 * small overlay (see booking/seat-overlay.ts).
 */
export interface SeatLayoutRow {
  readonly row: RowName;
  readonly seats: number;
  /** Grade code of every seat in the row, or null when the row is not sold for this performance (e.g. OP). */
  readonly grade: string | null;
  /** The row's label prefix, e.g. "1층 B구역 7열" / "Floor 1, Section B, Row 7". */
  readonly label: Localized;
}

export interface SeatLayoutSection {
  readonly id: string;
  readonly name: Localized;
  readonly centrality: number;
  readonly rows: readonly SeatLayoutRow[];
}

export interface SeatLayout {
  readonly performanceId: string;
  readonly venueId: string;
  readonly venueName: Localized;
  /** Grades on sale, most expensive first. */
  readonly grades: readonly Pick<SeatGrade, 'code' | 'name' | 'price' | 'color' | 'pattern'>[];
  readonly floors: readonly { readonly floor: number; readonly sections: readonly SeatLayoutSection[] }[];
}

/** Rows carry one grade: grade rules select whole rows (floor, section, row range), never single seats. */
export function seatLayoutOf(performance: Performance, venue: Venue): SeatLayout {
  const used = new Set<string>();
  const floors = venue.floors.map((floor) => ({
    floor: floor.floor,
    sections: floor.sections.map((section) => ({
      id: section.id,
      name: section.name,
      centrality: section.centrality,
      rows: section.rows.map((row): SeatLayoutRow => {
        const first = findSeat(venue, seatId(floor.floor, section.id, row.row, 1));
        const grade = (first && gradeOf(performance, first)?.code) ?? null;
        if (grade) used.add(grade);
        return {
          row: row.row,
          seats: row.seats,
          grade,
          label: rowLabel({ floor: floor.floor, section: section.id, row: row.row }),
        };
      }),
    })),
  }));
  const grades = performance.grades
    .filter((g) => used.has(g.code))
    .map(({ code, name, price, color, pattern }) => ({ code, name, price, color, pattern }))
    .sort((a, b) => b.price - a.price || a.code.localeCompare(b.code));
  return { performanceId: performance.id, venueId: venue.id, venueName: venue.name, grades, floors };
}
