import { addDays, daysBetween, kstInstant, weekdayOf } from '../shared/time.js';
import type { EpochMs, KstDate } from '../shared/time.js';
import type { CastEntry, Performance, Schedule, ScheduleCasting, WeeklyPattern } from './types.js';

/** How far ahead the demo opens sales, as Korean ticketing sites typically do for running shows. */
export const DEMO_SCHEDULE_DAYS = 90;

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `perf-moonlight-garden-20261205-1930`: derived from the slot itself, so regenerating never changes an id. */
export function scheduleId(performanceId: string, date: KstDate, time: string): string {
  return `${performanceId}-${date.replaceAll('-', '')}-${time.replace(':', '')}`;
}

function slotTimes(pattern: WeeklyPattern, date: KstDate): string[] {
  const times = pattern[weekdayOf(date) as keyof WeeklyPattern] ?? [];
  for (const time of times) {
    if (!TIME_PATTERN.test(time)) throw new RangeError(`weekly pattern time is not HH:mm: "${time}"`);
  }
  return [...new Set(times)].sort();
}

/**
 * Who plays each role in the slot with this ordinal (0 = the run's first slot). Double and triple casting rotate
 * through the actors; the second term shifts each role's rotation once per full cycle so pairings vary over the run
 * instead of the first actors of every role always appearing together.
 */
function castingFor(cast: readonly CastEntry[], ordinal: number): ScheduleCasting[] {
  return cast.flatMap((entry, roleIndex) => {
    const count = entry.actors.length;
    if (count === 0) return [];
    const actor = entry.actors[(ordinal + Math.floor(ordinal / count) * roleIndex) % count];
    return actor === undefined ? [] : [{ role: entry.role, actor }];
  });
}

/**
 * The show slots of a performance within [max(fromDate, runStart), min(fromDate + days − 1, runEnd)], following its
 * weekly pattern in KST. Casting depends only on the slot's position in the whole run, so the same slot gets the same
 * cast whatever window it is generated in.
 */
export function generateSchedules(performance: Performance, fromDate: KstDate, days: number): Schedule[] {
  if (days <= 0) return [];
  const lastRequested = addDays(fromDate, days - 1);
  const last = daysBetween(lastRequested, performance.runEnd) < 0 ? performance.runEnd : lastRequested;
  const schedules: Schedule[] = [];
  let ordinal = 0;
  // Walk from the run's start (not from fromDate) so the casting ordinal counts every slot of the run.
  for (let date = performance.runStart; daysBetween(date, last) >= 0; date = addDays(date, 1)) {
    for (const time of slotTimes(performance.weeklyPattern, date)) {
      if (daysBetween(fromDate, date) >= 0) {
        schedules.push({
          id: scheduleId(performance.id, date, time),
          performanceId: performance.id,
          startsAt: kstInstant(date, time),
          date,
          time,
          casting: castingFor(performance.cast, ordinal),
          status: 'ON_SALE',
        });
      }
      ordinal += 1;
    }
  }
  return schedules;
}

/** Demo slots for the next 90 days of every ACTIVE performance (an inactive show sells nothing). */
export function demoSchedules(performances: readonly Performance[], today: KstDate): Schedule[] {
  return performances
    .filter((performance) => performance.status === 'ACTIVE')
    .flatMap((performance) => generateSchedules(performance, today, DEMO_SCHEDULE_DAYS));
}

/** A slot can still be booked: on sale and not yet started. The one rule for holds and for the catalog's date filter. */
export function isSlotOnSale(schedule: Schedule, now: EpochMs): boolean {
  return schedule.status === 'ON_SALE' && schedule.startsAt > now;
}
