/**
 * Cancellation policy (SPEC 3.1): the policy is *data*. The API enforces it through `quoteCancellation`, the UI shows
 * it before the user confirms and the assistant quotes it from a tool, both through `describeCancellationPolicy`,
 * so every surface reads the same rules. Pure and deterministic: no clock, no I/O, all money integer KRW.
 */
import type { Genre } from '../catalog/types.js';
import { addDays, daysBetween, kstDateOf, kstInstant, weekdayOf, type EpochMs } from '../shared/time.js';

export { describeCancellationPolicy } from './cancellation-policy-text.js';

/**
 * Inclusive range of D, the whole KST calendar days from the cancellation date to the show date
 * (`daysBetween(cancelDate, showDate)`; D-1 = the day before the show). `max: null` = no upper bound.
 */
export interface DaysBeforeShowRange {
  readonly min: number;
  readonly max: number | null;
}

interface RuleBase {
  /** Stable id, returned as `tier` by a quote. */
  readonly id: string;
  readonly daysBeforeShow: DaysBeforeShowRange;
}

/** No fee while the cancellation falls within the first `withinBookingDays` KST days (booking date = day 1). */
export interface FreeCancellationRule extends RuleBase {
  readonly kind: 'free';
  readonly withinBookingDays: number;
}

/** A flat fee per ticket by genre, capped at `capPercent` % of that ticket's price (floored to the won). */
export interface FlatCancellationRule extends RuleBase {
  readonly kind: 'flat';
  readonly amountByGenre: Readonly<Record<Genre, number>>;
  readonly capPercent: number;
}

/** `percent` % of each ticket's price, floored to the won per ticket. */
export interface RateCancellationRule extends RuleBase {
  readonly kind: 'rate';
  readonly percent: number;
}

export type CancellationRule = FreeCancellationRule | FlatCancellationRule | RateCancellationRule;

/** Local KST wall-clock time `HH:mm`. */
export type KstTime = `${number}:${number}`;

export interface CancellationCutoff {
  /** The cut-off falls this many KST days before the show date. */
  readonly daysBeforeShow: number;
  /** Cut-off time on that day… */
  readonly time: KstTime;
  /** …unless that day's weekday (0 = Sunday … 6 = Saturday) has its own time. */
  readonly timeByWeekday: Readonly<Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, KstTime>>>;
}

/**
 * `booking-date-only`: the booking fee is refunded only when cancelling on the booking's KST date;
 * `always` / `never` exist so another policy can be expressed as data.
 */
export type BookingFeeRefundRule = 'booking-date-only' | 'always' | 'never';

export interface CancellationPolicy {
  readonly id: string;
  /** Ordered: the first rule whose conditions hold decides the fee. */
  readonly rules: readonly CancellationRule[];
  /** At or after the cut-off the booking can no longer be cancelled. */
  readonly cutoff: CancellationCutoff;
  readonly bookingFeeRefund: BookingFeeRefundRule;
}

/** Korean standard practice (as Interpark / NOL Ticket). */
export const DEFAULT_CANCELLATION_POLICY: CancellationPolicy = {
  id: 'kr-standard-2026',
  rules: [
    // The 7-day free window does not override the near-show ladder: it applies only while the show is still at
    // least 10 days away. Otherwise booking at D-5 and cancelling at D-4 would be free.
    { id: 'free-within-7-days', kind: 'free', withinBookingDays: 7, daysBeforeShow: { min: 10, max: null } },
    {
      id: 'flat-until-d10',
      kind: 'flat',
      amountByGenre: { musical: 4_000, concert: 4_000, classical: 4_000, play: 2_000 },
      capPercent: 10,
      daysBeforeShow: { min: 10, max: null },
    },
    { id: 'd9-d7', kind: 'rate', percent: 10, daysBeforeShow: { min: 7, max: 9 } },
    { id: 'd6-d3', kind: 'rate', percent: 20, daysBeforeShow: { min: 3, max: 6 } },
    { id: 'd2-d1', kind: 'rate', percent: 30, daysBeforeShow: { min: 1, max: 2 } },
  ],
  cutoff: { daysBeforeShow: 1, time: '17:00', timeByWeekday: { 6: '11:00' } },
  bookingFeeRefund: 'booking-date-only',
};

export interface CancellationQuoteInput {
  readonly bookedAt: EpochMs;
  readonly showStartsAt: EpochMs;
  readonly now: EpochMs;
  readonly genre: Genre;
  /** Integer KRW per ticket, as charged. */
  readonly tickets: readonly { readonly price: number }[];
  /** Integer KRW per ticket, as charged at booking. */
  readonly bookingFeePerTicket: number;
}

export interface CancellableQuote {
  readonly cancellable: true;
  /** Id of the rule that decided the fee. */
  readonly tier: string;
  readonly daysBeforeShow: number;
  readonly deadline: EpochMs;
  /** Fee per ticket, in the order of `input.tickets`. */
  readonly feePerTicket: readonly number[];
  readonly cancellationFee: number;
  /** Ticket prices minus the cancellation fee. */
  readonly ticketRefund: number;
  readonly bookingFeeRefund: number;
  readonly refundTotal: number;
  /** Ticket prices plus booking fees, as paid. */
  readonly paidTotal: number;
}

export interface NotCancellableQuote {
  readonly cancellable: false;
  readonly reason: 'CUTOFF_PASSED';
  readonly deadline: EpochMs;
  readonly daysBeforeShow: number;
}

export type CancellationQuote = CancellableQuote | NotCancellableQuote;

/** The instant at which cancellation closes for a show starting at `showStartsAt`. */
export function cancellationDeadline(policy: CancellationPolicy, showStartsAt: EpochMs): EpochMs {
  const { cutoff } = policy;
  const date = addDays(kstDateOf(showStartsAt), -cutoff.daysBeforeShow);
  const weekday = weekdayOf(date) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
  return kstInstant(date, cutoff.timeByWeekday[weekday] ?? cutoff.time);
}

export function quoteCancellation(policy: CancellationPolicy, input: CancellationQuoteInput): CancellationQuote {
  assertWon(input.bookingFeePerTicket, 'bookingFeePerTicket');
  if (input.tickets.length === 0) throw new RangeError('a cancellation quote needs at least one ticket');
  input.tickets.forEach((t, i) => assertWon(t.price, `tickets[${i}].price`));

  const cancelDate = kstDateOf(input.now);
  const daysBeforeShow = daysBetween(cancelDate, kstDateOf(input.showStartsAt));
  const deadline = cancellationDeadline(policy, input.showStartsAt);
  if (input.now >= deadline) return { cancellable: false, reason: 'CUTOFF_PASSED', deadline, daysBeforeShow };

  // Booking day 1 = the booking's KST date. A `now` a hair before `bookedAt` (clock skew between instances or
  // regions) counts as the booking date rather than failing the request.
  const bookedDate = kstDateOf(input.bookedAt);
  const bookingDay = Math.max(1, daysBetween(bookedDate, cancelDate) + 1);

  const rule = policy.rules.find((r) => ruleApplies(r, daysBeforeShow, bookingDay));
  if (!rule) {
    throw new Error(`cancellation policy ${policy.id} has no rule for D-${daysBeforeShow}, booking day ${bookingDay}`);
  }

  const feePerTicket = input.tickets.map((t) => ticketFee(rule, input.genre, t.price));
  const cancellationFee = sum(feePerTicket);
  const ticketTotal = sum(input.tickets.map((t) => t.price));
  const bookingFeeTotal = input.bookingFeePerTicket * input.tickets.length;
  const ticketRefund = ticketTotal - cancellationFee;
  const bookingFeeRefund = refundsBookingFee(policy.bookingFeeRefund, bookingDay) ? bookingFeeTotal : 0;
  return {
    cancellable: true,
    tier: rule.id,
    daysBeforeShow,
    deadline,
    feePerTicket,
    cancellationFee,
    ticketRefund,
    bookingFeeRefund,
    refundTotal: ticketRefund + bookingFeeRefund,
    paidTotal: ticketTotal + bookingFeeTotal,
  };
}

function ruleApplies(rule: CancellationRule, daysBeforeShow: number, bookingDay: number): boolean {
  const { min, max } = rule.daysBeforeShow;
  if (daysBeforeShow < min || (max !== null && daysBeforeShow > max)) return false;
  return rule.kind !== 'free' || bookingDay <= rule.withinBookingDays;
}

function ticketFee(rule: CancellationRule, genre: Genre, price: number): number {
  switch (rule.kind) {
    case 'free':
      return 0;
    case 'flat':
      return Math.min(rule.amountByGenre[genre], percentOf(price, rule.capPercent));
    case 'rate':
      return percentOf(price, rule.percent);
  }
}

/** `percent` % of an integer amount, floored to the won; integer arithmetic so 10% of 15,000 is exactly 1,500. */
function percentOf(amount: number, percent: number): number {
  return Math.floor((amount * percent) / 100);
}

function refundsBookingFee(rule: BookingFeeRefundRule, bookingDay: number): boolean {
  switch (rule) {
    case 'booking-date-only':
      return bookingDay === 1;
    case 'always':
      return true;
    case 'never':
      return false;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function assertWon(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer KRW`);
}
