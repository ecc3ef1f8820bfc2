import { daysBetween } from '../shared/time.js';
import { OP_ROW } from './types.js';
import type { OnSaleConfig, Performance, Venue } from './types.js';
import { sellableSeats } from './grades.js';
import { seatsOf } from './seats.js';

/**
 * Data errors in a performance as sentences (empty when it is sound). Meant for tests and for seeding, so a bad
 * catalog entry is caught before a price or a seat map built from it reaches a customer.
 */
export function performanceProblems(performance: Performance, venue: Venue): string[] {
  const problems: string[] = [];
  const say = (problem: string): void => {
    problems.push(`${performance.id}: ${problem}`);
  };
  if (performance.venueId !== venue.id) say(`venue is ${performance.venueId}, checked against ${venue.id}`);
  if (daysBetween(performance.runStart, performance.runEnd) < 0) say('run ends before it starts');

  const codes = performance.grades.map((grade) => grade.code);
  if (new Set(codes).size !== codes.length) say('grade codes are not unique');
  for (const grade of performance.grades) {
    if (!Number.isInteger(grade.price) || grade.price <= 0) say(`grade ${grade.code} price is not a positive integer`);
  }
  for (const rule of performance.gradeRules) {
    if (!codes.includes(rule.grade)) say(`a rule names undefined grade ${rule.grade}`);
    if (rule.rows !== OP_ROW && rule.rows.from > rule.rows.to) say(`a rule for grade ${rule.grade} has rows from > to`);
  }

  if (performance.onSale) for (const problem of onSaleProblems(performance.onSale)) say(`on-sale: ${problem}`);

  try {
    seatsOf(venue);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    return problems;
  }
  const sellable = sellableSeats(performance, venue);
  if (sellable.length === 0) say('no seat is sold');
  if (!performance.sellsOp && sellable.some(({ seat }) => seat.isOp)) say('sells OP seats without sellsOp');
  return problems;
}

/** Limits that keep a waiting room meaningful: a rate the booking partition can take, a window people can use. */
export const ON_SALE_LIMITS = {
  admitPerMinute: { min: 1, max: 60_000 },
  admissionWindowMinutes: { min: 1, max: 60 },
  maxHoldsPerAdmission: { min: 1, max: 10 },
} as const;

export function onSaleProblems(onSale: OnSaleConfig): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(onSale.opensAt) || !Number.isFinite(onSale.preQueueOpensAt)) {
    problems.push('opening times must be instants');
  } else if (onSale.preQueueOpensAt > onSale.opensAt) {
    problems.push('the pre-queue opens after the sale');
  }
  for (const [field, { min, max }] of Object.entries(ON_SALE_LIMITS)) {
    const value = onSale[field as keyof typeof ON_SALE_LIMITS];
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${field} must be an integer ${min}–${max}`);
  }
  return problems;
}
