import { expect } from 'chai';
import { recommendSeats } from '../../../app/booking/seat-recommendation.js';
import type { SeatLayout } from '../../../app/catalog/seat-layout.js';
import { seatLayoutOf } from '../../../app/catalog/seat-layout.js';
import { demoPerformances, HANGANG_GRAND_THEATER } from '../../../app/catalog/index.js';
import { parseSeatId } from '../../../app/catalog/seats.js';

const performances = demoPerformances('2026-01-01');
const moonlight = performances.find((p) => p.id === 'perf-moonlight-garden')!; // sells OP
const boy = performances.find((p) => p.id === 'perf-boy-who-swallowed-stars')!; // does not sell OP
const layout = seatLayoutOf(moonlight, HANGANG_GRAND_THEATER);
const noOp = seatLayoutOf(boy, HANGANG_GRAND_THEATER);

const rowOf = (id: string) => {
  const p = parseSeatId(id)!;
  return `${p.floor}F-${p.section}-${p.row}`;
};
const numbers = (ids: readonly string[]) => ids.map((id) => parseSeatId(id)!.number);

/** Every seat of the theatre except `free`. */
function allTakenBut(free: readonly string[]): Set<string> {
  const taken = new Set<string>();
  for (const floor of HANGANG_GRAND_THEATER.floors)
    for (const section of floor.sections)
      for (const r of section.rows)
        for (let n = 1; n <= r.seats; n++) taken.add(`${floor.floor}F-${section.id}-${r.row}-${n}`);
  for (const id of free) taken.delete(id);
  return taken;
}

/** A one-row venue of `seats` seats, all grade R. */
function oneRow(seats: number): SeatLayout {
  return {
    performanceId: 'p',
    venueId: 'v',
    venueName: { ko: 'v', en: 'v' },
    grades: [{ code: 'R', name: { ko: 'R석', en: 'R' }, price: 100, color: '#000000', pattern: 'solid' }],
    floors: [
      {
        floor: 1,
        sections: [
          {
            id: 'A',
            name: { ko: 'A', en: 'A' },
            centrality: 0,
            rows: [{ row: '1', seats, grade: 'R', label: { ko: '', en: '' } }],
          },
        ],
      },
    ],
  };
}

describe('recommendSeats (best available)', () => {
  it('an empty theatre: 2 VIP seats in the middle of section B row 1', () => {
    const [best] = recommendSeats(layout, new Set(), { count: 2, grade: 'VIP' });
    expect(best!.seatIds).to.deep.equal(['1F-B-1-7', '1F-B-1-8']);
    expect(best!.total).to.equal(340_000);
  });

  it('without a grade: floor 1, the centre section and the front row first (OP before row 1)', () => {
    const options = recommendSeats(layout, new Set(), { count: 3 });
    expect(options).to.have.length(3);
    expect(options.map((o) => o.seatIds[0]!.split('-').slice(0, 3).join('-'))).to.deep.equal([
      '1F-B-OP',
      '1F-B-1',
      '1F-B-2',
    ]);
  });

  it('never proposes a block that leaves one stranded seat when another block avoids it', () => {
    // Row of 6: seat 1 taken → free 2..6; a block of 2 at 2-3 leaves 4-6, at 3-4 strands seat 2, at 4-5 strands 6.
    const taken = new Set(['1F-A-1-1']);
    const [best] = recommendSeats(oneRow(6), taken, { count: 2 });
    expect(best!.seatIds).to.satisfy((ids: string[]) => ['1F-A-1-2', '1F-A-1-5'].includes(ids[0]!));
    const free = ['2', '3', '4', '5', '6'].filter((n) => !best!.seatIds.includes(`1F-A-1-${n}`));
    // The free seats left form runs of length ≠ 1.
    expect(free.join(',')).to.be.oneOf(['4,5,6', '2,3,4']);
  });

  it('proposes an orphaning block only when nothing else fits', () => {
    // Row of 3, all free, 2 seats: any block strands one seat; it is still offered.
    const [best] = recommendSeats(oneRow(3), new Set(), { count: 2 });
    expect(best!.seatIds).to.have.length(2);
  });

  it('skips taken seats and answers nothing when no row has the count in one run', () => {
    const taken = new Set(['1F-A-1-2', '1F-A-1-4']);
    expect(recommendSeats(oneRow(5), taken, { count: 2 })).to.deep.equal([]);
    expect(recommendSeats(oneRow(5), new Set(), { count: 5 })).to.deep.equal([]);
    expect(recommendSeats(oneRow(5), new Set(), { count: 0 })).to.deep.equal([]);
  });

  it('an unknown grade yields no options', () => {
    expect(recommendSeats(layout, new Set(), { count: 2, grade: 'ZZ' })).to.deep.equal([]);
  });

  it('an empty theatre, 2 seats, a show without OP: section B rows 1–3, each option the two middle seats, VIP priced', () => {
    const options = recommendSeats(noOp, new Set(), { count: 2 });
    expect(options.map((o) => rowOf(o.seatIds[0]!))).to.deep.equal(['1F-B-1', '1F-B-2', '1F-B-3']);
    expect(numbers(options[0]!.seatIds)).to.deep.equal([7, 8]); // row of 14: the two middle seats
    expect(options[0]).to.include({ grade: 'VIP', price: 170_000, total: 340_000 });
  });

  it('OP rules: a show that does not sell OP never offers the pit row, not even when asked for grade OP', () => {
    const options = recommendSeats(noOp, new Set(), { count: 2, limit: 500 });
    expect(options.length).to.be.greaterThan(10);
    expect(options.some((o) => o.seatIds.some((id) => id.includes('-OP-')))).to.equal(false);
    expect(recommendSeats(noOp, new Set(), { count: 2, grade: 'OP' })).to.deep.equal([]);
    const [pit] = recommendSeats(layout, new Set(), { count: 2, grade: 'OP' });
    expect(pit).to.include({ grade: 'OP' });
    expect(rowOf(pit!.seatIds[0]!)).to.equal('1F-B-OP');
  });

  it('a grade filter keeps only rows of that grade, priced from the grade mapping', () => {
    const options = recommendSeats(noOp, new Set(), { count: 3, grade: 'R' });
    expect(options).to.have.length(3);
    for (const o of options) expect(o).to.include({ grade: 'R', price: 140_000, total: 420_000 });
    expect(options.map((o) => rowOf(o.seatIds[0]!))).to.deep.equal(['1F-B-4', '1F-B-5', '1F-B-6']);
  });

  it('no orphan even as a later option: a row whose only block strands a seat is skipped while clean rows remain', () => {
    const taken = new Set<string>();
    for (const n of [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14]) taken.add(`1F-B-1-${n}`); // 6–7 free: fits 2 exactly
    for (const n of [1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14]) taken.add(`1F-B-2-${n}`); // 6–8 free: 2 would strand one
    const pairs = recommendSeats(noOp, taken, { count: 2, limit: 500 });
    expect(pairs.slice(0, 3).map((o) => o.seatIds.join(','))).to.deep.equal([
      '1F-B-1-6,1F-B-1-7',
      '1F-B-3-7,1F-B-3-8',
      '1F-B-4-7,1F-B-4-8',
    ]);
    expect(pairs.some((o) => rowOf(o.seatIds[0]!) === '1F-B-2')).to.equal(false);
    const [triple] = recommendSeats(noOp, taken, { count: 3 });
    expect(triple!.seatIds).to.deep.equal(['1F-B-2-6', '1F-B-2-7', '1F-B-2-8']);
  });

  it('with two clean rows and one orphaning row left, it offers the two clean options and not the third', () => {
    // 1F-A-1 1–2 (exact pair), 1F-A-2 1–2 (exact pair), 1F-A-3 1–3 (a pair strands one).
    const taken = allTakenBut(['1F-A-1-1', '1F-A-1-2', '1F-A-2-1', '1F-A-2-2', '1F-A-3-1', '1F-A-3-2', '1F-A-3-3']);
    const options = recommendSeats(noOp, taken, { count: 2 });
    expect(options.map((o) => rowOf(o.seatIds[0]!))).to.deep.equal(['1F-A-1', '1F-A-2']);
  });

  it('an orphaning block is offered when nothing else fits anywhere in the house', () => {
    const taken = allTakenBut(['1F-A-1-1', '1F-A-1-2', '1F-A-1-3']);
    const options = recommendSeats(noOp, taken, { count: 2 });
    expect(options).to.have.length(1);
    expect(options[0]!.seatIds).to.have.length(2);
  });

  it('the seats it offers are adjacent, in one row, and all free', () => {
    const taken = new Set(['1F-B-1-7', '1F-B-2-8', '1F-B-3-6']);
    const options = recommendSeats(noOp, taken, { count: 4, limit: 10 });
    expect(options).to.have.length(10);
    for (const option of options) {
      const parts = option.seatIds.map((id) => parseSeatId(id)!);
      expect(new Set(parts.map((p) => `${p.floor}${p.section}${p.row}`)).size).to.equal(1);
      parts.forEach((p, i) => i > 0 && expect(p.number).to.equal(parts[i - 1]!.number + 1));
      for (const id of option.seatIds) expect(taken.has(id)).to.equal(false);
    }
  });
});
