import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { reservationIdFor, type BookingService } from '../../app/booking/service.js';
import type { EpochMs } from '../../app/shared/time.js';
import { addSlot, bookingService, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { refusal } from '../support/refusal.js';
import { createFixture, type Fixture } from '../support/fixture.js';

const DR_REGION = 'ap-northeast-1';
const GRACE = 30 * MINUTE;

/** The Tokyo API serving during the failover: same (global) tables, same clock and DR source, its own region. */
const drRegionBooking = (fx: Fixture): BookingService => bookingService(fx, { region: DR_REGION });

describe('DR recovery and grace against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let drBooking: BookingService;
  let nextSince: EpochMs;
  /** Each scenario fails over at a later instant, so holds of earlier scenarios are long expired at its `since`. */
  const newSince = () => (nextSince += 2 * DAY);

  before(async () => {
    fx = await createFixture('dr');
    drBooking = drRegionBooking(fx);
    nextSince = fx.clock.now() + 30 * DAY;
  });
  beforeEach(() => {
    fx.dr.state = { active: false };
  });

  const activate = (since: EpochMs) => {
    fx.dr.state = { active: true, since };
  };
  const seat = async (scheduleId: string, seatId: string) =>
    (await fx.store.seatRecords(scheduleId)).find((r) => r.seatId === seatId);

  describe('a failover with holds created 12 min before, 5 min before and 1 min after `since`', () => {
    let since: EpochMs;
    let slotId: string;
    let alice: { userId: string };
    let bob: { userId: string };
    let eve: { userId: string };
    let expiredHoldId: string;
    let liveHoldId: string;
    let drHoldId: string;

    before(async () => {
      since = newSince();
      slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      [alice, bob, eve] = [await signUp(fx, 'dr-alice'), await signUp(fx, 'dr-bob'), await signUp(fx, 'dr-eve')];
      const carol = await signUp(fx, 'dr-carol');
      fx.dr.state = { active: false };
      fx.clock.set(since - 12 * MINUTE);
      expiredHoldId = (await fx.booking.hold(alice.userId, slotId, ['1F-C-1-1'])).holdId;
      fx.clock.set(since - 5 * MINUTE);
      liveHoldId = (await fx.booking.hold(bob.userId, slotId, ['1F-C-1-2', '1F-C-1-3'])).holdId;
      activate(since);
      fx.clock.set(since + MINUTE);
      drHoldId = (await drBooking.hold(carol.userId, slotId, ['1F-C-1-4'])).holdId;
      fx.clock.set(since + 2 * MINUTE);
    });
    beforeEach(() => activate(since));

    it('recoverHoldsForDr recovers only the hold live at since: hold and seats DR_RECOVERED, graceUntil = since + 30 min', async () => {
      expect(await fx.booking.recoverHoldsForDr()).to.equal(1);

      const recovered = await fx.store.getHold(liveHoldId);
      expect(recovered).to.deep.include({ status: 'DR_RECOVERED', graceUntil: since + GRACE });
      for (const seatId of ['1F-C-1-2', '1F-C-1-3']) {
        expect(await seat(slotId, seatId)).to.deep.include({
          status: 'DR_RECOVERED',
          graceUntil: since + GRACE,
          holdId: liveHoldId,
        });
      }
      const expired = await fx.store.getHold(expiredHoldId);
      expect(expired?.status).to.equal('HOLDING');
      expect(expired?.graceUntil).to.equal(undefined);
      const drHold = await fx.store.getHold(drHoldId);
      expect(drHold).to.deep.include({ status: 'HOLDING', region: DR_REGION });
      expect(drHold?.graceUntil).to.equal(undefined);
      expect((await seat(slotId, '1F-C-1-1'))?.status).to.equal('HOLDING');
      expect((await seat(slotId, '1F-C-1-4'))?.status).to.equal('HOLDING');

      const { Items = [] } = await fx.db.send(
        new QueryCommand({
          TableName: fx.tables.audit,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `AUDIT#${liveHoldId}` },
        }),
      );
      expect(Items.map((i) => [i.action, i.actorUserId, i.from, i.to])).to.deep.include([
        'HOLD_DR_RECOVERED',
        'system:dr',
        'HOLDING',
        'DR_RECOVERED',
      ]);
    });

    it('recovery is idempotent: a second call recovers 0 and leaves graceUntil unchanged', async () => {
      fx.clock.set(since + 3 * MINUTE);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(0);
      expect((await fx.store.getHold(liveHoldId))?.graceUntil).to.equal(since + GRACE);
      expect((await seat(slotId, '1F-C-1-2'))?.graceUntil).to.equal(since + GRACE);
    });

    it('during the grace, past the original 10 minutes: another user gets SEATS_UNAVAILABLE on the recovered seats', async () => {
      fx.clock.set(since + 8 * MINUTE); // bob's own expiry was since + 5 min
      const error = await refusal(drBooking.hold(eve.userId, slotId, ['1F-C-1-2']));
      expect(error.code).to.equal('SEATS_UNAVAILABLE');
      expect(error.details?.seatIds).to.deep.equal(['1F-C-1-2']);
      expect((await seat(slotId, '1F-C-1-2'))?.holdId).to.equal(liveHoldId);
      const map = await fx.booking.seatMap(slotId, eve.userId);
      expect(map.seats.find((s) => s.seatId === '1F-C-1-2')?.state).to.equal('held');
    });

    it('during the grace, the non-recovered (expired at since) hold’s seat is free for another user', async () => {
      fx.clock.set(since + 8 * MINUTE);
      const eves = await drBooking.hold(eve.userId, slotId, ['1F-C-1-1']);
      expect(await seat(slotId, '1F-C-1-1')).to.deep.include({
        holdId: eves.holdId,
        userId: eve.userId,
        region: DR_REGION,
      });
    });

    it('myReservations lists the recovered hold under awaitingPayment with deadline = graceUntil', async () => {
      fx.clock.set(since + 10 * MINUTE);
      const mine = await drBooking.myReservations(bob.userId);
      expect(mine.reservations.items).to.deep.equal([]);
      expect(mine.awaitingPayment.map((h) => [h.holdId, h.status, h.live, h.deadline, h.total])).to.deep.equal([
        [liveHoldId, 'DR_RECOVERED', true, since + GRACE, 2 * 140_000 + 4_000],
      ]);
    });

    it('the owner pays after the original 10 minutes but within the grace → DR_RESERVED, seats DR_RESERVED', async () => {
      fx.clock.set(since + GRACE - 1);
      const reservation = await drBooking.confirm(bob.userId, liveHoldId);

      expect(reservation.status).to.equal('DR_RESERVED');
      expect(reservation.region).to.equal(DR_REGION);
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('DR_RESERVED');
      expect((await fx.store.getHold(liveHoldId))?.status).to.equal('CONFIRMED');
      for (const seatId of ['1F-C-1-2', '1F-C-1-3']) {
        expect(await seat(slotId, seatId)).to.deep.include({
          status: 'DR_RESERVED',
          reservationId: reservation.reservationId,
        });
      }
      const mine = await drBooking.myReservations(bob.userId);
      expect(mine.awaitingPayment).to.deep.equal([]);
      expect(mine.reservations.items.map((r) => [r.reservationId, r.status])).to.deep.equal([
        [reservation.reservationId, 'DR_RESERVED'],
      ]);
    });

    it('the hold created in the DR region after since is not protected: free for others after its own 10 minutes', async () => {
      fx.clock.set(since + 11 * MINUTE + 1); // carol's hold was created at since + 1 min
      const eves = await drBooking.hold(eve.userId, slotId, ['1F-C-1-4']);
      expect((await seat(slotId, '1F-C-1-4'))?.holdId).to.equal(eves.holdId);
    });
  });

  describe('after the grace has run out', () => {
    let since: EpochMs;
    let slotId: string;
    let owner: { userId: string };
    let holdId: string;

    before(async () => {
      since = newSince();
      slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      owner = await signUp(fx, 'late-owner');
      fx.clock.set(since - 2 * MINUTE);
      holdId = (await fx.booking.hold(owner.userId, slotId, ['1F-C-2-1'])).holdId;
      activate(since);
      fx.clock.set(since + MINUTE);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(1);
      fx.clock.set(since + GRACE);
    });
    beforeEach(() => activate(since));

    it('the owner’s confirm at since + 30 min → HOLD_EXPIRED, no reservation, nothing left owing', async () => {
      const error = await refusal(drBooking.confirm(owner.userId, holdId));
      expect(error.code).to.equal('HOLD_EXPIRED');
      expect(await fx.store.getReservation(reservationIdFor(holdId))).to.equal(undefined);
      expect((await drBooking.myReservations(owner.userId)).awaitingPayment).to.deep.equal([]);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(0);
    });

    it('the recovered seats are free for another user', async () => {
      const other = await signUp(fx, 'late-other');
      const others = await drBooking.hold(other.userId, slotId, ['1F-C-2-1']);
      expect(await seat(slotId, '1F-C-2-1')).to.deep.include({ status: 'HOLDING', holdId: others.holdId });
      expect((await refusal(drBooking.confirm(owner.userId, holdId))).code).to.equal('HOLD_EXPIRED');
      expect((await seat(slotId, '1F-C-2-1'))?.holdId).to.equal(others.holdId);
    });
  });

  it('before recoverHoldsForDr runs, a hold live at since is already protected by the condition guard', async () => {
    const since = newSince();
    const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
    const [alice, bob] = [await signUp(fx, 'guard-a'), await signUp(fx, 'guard-b')];
    fx.clock.set(since - 5 * MINUTE);
    const hold = await fx.booking.hold(alice.userId, slotId, ['1F-C-3-1']);
    activate(since);
    fx.clock.set(since + 6 * MINUTE); // past the hold's own 10 minutes

    const error = await refusal(drBooking.hold(bob.userId, slotId, ['1F-C-3-1']));
    expect(error.code).to.equal('SEATS_UNAVAILABLE');
    expect(await seat(slotId, '1F-C-3-1')).to.deep.include({ status: 'HOLDING', holdId: hold.holdId });
    const view = await drBooking.getHold(alice.userId, hold.holdId);
    expect([view.live, view.deadline]).to.deep.equal([true, since + GRACE]);

    const reservation = await drBooking.confirm(alice.userId, hold.holdId);
    expect(reservation.status).to.equal('DR_RESERVED');
    expect((await seat(slotId, '1F-C-3-1'))?.status).to.equal('DR_RESERVED');
  });

  it('the owner of a recovered hold can release it during the grace: seats freed, another user holds them at once', async () => {
    const since = newSince();
    const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
    const [alice, bob] = [await signUp(fx, 'rel-a'), await signUp(fx, 'rel-b')];
    fx.clock.set(since - MINUTE);
    const hold = await fx.booking.hold(alice.userId, slotId, ['1F-C-4-1']);
    activate(since);
    fx.clock.set(since + 15 * MINUTE);
    expect(await fx.booking.recoverHoldsForDr()).to.equal(1);

    await drBooking.release(alice.userId, hold.holdId);

    expect((await fx.store.getHold(hold.holdId))?.status).to.equal('RELEASED');
    expect(await seat(slotId, '1F-C-4-1')).to.equal(undefined);
    const bobs = await drBooking.hold(bob.userId, slotId, ['1F-C-4-1']);
    expect((await seat(slotId, '1F-C-4-1'))?.holdId).to.equal(bobs.holdId);
    expect((await drBooking.myReservations(alice.userId)).awaitingPayment).to.deep.equal([]);
  });

  describe('one live hold per user, also during DR: a new hold replaces a live hold whatever its live status', () => {
    const auditOf = async (holdId: string) => (await fx.store.auditTrail(holdId)).map((i) => [i.action, i.from, i.to]);

    it('a DR_RECOVERED hold awaiting payment is released by its owner’s new hold: seats freed, nothing left to pay', async () => {
      const since = newSince();
      const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      const [alice, bob] = [await signUp(fx, 'one-a'), await signUp(fx, 'one-b')];
      fx.clock.set(since - 5 * MINUTE);
      const recovered = await fx.booking.hold(alice.userId, slotId, ['2F-D-1-1', '2F-D-1-2']);
      activate(since);
      fx.clock.set(since + MINUTE);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(1);
      fx.clock.set(since + 8 * MINUTE); // past its own 10 minutes: live only by the grace

      const next = await drBooking.hold(alice.userId, slotId, ['2F-D-2-1']);

      expect(next.replacedHoldId).to.equal(recovered.holdId);
      expect((await fx.store.getHold(recovered.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(slotId)).map((r) => [r.seatId, r.holdId])).to.deep.equal([
        ['2F-D-2-1', next.holdId],
      ]);
      // Only the new hold awaits payment; the recovered one is gone from the list.
      const awaiting = (await drBooking.myReservations(alice.userId)).awaitingPayment;
      expect(awaiting.map((h) => [h.holdId, h.status])).to.deep.equal([[next.holdId, 'HOLDING']]);
      expect((await fx.store.activeHoldOf(alice.userId))?.holdId).to.equal(next.holdId);
      expect(await auditOf(recovered.holdId)).to.deep.include(['HOLD_REPLACED', 'DR_RECOVERED', 'RELEASED']);
      expect((await refusal(drBooking.confirm(alice.userId, recovered.holdId))).code).to.equal('HOLD_NOT_ACTIVE');
      // The freed seats are anyone's at once.
      await drBooking.hold(bob.userId, slotId, ['2F-D-1-1']);
    });

    it('a hold paid in the primary just before the failover (its pointer left in place) is not recovered, and its owner’s DR hold replaces nothing', async () => {
      const since = newSince();
      const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      const alice = await signUp(fx, 'one-paid');
      fx.clock.set(since - 5 * MINUTE);
      const paid = await fx.booking.hold(alice.userId, slotId, ['2F-D-4-1']);
      const reservation = await fx.booking.confirm(alice.userId, paid.holdId);
      expect((await fx.store.activeHoldOf(alice.userId))?.holdId).to.equal(paid.holdId); // looks DR-protected
      activate(since);
      fx.clock.set(since + MINUTE);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(0);

      const next = await drBooking.hold(alice.userId, slotId, ['2F-D-4-2']);

      expect(next.replacedHoldId).to.equal(undefined);
      expect((await fx.store.getHold(paid.holdId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.seatRecords(slotId)).map((r) => [r.seatId, r.status, r.holdId])).to.deep.equal([
        ['2F-D-4-1', 'CONFIRMED', paid.holdId],
        ['2F-D-4-2', 'HOLDING', next.holdId],
      ]);
      expect((await fx.store.activeHoldOf(alice.userId))?.holdId).to.equal(next.holdId);
      expect(await auditOf(paid.holdId)).to.deep.equal([['HOLD_CREATED', undefined, 'HOLDING']]);
      // One live hold still: a second DR hold replaces the first.
      const third = await drBooking.hold(alice.userId, slotId, ['2F-D-4-3']);
      expect(third.replacedHoldId).to.equal(next.holdId);
    });

    it('a HOLDING hold kept live only by the DR guard (not yet recovered) is released by its owner’s new hold', async () => {
      const since = newSince();
      const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      const alice = await signUp(fx, 'one-guard');
      fx.clock.set(since - 5 * MINUTE);
      const guarded = await fx.booking.hold(alice.userId, slotId, ['2F-D-3-1']);
      activate(since);
      fx.clock.set(since + 8 * MINUTE);

      const next = await drBooking.hold(alice.userId, slotId, ['2F-D-3-2']);

      expect((await fx.store.getHold(guarded.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(slotId)).map((r) => r.holdId)).to.deep.equal([next.holdId]);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(0); // nothing left to recover
      expect(await auditOf(guarded.holdId)).to.deep.include(['HOLD_REPLACED', 'HOLDING', 'RELEASED']);
    });

    it('re-holding a seat of one’s own recovered hold takes it over in place; the recovered hold’s other seat is freed', async () => {
      const since = newSince();
      const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
      const alice = await signUp(fx, 'one-place');
      fx.clock.set(since - 2 * MINUTE);
      const recovered = await fx.booking.hold(alice.userId, slotId, ['2F-D-4-1', '2F-D-4-2']);
      activate(since);
      fx.clock.set(since + MINUTE);
      expect(await fx.booking.recoverHoldsForDr()).to.equal(1);

      const next = await drBooking.hold(alice.userId, slotId, ['2F-D-4-2', '2F-D-4-3']);

      expect((await fx.store.getHold(recovered.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(slotId)).map((r) => [r.seatId, r.holdId, r.status])).to.deep.equal([
        ['2F-D-4-2', next.holdId, 'HOLDING'],
        ['2F-D-4-3', next.holdId, 'HOLDING'],
      ]);
    });
  });

  it('a reservation CONFIRMED before DR stays CONFIRMED; new confirmations while DR is active are DR_RESERVED', async () => {
    const since = newSince();
    const slotId = (await addSlot(fx, MOONLIGHT, since + 20 * DAY)).id;
    const [alice, bob, carol] = [await signUp(fx, 'st-a'), await signUp(fx, 'st-b'), await signUp(fx, 'st-c')];
    fx.clock.set(since - 20 * MINUTE);
    const before = await fx.booking.confirm(
      alice.userId,
      (await fx.booking.hold(alice.userId, slotId, ['1F-C-5-1'])).holdId,
    );
    expect(before.status).to.equal('CONFIRMED');

    activate(since);
    fx.clock.set(since + MINUTE);
    await fx.booking.recoverHoldsForDr();
    const inTokyo = await drBooking.confirm(
      bob.userId,
      (await drBooking.hold(bob.userId, slotId, ['1F-C-5-2'])).holdId,
    );
    // The status rule does not depend on the region (the API keeps the primary from writing at all during DR:
    // test/api/one-writer.test.ts); here the service is called directly.
    const inSeoul = await fx.booking.confirm(
      carol.userId,
      (await fx.booking.hold(carol.userId, slotId, ['1F-C-5-3'])).holdId,
    );

    expect((await fx.store.getReservation(before.reservationId))?.status).to.equal('CONFIRMED');
    expect(await seat(slotId, '1F-C-5-1')).to.deep.include({
      status: 'CONFIRMED',
      reservationId: before.reservationId,
    });
    for (const [reservation, seatId] of [
      [inTokyo, '1F-C-5-2'],
      [inSeoul, '1F-C-5-3'],
    ] as const) {
      expect(reservation.status).to.equal('DR_RESERVED');
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('DR_RESERVED');
      expect((await seat(slotId, seatId))?.status).to.equal('DR_RESERVED');
    }
    // DR_RESERVED reservations can be cancelled like any other.
    const cancelled = await drBooking.cancel(bob.userId, inTokyo.reservationId);
    expect(cancelled.status).to.equal('CANCELLED');
    expect(await seat(slotId, '1F-C-5-2')).to.equal(undefined);
  });
});
