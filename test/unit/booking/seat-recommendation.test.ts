import { expect } from 'chai';
import { recommendSeats } from '../../../app/booking/seat-recommendation.js';
import type { SeatLayout } from '../../../app/catalog/seat-layout.js';
import { seatLayoutOf } from '../../../app/catalog/seat-layout.js';
import { demoPerformances, HANGANG_GRAND_THEATER } from '../../../app/catalog/index.js';

const moonlight = demoPerformances('2026-01-01').find((p) => p.id === 'perf-moonlight-garden')!;
const layout = seatLayoutOf(moonlight, HANGANG_GRAND_THEATER);

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
});
