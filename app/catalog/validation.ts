import { daysBetween } from '../shared/time.js';
import { OP_ROW } from './types.js';
import type { Performance, Venue } from './types.js';
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
