import { parseSeatId, seatLabel } from '../../catalog/seats.js';
import type { CatalogReader } from '../../booking/ports.js';
import type { Performance, Schedule, Venue } from '../../catalog/types.js';
import type { Locale } from '../../shared/i18n.js';
import { formatKst } from '../../shared/time.js';
import { ToolError, type ToolContext } from './define.js';

/** Shared lookups and formatting for the tools: ids the model sends are checked against the catalog here. */
export async function performanceOf(catalog: CatalogReader, performanceId: string): Promise<Performance> {
  const performance = await catalog.getPerformance(performanceId);
  if (!performance || performance.status !== 'ACTIVE') {
    throw new ToolError(
      'NOT_FOUND',
      `No performance has the id "${performanceId}". Use a performanceId from the catalog or get_performances.`,
    );
  }
  return performance;
}

export async function venueOf(catalog: CatalogReader, performance: Performance): Promise<Venue> {
  const venue = await catalog.getVenue(performance.venueId);
  if (!venue) throw new ToolError('NOT_FOUND', `The venue of ${performance.id} is not available.`);
  return venue;
}

export async function scheduleOf(catalog: CatalogReader, scheduleId: string): Promise<Schedule> {
  const schedule = await catalog.getSchedule(scheduleId);
  if (!schedule) {
    throw new ToolError(
      'NOT_FOUND',
      `No show slot has the id "${scheduleId}". Use a scheduleId from get_performance_schedules.`,
    );
  }
  return schedule;
}

/** Server-formatted KST time: the assistant never converts UTC itself (SPEC §3.1). */
export function when(at: number, locale: Locale): string {
  return formatKst(at, locale);
}

export function won(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}원`;
}

export function requireUser(ctx: ToolContext): string {
  if (!ctx.user) {
    ctx.loginRequired();
    throw new ToolError(
      'LOGIN_REQUIRED',
      'The person is not logged in. Holding seats and reading reservations need a login: ask them to log in ' +
        '(the page shows a log-in link), then continue. Browsing needs no login.',
    );
  }
  return ctx.user.userId;
}

/** "1층 B구역 7열 13–14번" / "Floor 1, Section B, Row 7, Seats 13–14": one row, adjacent seats. */
export function seatsLabel(seatIds: readonly string[], locale: Locale): string {
  const parts = seatIds.map((id) => parseSeatId(id)).filter((p) => p !== undefined);
  const first = parts[0];
  if (!first) return seatIds.join(', ');
  const oneRow = parts.every((p) => p.floor === first.floor && p.section === first.section && p.row === first.row);
  if (!oneRow) return parts.map((p) => seatLabel(p)[locale]).join(', ');
  const numbers = parts.map((p) => p.number).sort((a, b) => a - b);
  const range = numbers.length === 1 ? `${numbers[0]}` : `${numbers[0]}–${numbers.at(-1)}`;
  const row =
    first.row === 'OP'
      ? locale === 'ko'
        ? 'OP열'
        : 'OP row'
      : locale === 'ko'
        ? `${first.row}열`
        : `Row ${first.row}`;
  return locale === 'ko'
    ? `${first.floor}층 ${first.section}구역 ${row} ${range}번`
    : `Floor ${first.floor}, Section ${first.section}, ${row}, Seat${numbers.length > 1 ? 's' : ''} ${range}`;
}
