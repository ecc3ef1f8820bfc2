import { expect } from 'chai';
import { confirmedStatusFor, drProtectionOf, isDrProtected } from '../../../app/booking/dr.js';
import { holdDeadline, isHoldLive } from '../../../app/booking/holds.js';
import type { Hold } from '../../../app/booking/model.js';
import { isSeatTaken, seatViewState, type SeatRecord } from '../../../app/booking/seat-state.js';
import { totalsOf } from '../../../app/booking/pricing.js';
import { reservationIdFor } from '../../../app/booking/service.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T03:00:00Z');
const SEOUL = 'ap-northeast-2';

const record = (overrides: Partial<SeatRecord> = {}): SeatRecord => ({
  seatId: '1F-B-7-14',
  status: 'HOLDING',
  holdId: 'h1',
  userId: 'u1',
  region: SEOUL,
  createdAt: T0,
  expiresAt: T0 + 10 * MIN,
  ...overrides,
});

const hold = (overrides: Partial<Hold> = {}): Hold => ({
  holdId: 'h1',
  userId: 'u1',
  scheduleId: 's1',
  performanceId: 'p1',
  seats: [],
  createdAt: T0,
  expiresAt: T0 + 10 * MIN,
  status: 'HOLDING',
  region: SEOUL,
  ...overrides,
});

describe('seat rules (isSeatTaken / seatViewState)', () => {
  it('a HOLDING seat is taken until its expiry and free from the expiry instant on (TTL not needed)', () => {
    expect(isSeatTaken(record(), T0 + 10 * MIN - 1, undefined)).to.equal(true);
    expect(isSeatTaken(record(), T0 + 10 * MIN, undefined)).to.equal(false);
  });

  it('CONFIRMED and DR_RESERVED seats are always taken; DR_RECOVERED until its grace ends', () => {
    expect(isSeatTaken(record({ status: 'CONFIRMED' }), T0 + 99 * MIN, undefined)).to.equal(true);
    expect(isSeatTaken(record({ status: 'DR_RESERVED' }), T0 + 99 * MIN, undefined)).to.equal(true);
    const recovered = record({ status: 'DR_RECOVERED', graceUntil: T0 + 35 * MIN });
    expect(isSeatTaken(recovered, T0 + 35 * MIN - 1, undefined)).to.equal(true);
    expect(isSeatTaken(recovered, T0 + 35 * MIN, undefined)).to.equal(false);
  });

  it('during DR a primary-region hold live at `since` stays taken past its own expiry until since + grace', () => {
    const protection = drProtectionOf({ active: true, since: T0 + 5 * MIN }, 30 * MIN, SEOUL);
    expect(isSeatTaken(record(), T0 + 20 * MIN, protection)).to.equal(true);
    expect(isSeatTaken(record(), T0 + 35 * MIN, protection)).to.equal(false);
    // created after since, or already expired at since, or made in another region: not protected
    expect(
      isSeatTaken(record({ createdAt: T0 + 6 * MIN, expiresAt: T0 + 16 * MIN }), T0 + 20 * MIN, protection),
    ).to.equal(false);
    expect(isSeatTaken(record({ expiresAt: T0 + 5 * MIN }), T0 + 6 * MIN, protection)).to.equal(false);
    expect(isSeatTaken(record({ region: 'ap-northeast-1' }), T0 + 20 * MIN, protection)).to.equal(false);
  });

  it('the viewer sees their own held seat as mine, others as held, sold as sold', () => {
    expect(seatViewState(record(), 'u1', T0, undefined)).to.equal('mine');
    expect(seatViewState(record(), 'u2', T0, undefined)).to.equal('held');
    expect(seatViewState(record(), undefined, T0, undefined)).to.equal('held');
    expect(seatViewState(record({ status: 'CONFIRMED' }), 'u1', T0, undefined)).to.equal('sold');
    expect(seatViewState(undefined, 'u1', T0, undefined)).to.equal('available');
  });
});

describe('hold rules (isHoldLive / holdDeadline)', () => {
  it('a HOLDING hold is live until expiresAt and its deadline is expiresAt', () => {
    expect(isHoldLive(hold(), T0 + 10 * MIN - 1, undefined)).to.equal(true);
    expect(isHoldLive(hold(), T0 + 10 * MIN, undefined)).to.equal(false);
    expect(holdDeadline(hold(), T0, undefined)).to.equal(T0 + 10 * MIN);
  });

  it('a DR_RECOVERED hold is live until graceUntil, which is its deadline', () => {
    const recovered = hold({ status: 'DR_RECOVERED', graceUntil: T0 + 40 * MIN });
    expect(isHoldLive(recovered, T0 + 39 * MIN, undefined)).to.equal(true);
    expect(isHoldLive(recovered, T0 + 40 * MIN, undefined)).to.equal(false);
    expect(holdDeadline(recovered, T0, undefined)).to.equal(T0 + 40 * MIN);
  });

  it('RELEASED and CONFIRMED holds are never live', () => {
    expect(isHoldLive(hold({ status: 'RELEASED' }), T0, undefined)).to.equal(false);
    expect(isHoldLive(hold({ status: 'CONFIRMED' }), T0, undefined)).to.equal(false);
  });

  it('before recovery runs, a protected HOLDING hold past expiry shows the grace deadline', () => {
    const protection = drProtectionOf({ active: true, since: T0 + 2 * MIN }, 30 * MIN, SEOUL)!;
    expect(isDrProtected(hold(), protection, T0 + 15 * MIN)).to.equal(true);
    expect(holdDeadline(hold(), T0 + 15 * MIN, protection)).to.equal(T0 + 32 * MIN);
  });
});

describe('DR rules', () => {
  it('no protection while DR is inactive; grace is measured from the persisted since, not from now', () => {
    expect(drProtectionOf({ active: false }, 30 * MIN, SEOUL)).to.equal(undefined);
    expect(drProtectionOf({ active: true, since: T0 }, 30 * MIN, SEOUL)).to.deep.equal({
      since: T0,
      graceUntil: T0 + 30 * MIN,
      primaryRegion: SEOUL,
    });
  });

  it('confirmations while DR is active are DR_RESERVED, otherwise CONFIRMED', () => {
    expect(confirmedStatusFor({ active: true, since: T0 })).to.equal('DR_RESERVED');
    expect(confirmedStatusFor({ active: false })).to.equal('CONFIRMED');
  });
});

describe('totals and reservation numbers', () => {
  it('total = ticket prices + 2,000 KRW per ticket', () => {
    expect(totalsOf([{ price: 170_000 }, { price: 80_000 }], 2_000)).to.deep.equal({
      ticketTotal: 250_000,
      bookingFee: 4_000,
      total: 254_000,
    });
  });

  it('the reservation number is derived from the hold id: same hold, same number; different holds differ', () => {
    expect(reservationIdFor('hold-a')).to.equal(reservationIdFor('hold-a'));
    expect(reservationIdFor('hold-a')).not.to.equal(reservationIdFor('hold-b'));
    expect(reservationIdFor('hold-a')).to.match(/^MT[A-Z0-9]{10}$/);
  });
});
