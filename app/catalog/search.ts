import type { Genre, Performance, Schedule } from './types.js';
import type { EpochMs, KstDate } from '../shared/time.js';
import { isSlotOnSale } from './schedules.js';

export interface CatalogQuery {
  /** Case-insensitive substring of the Korean or English title. */
  readonly q?: string;
  readonly genre?: Genre;
  /** Only performances with a slot on this KST date that can still be booked. */
  readonly date?: KstDate;
}

/** The slots the date filter looks at, and the instant that decides which of them are still on sale. */
export interface SlotsView {
  readonly schedulesOf: (performanceId: string) => readonly Schedule[];
  readonly now: EpochMs;
}

/** Filters the catalog for the home page and the assistant; INACTIVE performances are never listed. */
export function searchPerformances(
  performances: readonly Performance[],
  query: CatalogQuery,
  slots?: SlotsView,
): Performance[] {
  const needle = query.q?.trim().toLocaleLowerCase('ko-KR');
  return performances.filter((p) => {
    if (p.status !== 'ACTIVE') return false;
    if (query.genre && p.genre !== query.genre) return false;
    if (needle && !`${p.title.ko}\n${p.title.en}`.toLocaleLowerCase('ko-KR').includes(needle)) return false;
    if (query.date) {
      if (query.date < p.runStart || query.date > p.runEnd) return false;
      const bookable = (s: Schedule) => s.date === query.date && isSlotOnSale(s, slots!.now);
      if (slots && !slots.schedulesOf(p.id).some(bookable)) return false;
    }
    return true;
  });
}

/** Where `findPerformances` reads the catalog from (the catalog store or its cache). */
export interface CatalogSource {
  listPerformances(): Promise<readonly Performance[]>;
  listSchedules(performanceId: string): Promise<readonly Schedule[]>;
}

/** `searchPerformances` over a catalog source: the slots are read only when the query filters by date. */
export async function findPerformances(
  source: CatalogSource,
  query: CatalogQuery,
  now: EpochMs,
): Promise<Performance[]> {
  const all = await source.listPerformances();
  const schedules = query.date
    ? new Map(await Promise.all(all.map(async (p) => [p.id, await source.listSchedules(p.id)] as const)))
    : undefined;
  return searchPerformances(all, query, schedules && { schedulesOf: (id) => schedules.get(id) ?? [], now });
}
