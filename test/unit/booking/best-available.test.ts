import { expect } from 'chai';
import { bestAvailable } from '../../../app/booking/best-available.js';
import { demoPerformances, demoVenues } from '../../../app/catalog/index.js';
import { parseSeatId } from '../../../app/catalog/seats.js';

const performances = demoPerformances('2026-12-01');
const MOONLIGHT = performances.find((p) => p.id === 'perf-moonlight-garden')!; // sells OP
const BOY = performances.find((p) => p.id === 'perf-boy-who-swallowed-stars')!; // does not sell OP
const THEATRE = demoVenues.find((v) => v.id === MOONLIGHT.venueId)!;

const row = (id: string) => {
  const p = parseSeatId(id)!;
  return `${p.floor}F-${p.section}-${p.row}`;
};
const numbers = (ids: readonly string[]) => ids.map((id) => parseSeatId(id)!.number);

describe('bestAvailable (adjacent seats recommender)', () => {
  it('an empty theatre, 2 seats, any grade: the centre section front rows first, each option in the middle of its row', () => {
    const options = bestAvailable(BOY, THEATRE, new Set(), { count: 2 });
    expect(options.map((o) => row(o.seatIds[0]!))).to.deep.equal(['1F-B-1', '1F-B-2', '1F-B-3']);
    expect(numbers(options[0]!.seatIds)).to.deep.equal([7, 8]); // row of 14: the two middle seats
    expect(options[0]).to.include({ grade: 'VIP', price: 170_000, total: 340_000 });
  });

  it('OP rules: a show without OP never offers the pit row; a show with OP offers it as the front row of B', () => {
    const withoutOp = bestAvailable(BOY, THEATRE, new Set(), { count: 2, limit: 50 });
    expect(withoutOp.some((o) => o.seatIds.some((id) => id.includes('-OP-')))).to.equal(false);
    const withOp = bestAvailable(MOONLIGHT, THEATRE, new Set(), { count: 2 });
    expect(row(withOp[0]!.seatIds[0]!)).to.equal('1F-B-OP');
    expect(withOp[0]!.grade).to.equal('OP');
    expect(bestAvailable(BOY, THEATRE, new Set(), { count: 2, grade: 'OP' })).to.deep.equal([]);
  });

  it('a grade filter keeps only rows of that grade, priced from the grade mapping', () => {
    const options = bestAvailable(BOY, THEATRE, new Set(), { count: 3, grade: 'R' });
    expect(options).to.have.length(3);
    for (const o of options) expect(o).to.include({ grade: 'R', price: 140_000, total: 420_000 });
    expect(options.map((o) => row(o.seatIds[0]!))).to.deep.equal(['1F-B-4', '1F-B-5', '1F-B-6']);
  });

  it('never leaves an orphan single seat: with 1F-B-1 seats 1-5 and 8-14 taken (2 free in the middle) 3 seats skip the row', () => {
    const taken = new Set<string>();
    for (const n of [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14]) taken.add(`1F-B-1-${n}`);
    // Row 2: only seats 6-8 free → a block of 2 would strand one seat; 3 fits exactly.
    for (const n of [1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14]) taken.add(`1F-B-2-${n}`);
    const pairs = bestAvailable(BOY, THEATRE, taken, { count: 2 });
    expect(pairs.map((o) => o.seatIds.join(','))).to.deep.equal([
      '1F-B-1-6,1F-B-1-7',
      '1F-B-3-7,1F-B-3-8',
      '1F-B-4-7,1F-B-4-8',
    ]);
    const triples = bestAvailable(BOY, THEATRE, taken, { count: 3 });
    expect(triples[0]!.seatIds).to.deep.equal(['1F-B-2-6', '1F-B-2-7', '1F-B-2-8']);
  });

  it('the seats it offers are adjacent, in one row, and all free', () => {
    const taken = new Set(['1F-B-1-7', '1F-B-2-8', '1F-B-3-6']);
    for (const option of bestAvailable(BOY, THEATRE, taken, { count: 4, limit: 10 })) {
      const parts = option.seatIds.map((id) => parseSeatId(id)!);
      expect(new Set(parts.map((p) => `${p.floor}${p.section}${p.row}`)).size).to.equal(1);
      parts.forEach((p, i) => i > 0 && expect(p.number).to.equal(parts[i - 1]!.number + 1));
      for (const id of option.seatIds) expect(taken.has(id)).to.equal(false);
    }
  });

  it('an orphan-making block is offered only when nothing else fits anywhere', () => {
    const taken = new Set<string>();
    // Leave exactly three free seats in the whole house: 1F-A-1-1..3; 2 of them strand one.
    for (const floor of THEATRE.floors)
      for (const section of floor.sections)
        for (const r of section.rows)
          for (let n = 1; n <= r.seats; n++) taken.add(`${floor.floor}F-${section.id}-${r.row}-${n}`);
    for (const n of [1, 2, 3]) taken.delete(`1F-A-1-${n}`);
    const options = bestAvailable(BOY, THEATRE, taken, { count: 2 });
    expect(options).to.have.length(1);
    expect(options[0]!.seatIds).to.have.length(2);
  });

  it('labels name the first and last seat exactly as the seat ids say (ids and labels never disagree)', () => {
    const [first] = bestAvailable(BOY, THEATRE, new Set(), { count: 2 });
    expect(first!.labels.map((l) => l.ko)).to.deep.equal(['1층 B구역 1열 7번', '1층 B구역 1열 8번']);
  });

  it('refuses counts outside 1–4 with no options rather than an error (the tool validates first)', () => {
    expect(bestAvailable(BOY, THEATRE, new Set(), { count: 0 })).to.deep.equal([]);
    expect(bestAvailable(BOY, THEATRE, new Set(), { count: 5 })).to.deep.equal([]);
  });
});
