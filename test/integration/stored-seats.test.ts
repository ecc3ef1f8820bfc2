import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { keys } from '../../app/adapters/dynamodb/keys.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { anotherInstance, createFixture, type Fixture } from '../support/fixture.js';

/**
 * Hold and reservation items store each seat as id, grade code and price; the label and the grade's name are derived
 * on read. Whatever reads a hold or reservation back must see exactly what the hold answered with, and items written
 * before the change (label and grade name stored) must read as they were written.
 */
describe('seats stored without labels, against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let day = 50;
  const slot = () => addSlot(fx, MOONLIGHT, fx.clock.now() + day++ * DAY);
  const item = async (key: Record<string, string>) =>
    (await fx.db.send(new GetCommand({ TableName: fx.tables.bookings, Key: key, ConsistentRead: true }))).Item!;

  before(async () => {
    fx = await createFixture('stored-seats');
  });

  it('hold and reservation items store id, grade and price; every read gives back the seats the hold answered with', async () => {
    const show = await slot();
    const user = await signUp(fx, 'stored-new');
    const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-3-5', '1F-B-4-5', '1F-B-OP-3']);
    expect(hold.seats.map((s) => [s.label.en, s.gradeName.en])).to.deep.equal([
      ['Floor 1, Section B, Row 3, Seat 5', hold.seats[0]!.gradeName.en],
      ['Floor 1, Section B, Row 4, Seat 5', hold.seats[1]!.gradeName.en],
      ['Floor 1, Section B, OP row, Seat 3', hold.seats[2]!.gradeName.en],
    ]);
    expect(hold.seats.every((s) => s.gradeName.ko.length > 0 && s.gradeName.ko !== s.grade)).to.equal(true);
    const stored = hold.seats.map((s) => ({ seatId: s.seatId, grade: s.grade, price: s.price }));
    expect((await item(keys.hold(hold.holdId))).seats).to.deep.equal(stored);

    // Read back on this instance and on one that never saw the hold (no in-process copy).
    const other = anotherInstance(fx).booking;
    expect((await fx.booking.getHold(user.userId, hold.holdId)).seats).to.deep.equal(hold.seats);
    expect((await other.getHold(user.userId, hold.holdId)).seats).to.deep.equal(hold.seats);
    const { awaitingPayment } = await other.myReservations(user.userId);
    expect(awaitingPayment.map((h) => h.seats)).to.deep.equal([hold.seats]);

    const reservation = await other.confirm(user.userId, hold.holdId);
    expect(reservation.seats).to.deep.equal(hold.seats);
    expect((await item(keys.reservation(reservation.reservationId))).seats).to.deep.equal(stored);
    expect((await fx.booking.getReservation(user.userId, reservation.reservationId)).seats).to.deep.equal(hold.seats);
    const listed = await fx.booking.myReservations(user.userId);
    expect(listed.reservations.items.map((r) => r.seats)).to.deep.equal([hold.seats]);
    const cancelled = await fx.booking.cancel(user.userId, reservation.reservationId);
    expect(cancelled.seats).to.deep.equal(hold.seats);
  });

  it('items written before the change (label and grade name stored) read back with what they stored', async () => {
    const show = await slot();
    const user = await signUp(fx, 'stored-old');
    const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-9-1']);
    const reservation = await fx.booking.confirm(user.userId, hold.holdId);
    // As the previous version wrote them; the stored text differs from today's catalog so that it shows which won.
    const oldSeats = [
      {
        seatId: '1F-B-9-1',
        label: { ko: '예전 라벨', en: 'label as stored' },
        grade: hold.seats[0]!.grade,
        gradeName: { ko: '예전 등급', en: 'grade as stored' },
        price: hold.seats[0]!.price,
      },
    ];
    for (const key of [keys.hold(hold.holdId), keys.reservation(reservation.reservationId)]) {
      await fx.db.send(
        new PutCommand({ TableName: fx.tables.bookings, Item: { ...(await item(key)), seats: oldSeats } }),
      );
    }
    const other = anotherInstance(fx).booking;
    expect((await other.getHold(user.userId, hold.holdId)).seats).to.deep.equal(oldSeats);
    expect((await other.getReservation(user.userId, reservation.reservationId)).seats).to.deep.equal(oldSeats);
    expect((await other.myReservations(user.userId)).reservations.items[0]!.seats).to.deep.equal(oldSeats);
  });
});
