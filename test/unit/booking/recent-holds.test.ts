import { expect } from 'chai';
import type { Hold } from '../../../app/booking/model.js';
import { RecentHolds } from '../../../app/booking/recent-holds.js';

const hold = (holdId: string, expiresAt: number): Hold => ({
  holdId,
  userId: 'u1',
  scheduleId: 's1',
  performanceId: 'p1',
  seats: [
    {
      seatId: '1F-B-7-14',
      label: { ko: '1층 B구역 7열 14번', en: 'Floor 1, Section B, Row 7, Seat 14' },
      grade: 'VIP',
      gradeName: { ko: 'VIP석', en: 'VIP' },
      price: 170_000,
    },
  ],
  createdAt: expiresAt - 600_000,
  expiresAt,
  status: 'HOLDING',
  region: 'ap-northeast-2',
});

describe('RecentHolds (the confirm-without-read hint)', () => {
  it('recalls a remembered hold until its expiry, and not from its expiry on', () => {
    const recent = new RecentHolds();
    recent.remember(hold('h1', 1_000));
    expect(recent.recall('h1', 999)?.holdId).to.equal('h1');
    expect(recent.recall('h1', 1_000)).to.equal(undefined);
    expect(recent.recall('h1', 999), 'an expired entry is dropped, not kept').to.equal(undefined);
  });

  it('a forgotten hold (ended on this instance) is never recalled; an unknown id is not either', () => {
    const recent = new RecentHolds();
    recent.remember(hold('h1', 1_000));
    recent.forget('h1');
    expect(recent.recall('h1', 0)).to.equal(undefined);
    expect(recent.recall('nope', 0)).to.equal(undefined);
  });

  it('keeps at most maxEntries holds: the oldest goes first', () => {
    const recent = new RecentHolds(2);
    for (const id of ['h1', 'h2', 'h3']) recent.remember(hold(id, 1_000));
    expect(['h1', 'h2', 'h3'].map((id) => recent.recall(id, 0)?.holdId)).to.deep.equal([undefined, 'h2', 'h3']);
  });
});
