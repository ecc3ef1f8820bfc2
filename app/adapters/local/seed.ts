import { demoPerformances, demoSchedules, demoVenues } from '../../catalog/index.js';
import type { Clock } from '../../shared/clock.js';
import { kstDateOf } from '../../shared/time.js';
import type { DynamoCatalog } from '../dynamodb/catalog-store.js';

/** Seeds the demo catalog relative to today's KST date, so a demo never shows only past dates. */
export async function seedDemoCatalog(
  catalog: DynamoCatalog,
  clock: Clock,
): Promise<{ performances: number; schedules: number }> {
  const now = clock.now();
  const today = kstDateOf(now);
  const performances = demoPerformances(today, now);
  const schedules = demoSchedules(performances, today);
  await catalog.put({ venues: demoVenues, performances, schedules });
  return { performances: performances.length, schedules: schedules.length };
}
