import { OP_ROW } from './types.js';
import type { GradeRule, Performance, Seat, SeatGrade, Venue } from './types.js';
import { findSeat, seatsOf } from './seats.js';

/** A seat this performance sells, with the grade (and so the price) the server charges for it. */
export interface SellableSeat {
  readonly seat: Seat;
  readonly grade: SeatGrade;
}

export interface PriceRow {
  readonly grade: SeatGrade;
  /** Number of sellable seats of this grade; present only when the venue was given. */
  readonly seats?: number;
}

function ruleMatches(rule: GradeRule, seat: Seat): boolean {
  if (rule.floor !== seat.floor) return false;
  if (rule.section !== undefined && rule.section !== seat.section) return false;
  if (rule.rows === OP_ROW) return seat.isOp;
  if (seat.isOp) return false;
  const row = Number(seat.row);
  return row >= rule.rows.from && row <= rule.rows.to;
}

/** A rule that grades the OP row is dead for a show that does not sell OP seats. */
function ruleApplies(performance: Performance, rule: GradeRule): boolean {
  return rule.rows !== OP_ROW || performance.sellsOp;
}

/**
 * The grade of a seat for this performance; undefined means the seat is not sold. First matching rule wins, and OP
 * seats are never sold unless the performance says so, whatever the rules say (the pit is often used by the band).
 */
export function gradeOf(performance: Performance, seat: Seat): SeatGrade | undefined {
  if (seat.isOp && !performance.sellsOp) return undefined;
  const rule = performance.gradeRules.find((candidate) => ruleMatches(candidate, seat));
  if (!rule) return undefined;
  // A rule naming a grade the performance does not define is a data error; treating the seat as unsold keeps a
  // wrong price from ever being charged, and `performanceProblems` reports it.
  return performance.grades.find((grade) => grade.code === rule.grade);
}

/** Every seat the performance sells at this venue, in seat-map order. */
export function sellableSeats(performance: Performance, venue: Venue): readonly SellableSeat[] {
  const result: SellableSeat[] = [];
  for (const seat of seatsOf(venue)) {
    const grade = gradeOf(performance, seat);
    if (grade) result.push({ seat, grade });
  }
  return result;
}

/** The seat behind an id if this performance sells it; undefined for unknown, malformed or unsold (e.g. OP) ids. */
export function sellableSeat(performance: Performance, venue: Venue, id: string): SellableSeat | undefined {
  const seat = findSeat(venue, id);
  if (!seat) return undefined;
  const grade = gradeOf(performance, seat);
  return grade ? { seat, grade } : undefined;
}

/** Grades some applicable rule hands out: a defined-but-unused grade (or OP when OP is not sold) is not on sale. */
function offeredGrades(performance: Performance): SeatGrade[] {
  const codes = new Set(performance.gradeRules.filter((rule) => ruleApplies(performance, rule)).map((r) => r.grade));
  return performance.grades.filter((grade) => codes.has(grade.code));
}

/** The "from ₩80,000" price: the cheapest grade on sale; undefined when nothing is on sale. */
export function startingPrice(performance: Performance): number | undefined {
  const prices = offeredGrades(performance).map((grade) => grade.price);
  return prices.length > 0 ? Math.min(...prices) : undefined;
}

/**
 * Grades on sale, most expensive first (ties by code so the order is stable). With a venue the rows carry exact seat
 * counts and grades that end up with no seat at all are left out.
 */
export function priceTable(performance: Performance, venue?: Venue): readonly PriceRow[] {
  const byPrice = (a: SeatGrade, b: SeatGrade): number => b.price - a.price || a.code.localeCompare(b.code);
  const grades = offeredGrades(performance).sort(byPrice);
  if (!venue) return grades.map((grade) => ({ grade }));
  const counts = new Map<string, number>();
  for (const { grade } of sellableSeats(performance, venue)) counts.set(grade.code, (counts.get(grade.code) ?? 0) + 1);
  return grades.map((grade) => ({ grade, seats: counts.get(grade.code) ?? 0 })).filter((row) => row.seats > 0);
}
