/**
 * Plain-text rendering of a cancellation policy for the UI (shown before the user confirms) and the assistant's
 * tool. Every line is generated from the policy data through per-kind templates, so a policy change shows up here
 * without editing strings. Type-only imports keep this module free of a runtime cycle with the policy module.
 */
import type { Genre } from '../catalog/types.js';
import type { Locale } from '../shared/i18n.js';
import type { CancellationPolicy, CancellationRule, DaysBeforeShowRange, KstTime } from './cancellation-policy.js';

interface Templates {
  /** A D range: "관람일 9~7일 전" / "9–7 days before the show". */
  range(r: DaysBeforeShowRange): string;
  /** Same range, starting from a booking day (a fee rule that follows a free window). */
  rangeFromBookingDay(day: number, r: DaysBeforeShowRange): string;
  free(withinBookingDays: number, r: DaysBeforeShowRange): string;
  flat(amount: string, capPercent: number): string;
  rate(percent: number): string;
  cutoff(daysBefore: number, time: KstTime, overrides: readonly { weekday: number; time: KstTime }[]): string;
  showDayClosed: string;
  bookingFee: Record<CancellationPolicy['bookingFeeRefund'], string>;
}

const KO_WEEKDAYS = ['일요일', '월요일', '화요일', '수요일', '목요일', '금요일', '토요일'] as const;
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const TEMPLATES: Readonly<Record<Locale, Templates>> = {
  ko: {
    range: (r) =>
      r.max === null
        ? `관람일 ${r.min}일 전까지`
        : r.max === r.min
          ? `관람일 ${r.min}일 전`
          : `관람일 ${r.max}~${r.min}일 전`,
    rangeFromBookingDay: (day, r) =>
      r.max === null ? `예매 ${day}일째부터 관람일 ${r.min}일 전까지` : `예매 ${day}일째부터 ${TEMPLATES.ko.range(r)}`,
    free: (days, r) => `예매 후 ${days}일 이내: 무료 (${TEMPLATES.ko.range(r)})`,
    flat: (amount, cap) => `티켓 1매당 ${amount}원 (티켓 금액의 ${cap}% 한도)`,
    rate: (percent) => `티켓 금액의 ${percent}%`,
    cutoff: (daysBefore, time, overrides) => {
      const day = daysBefore === 1 ? '관람일 전날' : `관람일 ${daysBefore}일 전`;
      const extra = overrides.map((o) => `${KO_WEEKDAYS[o.weekday]}은 ${o.time}`).join(', ');
      return `취소 마감: ${day} ${time}${extra ? ` (${extra})` : ''}`;
    },
    showDayClosed: '관람 당일: 취소 불가',
    bookingFee: {
      'booking-date-only': '예매수수료: 예매 당일 취소 시에만 환불',
      always: '예매수수료: 취소 시 환불',
      never: '예매수수료: 환불되지 않음',
    },
  },
  en: {
    range: (r) => {
      const unit = (n: number) => (n === 1 ? 'day' : 'days');
      if (r.max === null) return `Until ${r.min} ${unit(r.min)} before the show`;
      if (r.max === r.min) return `${r.min} ${unit(r.min)} before the show`;
      return `${r.max}–${r.min} days before the show`;
    },
    rangeFromBookingDay: (day, r) => {
      const range = lowerFirst(TEMPLATES.en.range(r));
      return `From booking day ${day} ${r.max === null ? range : `to ${range}`}`;
    },
    free: (days, r) => `Within ${days} days of booking: free (${lowerFirst(TEMPLATES.en.range(r))})`,
    flat: (amount, cap) => `KRW ${amount} per ticket (at most ${cap}% of the ticket price)`,
    rate: (percent) => `${percent}% of the ticket price`,
    cutoff: (daysBefore, time, overrides) => {
      const day = daysBefore === 1 ? 'the day before the show' : `${daysBefore} days before the show`;
      const extra = overrides.map((o) => `${o.time} if that day is a ${EN_WEEKDAYS[o.weekday]}`).join(', ');
      return `Cancellation deadline: ${time} KST ${day}${extra ? ` (${extra})` : ''}`;
    },
    showDayClosed: 'On the show day: no cancellation',
    bookingFee: {
      'booking-date-only': 'Booking fee: refunded only when cancelling on the booking date',
      always: 'Booking fee: refunded on cancellation',
      never: 'Booking fee: not refundable',
    },
  },
};

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `4000` → `4,000`; locale-independent so output never depends on the host's ICU data. */
function formatWon(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function overlaps(a: DaysBeforeShowRange, b: DaysBeforeShowRange): boolean {
  const aMax = a.max ?? Infinity;
  const bMax = b.max ?? Infinity;
  return a.min <= bMax && b.min <= aMax;
}

/**
 * One plain-text line per rule (in policy order) for the given genre, then the cut-off, the show-day rule and the
 * booking-fee rule. E.g. `관람일 9~7일 전: 티켓 금액의 10%`, `취소 마감: 관람일 전날 17:00 (토요일은 11:00)`.
 */
export function describeCancellationPolicy(policy: CancellationPolicy, locale: Locale, genre: Genre): string[] {
  const t = TEMPLATES[locale];
  const lines: string[] = [];
  policy.rules.forEach((rule: CancellationRule, index) => {
    if (rule.kind === 'free') {
      lines.push(t.free(rule.withinBookingDays, rule.daysBeforeShow));
      return;
    }
    // A fee rule sharing its D range with an earlier free window only applies after that window has ended.
    const freeBefore = policy.rules
      .slice(0, index)
      .find((r) => r.kind === 'free' && overlaps(r.daysBeforeShow, rule.daysBeforeShow));
    const when =
      freeBefore?.kind === 'free'
        ? t.rangeFromBookingDay(freeBefore.withinBookingDays + 1, rule.daysBeforeShow)
        : t.range(rule.daysBeforeShow);
    const fee =
      rule.kind === 'flat' ? t.flat(formatWon(rule.amountByGenre[genre]), rule.capPercent) : t.rate(rule.percent);
    lines.push(`${when}: ${fee}`);
  });
  const { cutoff } = policy;
  const overrides = Object.entries(cutoff.timeByWeekday)
    .filter((e): e is [string, KstTime] => e[1] !== undefined)
    .map(([weekday, time]) => ({ weekday: Number(weekday), time }));
  lines.push(t.cutoff(cutoff.daysBeforeShow, cutoff.time, overrides));
  if (cutoff.daysBeforeShow >= 1) lines.push(t.showDayClosed);
  lines.push(t.bookingFee[policy.bookingFeeRefund]);
  return lines;
}
