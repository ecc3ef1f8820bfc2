import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { keys } from '../../app/adapters/dynamodb/keys.js';
import { summaryOf } from '../../app/booking/holds.js';
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
    expect([first.replacedHoldId, second.replacedHoldId]).to.deep.equal([undefined, first.holdId]);
    expect((await fx.store.getHold(first.holdId))?.status).to.equal('RELEASED');
    const records = await fx.store.seatRecords(slot.id);
    expect(records.map((r) => [r.seatId, r.holdId])).to.deep.equal([
      ['1F-C-2-2', second.holdId],
      ['1F-C-2-3', second.holdId],
    ]);
    expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(second.holdId);
  });

  describe('the active-hold pointer (one read tells a new hold what it replaces)', () => {
    const writePointer = (item: Record<string, unknown>) =>
      fx.db.send(
        new PutCommand({ TableName: fx.tables.bookings, Item: { ...keys.activeHold(item.userId as string), ...item } }),
      );

    it('a hold on another show replaces the previous one there: old seats freed, pointer names the new hold', async () => {
      const [a, b] = [
        await addSlot(fx, MOONLIGHT, fx.clock.now() + 28 * DAY),
        await addSlot(fx, BOY, fx.clock.now() + 29 * DAY),
      ];
      const user = await signUp(fx, 'cross');
      const first = await fx.booking.hold(user.userId, a.id, ['1F-C-3-1', '1F-C-3-2']);
      const second = await fx.booking.hold(user.userId, b.id, ['1F-C-3-1']);
      expect(await fx.store.seatRecords(a.id)).to.deep.equal([]);
      expect((await fx.store.seatRecords(b.id)).map((r) => r.holdId)).to.deep.equal([second.holdId]);
      expect((await fx.store.getHold(first.holdId))?.status).to.equal('RELEASED');
      expect(await fx.store.activeHoldOf(user.userId)).to.deep.include({
        holdId: second.holdId,
        scheduleId: b.id,
        seatIds: ['1F-C-3-1'],
        status: 'HOLDING',
        expiresAt: second.expiresAt,
      });
    });

    it('after a confirm the pointer names the paid hold, after a release it is gone; either way the next hold replaces nothing', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
      const user = await signUp(fx, 'gone');
      const paid = await fx.booking.hold(user.userId, slot.id, ['1F-C-4-1']);
      const reservation = await fx.booking.confirm(user.userId, paid.holdId);
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(paid.holdId);
      const dropped = await fx.booking.hold(user.userId, slot.id, ['1F-C-4-2']);
      await fx.booking.release(user.userId, dropped.holdId);
      expect(await fx.store.activeHoldOf(user.userId)).to.equal(undefined);
      await fx.booking.hold(user.userId, slot.id, ['1F-C-4-3']);
      const records = await fx.store.seatRecords(slot.id);
      expect(records.map((r) => [r.seatId, r.status])).to.deep.equal([
        ['1F-C-4-1', 'CONFIRMED'],
        ['1F-C-4-3', 'HOLDING'],
      ]);
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
    });

    it('a stale pointer (says HOLDING for a hold since paid) costs a retry, never a wrong release', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 31 * DAY);
      const user = await signUp(fx, 'stale');
      const paid = await fx.booking.hold(user.userId, slot.id, ['1F-C-5-1']);
      await fx.booking.confirm(user.userId, paid.holdId);
      await writePointer({ ...summaryOf(paid), status: 'HOLDING' });

      const next = await fx.booking.hold(user.userId, slot.id, ['1F-C-5-2']);

      expect((await fx.store.getHold(paid.holdId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.seatRecords(slot.id)).map((r) => [r.seatId, r.status, r.holdId])).to.deep.equal([
        ['1F-C-5-1', 'CONFIRMED', paid.holdId],
        ['1F-C-5-2', 'HOLDING', next.holdId],
      ]);
    });

    it('a pointer from before pointers carried a summary (hold id only) is still followed', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 32 * DAY);
      const user = await signUp(fx, 'legacy');
      const old = await fx.booking.hold(user.userId, slot.id, ['1F-C-6-1']);
      await writePointer({ userId: user.userId, holdId: old.holdId });
      const next = await fx.booking.hold(user.userId, slot.id, ['1F-C-6-2']);
      expect((await fx.store.getHold(old.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(slot.id)).map((r) => r.holdId)).to.deep.equal([next.holdId]);
    });

    it('confirming a hold the pointer no longer names still pays, and leaves the pointer to the hold it names', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 33 * DAY);
      const user = await signUp(fx, 'moved');
      const hold = await fx.booking.hold(user.userId, slot.id, ['1F-C-7-1']);
      const elsewhere = { ...summaryOf(hold), holdId: 'some-newer-hold' };
      await writePointer(elsewhere);

      const reservation = await fx.booking.confirm(user.userId, hold.holdId);

      expect(reservation.status).to.equal('CONFIRMED');
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal('some-newer-hold');
    });

    it('10 concurrent holds by one user on different seats: exactly one stays live and the pointer names it', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 34 * DAY);
      const user = await signUp(fx, 'burst');
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => fx.booking.hold(user.userId, slot.id, [`1F-C-8-${i + 1}`])),
      );
      const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.holdId] : []));
      const live = [];
      for (const holdId of made) if ((await fx.store.getHold(holdId))?.status === 'HOLDING') live.push(holdId);
      expect(live).to.have.length(1);
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(live[0]);
      expect(new Set((await fx.store.seatRecords(slot.id)).map((r) => r.holdId))).to.deep.equal(new Set(live));
    });
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

  it('my reservations lists the live hold awaiting payment until it is paid, released or expired', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 31 * DAY);
    const user = await signUp(fx, 'awaiting');
    const awaiting = async () =>
      (await fx.booking.myReservations(user.userId)).awaitingPayment.map((h) => [h.holdId, h.status, h.total]);
    expect(await awaiting()).to.deep.equal([]);

    const paid = await fx.booking.hold(user.userId, slot.id, ['1F-C-5-1', '1F-C-5-2']);
    expect(await awaiting()).to.deep.equal([[paid.holdId, 'HOLDING', paid.total]]);
    const reservation = await fx.booking.confirm(user.userId, paid.holdId);
    const mine = await fx.booking.myReservations(user.userId);
    expect(mine.awaitingPayment).to.deep.equal([]);
    expect(mine.reservations.items.map((r) => r.reservationId)).to.deep.equal([reservation.reservationId]);

    const released = await fx.booking.hold(user.userId, slot.id, ['1F-C-5-3']);
    expect(await awaiting()).to.deep.equal([[released.holdId, 'HOLDING', released.total]]);
    await fx.booking.release(user.userId, released.holdId);
    expect(await awaiting()).to.deep.equal([]);

    const expired = await fx.booking.hold(user.userId, slot.id, ['1F-C-5-4']);
    expect((await awaiting()).map(([id]) => id)).to.deep.equal([expired.holdId]);
    fx.clock.advance(11 * MINUTE);
    expect(await awaiting()).to.deep.equal([]);
  });
});
