import { GENRE_LABELS } from '../catalog/genres.js';
import type { Genre } from '../catalog/types.js';
import type { Locale, Localized } from '../shared/i18n.js';
import { KST_OFFSET_MS, weekdayOf, type EpochMs, type KstDate } from '../shared/time.js';
import type { Messages } from './i18n.js';

const WEEKDAYS: Record<Locale, readonly string[]> = {
  ko: ['일', '월', '화', '수', '목', '금', '토'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type ViewHelpers = ReturnType<typeof viewHelpers>;

/**
 * Every piece of formatting and vocabulary a template needs, per language, built once per locale and handed to
 * every template as `it.fmt`: templates never format money, dates or labels themselves.
 */
export function viewHelpers(locale: Locale, messages: Messages) {
  const numbers = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US');
  const t = (key: string, params?: Readonly<Record<string, string | number>>): string => {
    const text = messages[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
  const parts = (date: KstDate) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return { y, m, d, w: WEEKDAYS[locale][weekdayOf(date)]! };
  };
  const date = (value: KstDate): string => {
    const { y, m, d, w } = parts(value);
    return locale === 'ko' ? `${y}년 ${m}월 ${d}일 (${w})` : `${w}, ${d} ${MONTHS_EN[m - 1]} ${y}`;
  };
  const kst = (at: EpochMs) => {
    const iso = new Date(at + KST_OFFSET_MS).toISOString();
    return { day: iso.slice(0, 10), time: iso.slice(11, 16), seconds: iso.slice(11, 19) };
  };
  return {
    locale,
    t,
    /** The field of a bilingual catalog text in this language. */
    pick: (text: Localized | undefined): string => (text ? text[locale] : ''),
    number: (n: number): string => numbers.format(n),
    /** `55,000원` / `KRW 55,000`. */
    money: (krw: number): string => (locale === 'ko' ? `${numbers.format(krw)}원` : `KRW ${numbers.format(krw)}`),
    /** `2026년 12월 5일 (토)` / `Sat, 5 Dec 2026`. */
    date,
    /** `12월 5일 (토)` / `Sat 5 Dec`. */
    shortDate: (value: KstDate): string => {
      const { m, d, w } = parts(value);
      return locale === 'ko' ? `${m}월 ${d}일 (${w})` : `${w} ${d} ${MONTHS_EN[m - 1]}`;
    },
    /** `2026년 12월` / `December 2026` style month title for a calendar. */
    month: (value: KstDate): string => {
      const { y, m } = parts(value);
      return locale === 'ko' ? `${y}년 ${m}월` : `${MONTHS_EN[m - 1]} ${y}`;
    },
    weekdayNames: WEEKDAYS[locale],
    dayOfMonth: (value: KstDate): number => parts(value).d,
    /** An instant in KST: `2026년 12월 5일 (토) 19:30` / `Sat, 5 Dec 2026, 19:30 KST`. */
    dateTime: (at: EpochMs): string => {
      const { day, time } = kst(at);
      return locale === 'ko' ? `${date(day)} ${time}` : `${date(day)}, ${time} KST`;
    },
    /** Wall-clock time of an instant in KST, with seconds (hold deadlines). */
    clock: (at: EpochMs): string => kst(at).seconds,
    /** `m:ss` for a countdown. */
    minutesSeconds: (ms: number): string => {
      const total = Math.max(0, Math.ceil(ms / 1000));
      return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
    },
    genre: (genre: Genre): string => GENRE_LABELS[genre][locale],
    runtime: (minutes: number): string => t('unit.minutes', { n: minutes }),
    age: (minAge: number): string => (minAge > 0 ? t('age.min', { n: minAge }) : t('age.all')),
    status: (status: string): string => t(`status.${status}`),
    seatState: (state: string): string => t(`seat.state.${state}`),
  };
}
