import { addDays, weekdayOf, type KstDate } from '../shared/time.js';

export interface CalendarCell {
  readonly date: KstDate;
  readonly slots: number;
  readonly selected: boolean;
}

export interface CalendarMonth {
  /** First day of the month shown. */
  readonly month: KstDate;
  /** Weeks of 7 cells (Sunday first); null = a day outside this month. */
  readonly weeks: readonly (readonly (CalendarCell | null)[])[];
  /** First date with slots in the previous / next month, for the month links. */
  readonly previous?: KstDate;
  readonly next?: KstDate;
}

/** The month grid around the selected date: pure data for the calendar partial. */
export function calendarMonth(days: readonly { date: KstDate; slots: number }[], selected: KstDate): CalendarMonth {
  const month = `${selected.slice(0, 7)}-01`;
  const slotsOn = new Map(days.map((d) => [d.date, d.slots]));
  const weeks: (CalendarCell | null)[][] = [];
  let week: (CalendarCell | null)[] = Array.from({ length: weekdayOf(month) }, () => null);
  for (let date = month; date.slice(0, 7) === month.slice(0, 7); date = addDays(date, 1)) {
    week.push({ date, slots: slotsOn.get(date) ?? 0, selected: date === selected });
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  const previous = [...days].reverse().find((d) => d.date < month)?.date;
  const next = days.find((d) => d.date.slice(0, 7) > month.slice(0, 7))?.date;
  return { month, weeks, previous, next };
}
