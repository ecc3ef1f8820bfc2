import type { Genre, Performance, Schedule } from './types.js';
import type { KstDate } from '../shared/time.js';

export interface CatalogQuery {
  /** Case-insensitive substring of the Korean or English title. */
  readonly q?: string;
  readonly genre?: Genre;
  /** Only performances with a slot on this KST date. */
  readonly date?: KstDate;
}

/** Filters the catalog for the home page and the assistant; INACTIVE performances are never listed. */
export function searchPerformances(
  performances: readonly Performance[],
  query: CatalogQuery,
  schedulesOf?: (performanceId: string) => readonly Schedule[],
): Performance[] {
  const needle = query.q?.trim().toLocaleLowerCase('ko-KR');
  return performances.filter((p) => {
    if (p.status !== 'ACTIVE') return false;
    if (query.genre && p.genre !== query.genre) return false;
    if (needle && !`${p.title.ko}\n${p.title.en}`.toLocaleLowerCase('ko-KR').includes(needle)) return false;
    if (query.date) {
      if (query.date < p.runStart || query.date > p.runEnd) return false;
      if (schedulesOf && !schedulesOf(p.id).some((s) => s.date === query.date && s.status === 'ON_SALE')) return false;
    }
    return true;
  });
}
