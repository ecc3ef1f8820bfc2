import { OP_ROW } from './types.js';
import type { RowLayout, SectionLayout } from './types.js';

/** Rows `from..to` (inclusive), each with the same number of seats. */
export function rows(from: number, to: number, seats: number): RowLayout[] {
  const result: RowLayout[] = [];
  for (let row = from; row <= to; row += 1) result.push({ row: `${row}` as const, seats });
  return result;
}

/** The orchestra-pit row; it sits in front of row 1, so it comes first in a section's rows. */
export function opRow(seats: number): RowLayout {
  return { row: OP_ROW, seats };
}

/** A section named the way Korean venues sign them ("B구역" / "Section B"). */
export function section(id: string, centrality: number, sectionRows: readonly RowLayout[]): SectionLayout {
  return { id, name: { ko: `${id}구역`, en: `Section ${id}` }, centrality, rows: sectionRows };
}
