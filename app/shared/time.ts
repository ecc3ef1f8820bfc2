/**
 * Korea Standard Time helpers. Korea has observed no daylight saving since 1988, so KST is a fixed UTC+9 and
 * calendar arithmetic can be done on shifted epoch values without a time-zone database.
 */
export const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Epoch milliseconds; every instant in the system is one of these or an ISO-8601 UTC string. */
export type EpochMs = number;

/** A KST calendar date as `YYYY-MM-DD`. */
export type KstDate = string;

export function kstDateOf(at: EpochMs): KstDate {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which the given KST wall-clock time occurs. */
export function kstInstant(date: KstDate, time = '00:00'): EpochMs {
  const ms = Date.parse(`${date}T${time}:00.000Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a KST date/time: ${date} ${time}`);
  return ms - KST_OFFSET_MS;
}

export function addDays(date: KstDate, days: number): KstDate {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (KST dates); negative when `to` is earlier. */
export function daysBetween(from: KstDate, to: KstDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, for a KST date. */
export function weekdayOf(date: KstDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** `2026-12-05 19:30 (토)` style: the server formats every time people or the assistant see. */
export function formatKst(at: EpochMs, locale: 'ko' | 'en' = 'ko'): string {
  const iso = new Date(at + KST_OFFSET_MS).toISOString();
  const weekday = weekdayOf(iso.slice(0, 10));
  const names =
    locale === 'ko' ? ['일', '월', '화', '수', '목', '금', '토'] : ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} (${names[weekday]})${locale === 'en' ? ' KST' : ''}`;
}
