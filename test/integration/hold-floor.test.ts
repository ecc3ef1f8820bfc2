import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { keys } from '../../app/adapters/dynamodb/keys.js';
import { summaryOf } from '../../app/booking/holds.js';
import { reservationIdFor } from '../../app/booking/service.js';
import { addSlot, bookingService, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { refundsOfHold } from '../support/payments.js';
import { countDynamoCalls } from '../support/queue.js';
import { traceTransactItems } from '../support/transact-items.js';
import { refusal } from '../support/refusal.js';

/**
 * The hold path at the DynamoDB floor (issue 6): on the common path a hold is one TransactWriteItems (the pointer is
 * not read: the transaction checks that the user has no live hold) and a confirm of a hold made on the same instance
 * is one TransactWriteItems (no read of the hold). The less common paths keep every guarantee.
 */
describe('hold and confirm at one round trip each, against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let calls: ReturnType<typeof countDynamoCalls>;
  let day = 40;
  const slot = () => addSlot(fx, MOONLIGHT, fx.clock.now() + day++ * DAY);
  /** The booking calls counted since the last reset (catalog reads, cached in production, are left out). */
  const bookingCalls = () =>
    calls.calls
      .filter((c) => c.startsWith('TransactWriteItems') || /:(HOLD|ACTIVE_HOLD|RES)$/.test(c))
      .map((c) => c.replace('Command', ''));
  const auditActions = async (entityId: string) =>
    (await fx.store.auditTrail(entityId)).map((item) => `${item.action} ${item.from ?? '-'}→${item.to}`).sort();

  before(async () => {
    fx = await createFixture('hold-floor');
    calls = countDynamoCalls(fx);
  });

  describe('hold', () => {
    it('a user with no hold: one TransactWriteItems and no read; the pointer names the new hold', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-first');
      calls.reset();
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-A-2-1', '1F-A-2-2']);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems']);
      expect(await fx.store.activeHoldOf(user.userId)).to.deep.equal(summaryOf(hold));
    });

    it('a previous hold that has expired: still one TransactWriteItems; it is left as it was (nothing to release)', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-expired');
      const old = await fx.booking.hold(user.userId, show.id, ['1F-A-3-1']);
      fx.clock.advance(10 * MINUTE + 1);
      calls.reset();
      const next = await fx.booking.hold(user.userId, show.id, ['1F-A-3-1', '1F-A-3-2']);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems']);
      expect(next.replacedHoldId).to.equal(undefined);
      expect((await fx.store.getHold(old.holdId))?.status).to.equal('HOLDING');
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.holdId])).to.deep.equal([
        ['1F-A-3-1', next.holdId],
        ['1F-A-3-2', next.holdId],
      ]);
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(next.holdId);
    });

    it('replacing a live hold: the refused first try returns the pointer, so the replace needs no read (2 transactions)', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-replace');
      const first = await fx.booking.hold(user.userId, show.id, ['1F-A-4-1', '1F-A-4-2']);
      calls.reset();
      const second = await fx.booking.hold(user.userId, show.id, ['1F-A-4-2', '1F-A-4-3']);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems', 'TransactWriteItems']);
      expect(second.replacedHoldId).to.equal(first.holdId);
      expect((await fx.store.getHold(first.holdId))?.status).to.equal('RELEASED');
      // The seat both holds wanted is re-held in place; the other old seat is freed.
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.holdId])).to.deep.equal([
        ['1F-A-4-2', second.holdId],
        ['1F-A-4-3', second.holdId],
      ]);
      expect(await auditActions(first.holdId)).to.deep.equal([
        'HOLD_CREATED -→HOLDING',
        'HOLD_REPLACED HOLDING→RELEASED',
      ]);
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(second.holdId);
    });

    it('a seat taken by someone else while the user has a live hold → SEATS_UNAVAILABLE; the live hold and its pointer stay, nothing written', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'floor-keep-a'), await signUp(fx, 'floor-keep-b')];
      const mine = await fx.booking.hold(alice.userId, show.id, ['1F-A-5-1']);
      await fx.booking.hold(bob.userId, show.id, ['1F-A-5-2']);
      const before = { seats: await fx.store.seatRecords(show.id), pointer: await fx.store.activeHoldOf(alice.userId) };

      const error = await refusal(fx.booking.hold(alice.userId, show.id, ['1F-A-5-2', '1F-A-5-3']));

      expect([error.code, error.details?.seatIds]).to.deep.equal(['SEATS_UNAVAILABLE', ['1F-A-5-2']]);
      expect(await fx.store.seatRecords(show.id)).to.deep.equal(before.seats);
      expect(await fx.store.activeHoldOf(alice.userId)).to.deep.equal(before.pointer);
      expect((await fx.store.getHold(mine.holdId))?.status).to.equal('HOLDING');
      expect(await auditActions(mine.holdId)).to.deep.equal(['HOLD_CREATED -→HOLDING']);
    });

    it('a DR-recovered previous hold (pointer DR_RECOVERED, grace running) is found by the refused try and replaced', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-dr');
      const old = await fx.booking.hold(user.userId, show.id, ['1F-A-6-1']);
      // What DR recovery leaves behind, in the primary region's own tables (the DR tests drive the whole failover).
      const graceUntil = fx.clock.now() + 30 * MINUTE;
      fx.clock.advance(10 * MINUTE + 1); // the hold's own expiry has passed: only the grace keeps it live
      const recovered = { ...summaryOf(old), status: 'DR_RECOVERED', graceUntil };
      await fx.db.send(
        new PutCommand({ TableName: fx.tables.bookings, Item: { ...keys.activeHold(user.userId), ...recovered } }),
      );
      await fx.store.recoverHold(old, graceUntil, {
        entityId: old.holdId,
        action: 'HOLD_DR_RECOVERED',
        actorUserId: 'system:dr',
        at: fx.clock.now(),
        region: old.region,
        from: 'HOLDING',
        to: 'DR_RECOVERED',
      });
      calls.reset();

      const next = await fx.booking.hold(user.userId, show.id, ['1F-A-6-2']);

      expect(bookingCalls()).to.deep.equal(['TransactWriteItems', 'TransactWriteItems']);
      expect(next.replacedHoldId).to.equal(old.holdId);
      expect((await fx.store.getHold(old.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.holdId])).to.deep.equal([
        ['1F-A-6-2', next.holdId],
      ]);
      expect(await auditActions(old.holdId)).to.include('HOLD_REPLACED DR_RECOVERED→RELEASED');
    });

    it('10 concurrent holds by one user with no hold before: exactly one stays live and the pointer names it', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-burst');
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => fx.booking.hold(user.userId, show.id, [`1F-A-7-${i + 1}`])),
      );
      const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.holdId] : []));
      expect(made.length).to.be.greaterThan(0);
      const live = [];
      for (const holdId of made) if ((await fx.store.getHold(holdId))?.status === 'HOLDING') live.push(holdId);
      expect(live).to.have.length(1);
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(live[0]);
      expect(new Set((await fx.store.seatRecords(show.id)).map((r) => r.holdId))).to.deep.equal(new Set(live));
    });
  });

  describe('after a confirm (the pointer is left naming the paid hold)', () => {
    const pay = async (name: string, seatId: string) => {
      const show = await slot();
      const user = await signUp(fx, name);
      const paid = await fx.booking.hold(user.userId, show.id, [seatId]);
      const reservation = await fx.booking.confirm(user.userId, paid.holdId);
      return { show, user, paid, reservation };
    };
    const paidSeatsIntact = async (showId: string, reservationId: string) => {
      expect((await fx.store.getReservation(reservationId))?.status).to.equal('CONFIRMED');
      expect(
        (await fx.store.seatRecords(showId)).filter((r) => r.status === 'CONFIRMED').map((r) => r.reservationId),
      ).to.deep.equal([reservationId]);
    };

    it('the confirm transaction carries no pointer item; the pointer still names the paid hold', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-left');
      const hold = await fx.booking.hold(user.userId, show.id, ['2F-D-1-1']);
      const sent: string[][] = [];
      const untrace = traceTransactItems(fx, sent);
      try {
        await fx.booking.confirm(user.userId, hold.holdId);
      } finally {
        untrace();
      }
      expect(sent).to.have.length(1);
      expect(sent[0]!.filter((key) => key.endsWith('ACTIVE_HOLD'))).to.deep.equal([]);
      expect(await fx.store.activeHoldOf(user.userId)).to.deep.include({ holdId: hold.holdId, status: 'HOLDING' });
    });

    it("the owner's next hold on the same instance: one TransactWriteItems, nothing replaced, the paid seats untouched", async () => {
      const { show, user, paid, reservation } = await pay('floor-after-pay', '2F-D-2-1');
      calls.reset();
      const next = await fx.booking.hold(user.userId, show.id, ['2F-D-2-2']);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems']);
      expect(next.replacedHoldId).to.equal(undefined);
      expect((await fx.store.getHold(paid.holdId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(next.holdId);
      await paidSeatsIntact(show.id, reservation.reservationId);
      expect(await auditActions(paid.holdId)).to.deep.equal(['HOLD_CREATED -→HOLDING']); // no HOLD_REPLACED
    });

    it("the owner's next hold on another instance: refused first try, re-read, then written; nothing replaced", async () => {
      const { show, user, paid, reservation } = await pay('floor-after-pay-elsewhere', '2F-D-3-1');
      calls.reset();
      const next = await bookingService(fx).hold(user.userId, show.id, ['2F-D-3-2']);
      // The pointer looks live there: the replacing write is refused by the paid hold's status, the retry reads.
      expect(bookingCalls().filter((c) => c === 'TransactWriteItems')).to.have.length(3);
      expect(next.replacedHoldId).to.equal(undefined);
      expect((await fx.store.getHold(paid.holdId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(next.holdId);
      await paidSeatsIntact(show.id, reservation.reservationId);
      expect(await auditActions(paid.holdId)).to.deep.equal(['HOLD_CREATED -→HOLDING']);
    });

    it('a hold paid here no longer named by the pointer is no licence: a newer live hold is still replaced, not overwritten', async () => {
      const { show, user, reservation } = await pay('floor-paid-then-held', '2F-D-4-1');
      const live = await bookingService(fx).hold(user.userId, show.id, ['2F-D-4-2']); // another instance; pointer → live
      calls.reset();
      const next = await fx.booking.hold(user.userId, show.id, ['2F-D-4-3']);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems', 'TransactWriteItems']);
      expect(next.replacedHoldId).to.equal(live.holdId);
      expect((await fx.store.getHold(live.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.status])).to.deep.equal([
        ['2F-D-4-1', 'CONFIRMED'],
        ['2F-D-4-3', 'HOLDING'],
      ]);
      await paidSeatsIntact(show.id, reservation.reservationId);
    });

    for (const spread of ['this instance', 'two instances'] as const) {
      it(`10 concurrent holds by the owner right after a confirm (${spread}): exactly one stays live, the pointer names it, the paid seat stays sold`, async () => {
        const { show, user, reservation } = await pay(
          `floor-pay-burst-${spread === 'this instance' ? 'one' : 'two'}`,
          '2F-D-5-1',
        );
        const other = bookingService(fx);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            (spread === 'two instances' && i % 2 ? other : fx.booking).hold(user.userId, show.id, [`2F-D-6-${i + 1}`]),
          ),
        );
        const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.holdId] : []));
        expect(made.length).to.be.greaterThan(0);
        const live = [];
        for (const holdId of made) if ((await fx.store.getHold(holdId))?.status === 'HOLDING') live.push(holdId);
        expect(live).to.have.length(1);
        expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(live[0]);
        const held = (await fx.store.seatRecords(show.id)).filter((r) => r.status === 'HOLDING');
        expect(new Set(held.map((r) => r.holdId))).to.deep.equal(new Set(live));
        await paidSeatsIntact(show.id, reservation.reservationId);
      });
    }
  });

  describe('confirm', () => {
    const refundedFor = (holdId: string) => refundsOfHold(fx.payments, holdId);

    it('a hold made on this instance: one TransactWriteItems, no read of the hold; reservation, seats and audit as usual', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-pay');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-1', '1F-B-2-2']);
      calls.reset();
      const reservation = await fx.booking.confirm(user.userId, hold.holdId);
      expect(bookingCalls()).to.deep.equal(['TransactWriteItems']);
      expect(await fx.store.getReservation(reservation.reservationId)).to.deep.include({
        status: 'CONFIRMED',
        userId: user.userId,
        total: hold.total,
      });
      expect((await fx.store.seatRecords(show.id)).map((r) => r.status)).to.deep.equal(['CONFIRMED', 'CONFIRMED']);
      // The pointer is left naming the paid hold (one item less in the transaction): see 'after a confirm' below.
      expect((await fx.store.activeHoldOf(user.userId))?.holdId).to.equal(hold.holdId);
      expect(await auditActions(reservation.reservationId)).to.deep.equal(['RESERVATION_CONFIRMED HOLDING→CONFIRMED']);
    });

    it('a hold made on another instance: read first (GetItem), then the transaction', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-other');
      const hold = await bookingService(fx).hold(user.userId, show.id, ['1F-B-2-3']);
      calls.reset();
      await fx.booking.confirm(user.userId, hold.holdId);
      expect(bookingCalls()).to.deep.equal(['GetItem:HOLD', 'TransactWriteItems']);
    });

    it("another user's id for a hold made here → NOT_FOUND like a missing hold, nothing charged or written", async () => {
      const show = await slot();
      const [alice, mallory] = [await signUp(fx, 'floor-own-a'), await signUp(fx, 'floor-own-m')];
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-2-4']);
      const charges: string[] = [];
      const original = fx.payments.charge.bind(fx.payments);
      fx.payments.charge = async (request) => (charges.push(request.idempotencyKey), original(request));
      try {
        expect((await refusal(fx.booking.confirm(mallory.userId, hold.holdId))).code).to.equal('NOT_FOUND');
      } finally {
        fx.payments.charge = original;
      }
      expect(charges).to.deep.equal([]);
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.status, r.userId])).to.deep.equal([
        ['HOLDING', alice.userId],
      ]);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
    });

    it('past its expiry by this instance’s clock: read first → HOLD_EXPIRED, nothing charged or written', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-late');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-5']);
      fx.clock.advance(10 * MINUTE);
      calls.reset();
      const error = await refusal(fx.booking.confirm(user.userId, hold.holdId));
      expect(error.code).to.equal('HOLD_EXPIRED');
      expect(bookingCalls()).to.deep.equal(['GetItem:HOLD']);
      expect(await refundedFor(hold.holdId)).to.deep.equal([]);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
    });

    it('released on another instance, then paid here: the transaction refuses → HOLD_NOT_ACTIVE, the charge is refunded, nothing written', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-rel');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-6']);
      await bookingService(fx).release(user.userId, hold.holdId);

      const error = await refusal(fx.booking.confirm(user.userId, hold.holdId));

      expect([error.code, error.message]).to.deep.equal([
        'HOLD_NOT_ACTIVE',
        'This hold was released (or replaced by a newer hold); the payment was refunded in full.',
      ]);
      // The documented cost of not reading first (docs/architecture.md): charged, then refunded in full.
      expect(await refundedFor(hold.holdId)).to.deep.equal([hold.total]);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
      expect(await fx.store.seatRecords(show.id)).to.deep.equal([]);
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('RELEASED');
    });

    it('released on this instance, then paid: read first → HOLD_NOT_ACTIVE without a charge', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-rel-here');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-7']);
      await fx.booking.release(user.userId, hold.holdId);
      calls.reset();
      expect((await refusal(fx.booking.confirm(user.userId, hold.holdId))).code).to.equal('HOLD_NOT_ACTIVE');
      expect(bookingCalls()).to.deep.equal(['GetItem:HOLD']);
      expect(await refundedFor(hold.holdId)).to.deep.equal([]);
    });

    it('confirms racing on this instance and another: one reservation, every confirm answers it, nothing refunded', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-race');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-8', '1F-B-2-9']);
      const other = bookingService(fx);
      const results = await Promise.all([
        fx.booking.confirm(user.userId, hold.holdId),
        fx.booking.confirm(user.userId, hold.holdId),
        other.confirm(user.userId, hold.holdId),
      ]);
      expect(new Set(results.map((r) => r.reservationId))).to.deep.equal(new Set([reservationIdFor(hold.holdId)]));
      expect((await fx.store.listReservations(user.userId, 10)).items).to.have.length(1);
      expect(await refundedFor(hold.holdId)).to.deep.equal([]);
      expect(await auditActions(reservationIdFor(hold.holdId))).to.deep.equal([
        'RESERVATION_CONFIRMED HOLDING→CONFIRMED',
      ]);
    });

    it('a hold recovered by DR between the check and the write: refused, read again, paid as DR_RECOVERED, out of both indexes, no refund', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-dr-race');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-11', '1F-B-2-12']);
      // Recovery lands after this instance last saw DR inactive: its cached copy still says HOLDING.
      await fx.store.recoverHold(hold, fx.clock.now() + 30 * MINUTE, {
        entityId: hold.holdId,
        action: 'HOLD_DR_RECOVERED',
        actorUserId: 'system:dr',
        at: fx.clock.now(),
        region: hold.region,
        from: 'HOLDING',
        to: 'DR_RECOVERED',
      });
      calls.reset();
      const reservation = await fx.booking.confirm(user.userId, hold.holdId);
      expect(bookingCalls()).to.deep.equal([
        'TransactWriteItems',
        'GetItem:HOLD',
        'GetItem:HOLD',
        'TransactWriteItems',
      ]);
      expect(await auditActions(reservation.reservationId)).to.deep.equal([
        'RESERVATION_CONFIRMED DR_RECOVERED→CONFIRMED',
      ]);
      const { Item } = await fx.db.send(
        new GetCommand({ TableName: fx.tables.bookings, Key: keys.hold(hold.holdId), ConsistentRead: true }),
      );
      expect(Item).to.include({ status: 'CONFIRMED', reservationId: reservation.reservationId });
      expect(Object.keys(Item!).filter((name) => name.startsWith('gsi'))).to.deep.equal([]);
      expect(await fx.store.listRecoveredHolds(user.userId)).to.deep.equal([]);
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.status, r.reservationId])).to.deep.equal([
        ['1F-B-2-11', 'CONFIRMED', reservation.reservationId],
        ['1F-B-2-12', 'CONFIRMED', reservation.reservationId],
      ]);
      expect(await refundedFor(hold.holdId)).to.deep.equal([]);
    });

    it('a confirm and a release end the hold item in its own status: only that status’s index keys are removed', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-index-keys');
      const paid = await fx.booking.hold(user.userId, show.id, ['1F-B-2-13']);
      const itemOf = async (holdId: string) =>
        (
          await fx.db.send(
            new GetCommand({ TableName: fx.tables.bookings, Key: keys.hold(holdId), ConsistentRead: true }),
          )
        ).Item!;
      expect(
        Object.keys(await itemOf(paid.holdId))
          .filter((n) => n.startsWith('gsi'))
          .sort(),
      ).to.deep.equal(['gsi2pk', 'gsi2sk']);
      const holdUpdates: (string | undefined)[][] = [];
      const name = 'hold-updates';
      fx.db.middlewareStack.add(
        (next) => async (args) => {
          type Update = { Key?: { sk?: unknown }; UpdateExpression?: string; ConditionExpression?: string };
          for (const item of (args.input as { TransactItems?: { Update?: Update }[] }).TransactItems ?? []) {
            const sk = item.Update?.Key?.sk;
            if ((sk as { S?: string } | undefined)?.S === 'HOLD' || sk === 'HOLD') {
              holdUpdates.push([item.Update!.UpdateExpression, item.Update!.ConditionExpression]);
            }
          }
          return next(args);
        },
        { step: 'initialize', name },
      );
      try {
        await fx.booking.confirm(user.userId, paid.holdId);
        const released = await fx.booking.hold(user.userId, show.id, ['1F-B-2-14']);
        await fx.booking.release(user.userId, released.holdId);
        expect(holdUpdates).to.deep.equal([
          ['SET #status = :confirmed, reservationId = :r REMOVE gsi2pk, gsi2sk', 'userId = :u AND #status = :from'],
          ['SET #status = :to, releasedAt = :at REMOVE gsi2pk, gsi2sk', 'userId = :u AND #status = :from'],
        ]);
        expect(Object.keys(await itemOf(released.holdId)).filter((n) => n.startsWith('gsi'))).to.deep.equal([]);
      } finally {
        fx.db.middlewareStack.remove(name);
      }
      expect(Object.keys(await itemOf(paid.holdId)).filter((n) => n.startsWith('gsi'))).to.deep.equal([]);
    });

    it('while DR is active a hold made here is read first, so the audit names the status it really had', async () => {
      const show = await slot();
      const user = await signUp(fx, 'floor-dr-pay');
      const hold = await fx.booking.hold(user.userId, show.id, ['1F-B-2-10']);
      fx.dr.state = { active: true, since: fx.clock.now() };
      try {
        expect(await fx.booking.recoverHoldsForDr()).to.be.greaterThan(0);
        calls.reset();
        const reservation = await fx.booking.confirm(user.userId, hold.holdId);
        expect(reservation.status).to.equal('DR_RESERVED');
        expect(bookingCalls()).to.include('GetItem:HOLD');
        expect(await auditActions(reservation.reservationId)).to.deep.equal([
          'RESERVATION_CONFIRMED DR_RECOVERED→DR_RESERVED',
        ]);
      } finally {
        fx.dr.state = { active: false };
      }
    });
  });
});
