import { expect } from 'chai';
import { DomainError } from '../../app/shared/errors.js';
import { addSlot, BOY, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { refusal } from '../support/refusal.js';
import { createFixture, type Fixture } from '../support/fixture.js';

describe('BookingService.hold against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('holds');
  });

  it('50 users holding the same 2 seats at once: exactly one wins, the rest get a conflict naming the seats', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 20 * DAY);
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => signUp(fx, `race${i}`)));
    const seats = ['1F-B-5-7', '1F-B-5-8'];
    const results = await Promise.allSettled(users.map((u) => fx.booking.hold(u.userId, slot.id, seats)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).to.have.length(1);
    expect(lost).to.have.length(49);
    for (const { reason } of lost) {
      expect(reason).to.be.instanceOf(DomainError);
      expect(reason.code).to.equal('SEATS_UNAVAILABLE');
      expect(reason.details.seatIds).to.include.members(['1F-B-5-7']);
      expect(reason.message).to.match(/Floor 1, Section B, Row 5, Seat [78]/);
    }
    const records = await fx.store.seatRecords(slot.id);
    expect(
      records
        .filter((r) => r.status === 'HOLDING')
        .map((r) => r.seatId)
        .sort(),
    ).to.deep.equal(seats);
  });

  it('200 concurrent holds over overlapping random seat sets: no seat ends up in two live holds', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 21 * DAY);
    const pool = Array.from({ length: 12 }, (_, i) => `1F-A-1-${i + 1}`);
    const users = await Promise.all(Array.from({ length: 200 }, (_, i) => signUp(fx, `crowd${i}`)));
    const pick = () => {
      const n = 1 + Math.floor(Math.random() * 4);
      return [...pool].sort(() => Math.random() - 0.5).slice(0, n);
    };
    const results = await Promise.allSettled(users.map((u) => fx.booking.hold(u.userId, slot.id, pick())));
    const holds = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as DomainError).code).to.equal('SEATS_UNAVAILABLE');
    }
    const seatOwners = new Map<string, string>();
    for (const hold of holds) {
      for (const seat of hold.seats) {
        expect(seatOwners.has(seat.seatId), `seat ${seat.seatId} in two holds`).to.equal(false);
        seatOwners.set(seat.seatId, hold.holdId);
      }
    }
    expect(holds.length).to.be.greaterThan(0);
    const records = await fx.store.seatRecords(slot.id);
    for (const record of records) expect(seatOwners.get(record.seatId)).to.equal(record.holdId);
    expect(records).to.have.length(seatOwners.size);
  });

  it('a 3-seat hold where 1 seat is taken holds none of the 3', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 22 * DAY);
    const [alice, bob] = [await signUp(fx, 'alice'), await signUp(fx, 'bob')];
    await fx.booking.hold(alice.userId, slot.id, ['1F-B-6-2']);
    const error = await refusal(fx.booking.hold(bob.userId, slot.id, ['1F-B-6-1', '1F-B-6-2', '1F-B-6-3']));
    expect(error.code).to.equal('SEATS_UNAVAILABLE');
    expect(error.details?.seatIds).to.deep.equal(['1F-B-6-2']);
    const records = await fx.store.seatRecords(slot.id);
    expect(records.map((r) => [r.seatId, r.userId])).to.deep.equal([['1F-B-6-2', alice.userId]]);
  });

  describe('bad requests are refused and write nothing', () => {
    let slotId: string;
    let user: { userId: string };
    before(async () => {
      slotId = (await addSlot(fx, BOY, fx.clock.now() + 23 * DAY)).id;
      user = await signUp(fx, 'bad');
    });
    afterEach(async () => {
      expect(await fx.store.seatRecords(slotId)).to.deep.equal([]);
      expect(await fx.store.activeHoldOf(user.userId)).to.equal(undefined);
    });

    it('5 seats → VALIDATION_FAILED (the server enforces the 4-seat limit)', async () => {
      const error = await refusal(
        fx.booking.hold(user.userId, slotId, ['1F-B-9-1', '1F-B-9-2', '1F-B-9-3', '1F-B-9-4', '1F-B-9-5']),
      );
      expect(error.code).to.equal('VALIDATION_FAILED');
      expect(error.message).to.contain('between 1 and 4 seats (got 5)');
    });

    it('an unknown seat id → VALIDATION_FAILED naming it', async () => {
      const error = await refusal(fx.booking.hold(user.userId, slotId, ['1F-B-99-1']));
      expect(error.code).to.equal('VALIDATION_FAILED');
      expect(error.details?.rejected).to.deep.equal([{ seatId: '1F-B-99-1', reason: 'UNKNOWN' }]);
    });

    it('a malformed seat id → VALIDATION_FAILED with the expected format', async () => {
      const error = await refusal(fx.booking.hold(user.userId, slotId, ['B7-14']));
      expect(error.details?.rejected).to.deep.equal([{ seatId: 'B7-14', reason: 'MALFORMED' }]);
      expect(error.message).to.contain('expected e.g. 1F-B-7-14');
    });

    it('an OP seat on a show that does not sell OP → VALIDATION_FAILED (OP_NOT_SOLD)', async () => {
      const error = await refusal(fx.booking.hold(user.userId, slotId, ['1F-B-OP-3']));
      expect(error.details?.rejected).to.deep.equal([{ seatId: '1F-B-OP-3', reason: 'OP_NOT_SOLD' }]);
    });

    it('the same seat twice → VALIDATION_FAILED (DUPLICATE)', async () => {
      const error = await refusal(fx.booking.hold(user.userId, slotId, ['1F-B-9-1', '1F-B-9-1']));
      expect(error.details?.rejected).to.deep.equal([{ seatId: '1F-B-9-1', reason: 'DUPLICATE' }]);
    });

    it('a slot that has already started → NOT_ON_SALE', async () => {
      const past = await addSlot(fx, BOY, fx.clock.now() - MINUTE);
      const error = await refusal(fx.booking.hold(user.userId, past.id, ['1F-B-9-1']));
      expect(error.code).to.equal('NOT_ON_SALE');
    });
  });

  it('an OP seat on a show that sells OP is held at the OP price', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 24 * DAY);
    const user = await signUp(fx, 'op');
    const hold = await fx.booking.hold(user.userId, slot.id, ['1F-B-OP-3']);
    expect(hold.seats).to.deep.equal([
      {
        seatId: '1F-B-OP-3',
        label: { ko: '1층 B구역 OP열 3번', en: 'Floor 1, Section B, OP row, Seat 3' },
        grade: 'OP',
        gradeName: hold.seats[0]!.gradeName,
        price: 170_000,
      },
    ]);
    expect(hold.total).to.equal(172_000);
  });

  it('prices come from the grade mapping: VIP 170,000 + R 140,000 + 2 × 2,000 fee', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 25 * DAY);
    const user = await signUp(fx, 'price');
    const hold = await fx.booking.hold(user.userId, slot.id, ['1F-B-3-5', '1F-B-4-5']);
    expect(hold.seats.map((s) => [s.grade, s.price])).to.deep.equal([
      ['VIP', 170_000],
      ['R', 140_000],
    ]);
    expect([hold.ticketTotal, hold.bookingFee, hold.total]).to.deep.equal([310_000, 4_000, 314_000]);
    expect(hold.expiresAt - hold.createdAt).to.equal(600_000);
  });

  it('a new hold by the same user releases their previous live hold in the same write', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 26 * DAY);
    const user = await signUp(fx, 'switch');
    const first = await fx.booking.hold(user.userId, slot.id, ['1F-C-2-1', '1F-C-2-2']);
    const second = await fx.booking.hold(user.userId, slot.id, ['1F-C-2-2', '1F-C-2-3']);
    expect((await fx.store.getHold(first.holdId))?.status).to.equal('RELEASED');
    const records = await fx.store.seatRecords(slot.id);
    expect(records.map((r) => [r.seatId, r.holdId])).to.deep.equal([
      ['1F-C-2-2', second.holdId],
      ['1F-C-2-3', second.holdId],
    ]);
    expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(second.holdId);
  });

  it('an expired hold (record still present) is holdable by someone else', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 27 * DAY);
    const [alice, bob] = [await signUp(fx, 'exp-a'), await signUp(fx, 'exp-b')];
    await fx.booking.hold(alice.userId, slot.id, ['1F-B-8-8']);
    fx.clock.advance(10 * MINUTE + 1);
    const bobs = await fx.booking.hold(bob.userId, slot.id, ['1F-B-8-8']);
    const [record] = await fx.store.seatRecords(slot.id);
    expect(record?.holdId).to.equal(bobs.holdId);
  });
});
