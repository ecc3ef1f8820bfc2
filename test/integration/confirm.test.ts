import { expect } from 'chai';
import type { ChargeRequest } from '../../app/booking/ports.js';
import { reservationIdFor } from '../../app/booking/service.js';
import { addSlot, bookingService, DAY, MINUTE, MOONLIGHT, signUp, storeWith } from '../support/builders.js';
import { refundsOfHold } from '../support/payments.js';
import { refusal } from '../support/refusal.js';
import { createFixture, type Fixture } from '../support/fixture.js';

describe('BookingService.confirm and release against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let day = 30;
  /** A fresh show slot 30+ days ahead per test, so tests never share seats. */
  const slot = () => addSlot(fx, MOONLIGHT, fx.clock.now() + day++ * DAY);

  before(async () => {
    fx = await createFixture('confirm');
  });

  describe('confirm', () => {
    it('a live 2-seat hold → one CONFIRMED reservation, total = 170,000 + 140,000 + 2 × 2,000, seats CONFIRMED with its id', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'conf-a');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-3-5', '1F-B-4-5']);

      const reservation = await fx.booking.confirm(alice.userId, hold.holdId);

      expect(reservation.status).to.equal('CONFIRMED');
      expect(reservation.reservationId).to.equal(reservationIdFor(hold.holdId));
      expect([reservation.ticketTotal, reservation.bookingFee, reservation.total]).to.deep.equal([
        310_000, 4_000, 314_000,
      ]);
      expect(reservation.showStartsAt).to.equal(show.startsAt);
      const stored = await fx.store.getReservation(reservation.reservationId);
      expect(stored).to.deep.include({
        status: 'CONFIRMED',
        total: 314_000,
        userId: alice.userId,
        holdId: hold.holdId,
      });
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.status, r.reservationId, r.holdId])).to.deep.equal([
        ['1F-B-3-5', 'CONFIRMED', reservation.reservationId, hold.holdId],
        ['1F-B-4-5', 'CONFIRMED', reservation.reservationId, hold.holdId],
      ]);
      const storedHold = await fx.store.getHold(hold.holdId);
      expect(storedHold).to.deep.include({ status: 'CONFIRMED', reservationId: reservation.reservationId });
    });

    it('confirming the same hold twice in a row → the same reservation and exactly one reservation item', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'conf-twice');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-5-1']);

      const first = await fx.booking.confirm(alice.userId, hold.holdId);
      const second = await fx.booking.confirm(alice.userId, hold.holdId);

      expect(second.reservationId).to.equal(first.reservationId);
      expect(second.paymentReference).to.equal(first.paymentReference);
      const page = await fx.store.listReservations(alice.userId, 50);
      expect(page.items.map((r) => r.reservationId)).to.deep.equal([first.reservationId]);
    });

    it('5 concurrent confirms of one hold → all 5 return the same reservation, one reservation item, no refund', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'conf-conc');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-5-2', '1F-B-5-3']);
      const refundsBefore = fx.payments.refunds.length;

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => fx.booking.confirm(alice.userId, hold.holdId)),
      );

      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failures, 'every concurrent confirm should succeed idempotently').to.deep.equal([]);
      const ids = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.reservationId : '')));
      expect([...ids]).to.deep.equal([reservationIdFor(hold.holdId)]);
      const page = await fx.store.listReservations(alice.userId, 50);
      expect(page.items).to.have.length(1);
      expect(page.items[0]?.status).to.equal('CONFIRMED');
      // A refused racer must not refund: every racer charged with the same idempotency key, i.e. the winner's payment.
      expect(fx.payments.refunds.slice(refundsBefore)).to.deep.equal([]);
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => r.status)).to.deep.equal(['CONFIRMED', 'CONFIRMED']);
    });

    it('an expired hold whose seat another user now holds → HOLD_EXPIRED, the other user’s hold and seat untouched', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'exp-a'), await signUp(fx, 'exp-b')];
      const alices = await fx.booking.hold(alice.userId, show.id, ['1F-B-6-1']);
      fx.clock.advance(10 * MINUTE + 1);
      const bobs = await fx.booking.hold(bob.userId, show.id, ['1F-B-6-1']);
      const bobsBefore = await fx.store.getHold(bobs.holdId);

      const error = await refusal(fx.booking.confirm(alice.userId, alices.holdId));

      expect(error.code).to.equal('HOLD_EXPIRED');
      expect(await fx.store.getHold(bobs.holdId)).to.deep.equal(bobsBefore);
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.status, r.holdId, r.userId])).to.deep.equal([
        ['1F-B-6-1', 'HOLDING', bobs.holdId, bob.userId],
      ]);
      expect(await fx.store.getReservation(reservationIdFor(alices.holdId))).to.equal(undefined);
      expect((await fx.store.listReservations(alice.userId, 50)).items).to.deep.equal([]);
    });

    it('expiry boundary: confirm 1 ms before 10 min → CONFIRMED; at exactly 10 min → HOLD_EXPIRED, seat stays HOLDING', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'edge-a'), await signUp(fx, 'edge-b')];
      const alices = await fx.booking.hold(alice.userId, show.id, ['1F-B-12-1']);
      const bobs = await fx.booking.hold(bob.userId, show.id, ['1F-B-12-2']);

      fx.clock.advance(10 * MINUTE - 1);
      expect((await fx.booking.confirm(alice.userId, alices.holdId)).status).to.equal('CONFIRMED');
      fx.clock.advance(1);
      expect((await refusal(fx.booking.confirm(bob.userId, bobs.holdId))).code).to.equal('HOLD_EXPIRED');

      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.status])).to.deep.equal([
        ['1F-B-12-1', 'CONFIRMED'],
        ['1F-B-12-2', 'HOLDING'],
      ]);
      expect((await fx.store.getHold(bobs.holdId))?.status).to.equal('HOLDING');
    });

    it('confirming a released hold → HOLD_NOT_ACTIVE and no reservation is written', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'conf-rel');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-12-5']);
      await fx.booking.release(alice.userId, hold.holdId);

      expect((await refusal(fx.booking.confirm(alice.userId, hold.holdId))).code).to.equal('HOLD_NOT_ACTIVE');

      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
      expect(await fx.store.seatRecords(show.id)).to.deep.equal([]);
    });

    it('confirming someone else’s hold → NOT_FOUND; the hold stays HOLDING and its seats unchanged', async () => {
      const show = await slot();
      const [alice, mallory] = [await signUp(fx, 'own-a'), await signUp(fx, 'own-m')];
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-6-5']);
      const seatsBefore = await fx.store.seatRecords(show.id);

      const error = await refusal(fx.booking.confirm(mallory.userId, hold.holdId));

      expect(error.code).to.equal('NOT_FOUND');
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('HOLDING');
      expect(await fx.store.seatRecords(show.id)).to.deep.equal(seatsBefore);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
    });

    it('a confirm refused after the charge (seat taken while paying) → HOLD_EXPIRED and the charge is refunded in full', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'pay-a'), await signUp(fx, 'pay-b')];
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-7-1']);
      let bobsHoldId = '';
      const original = fx.payments.charge.bind(fx.payments);
      // A slow payment: while it runs, the hold runs out and Bob takes the seat.
      fx.payments.charge = async (request: ChargeRequest) => {
        fx.clock.advance(10 * MINUTE + 1);
        bobsHoldId = (await fx.booking.hold(bob.userId, show.id, ['1F-B-7-1'])).holdId;
        return original(request);
      };
      try {
        const error = await refusal(fx.booking.confirm(alice.userId, hold.holdId));
        expect(error.code).to.equal('HOLD_EXPIRED');
      } finally {
        fx.payments.charge = original;
      }
      const charged = await original({
        idempotencyKey: `hold:${hold.holdId}`,
        amount: 0,
        currency: 'KRW',
        description: '',
      });
      expect(charged.approved).to.equal(true);
      const reference = charged.approved ? charged.reference : '';
      expect(fx.payments.refunds.filter((r) => r.reference === reference)).to.deep.equal([
        { reference, amount: 142_000 },
      ]);
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('HOLDING');
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.holdId, r.status])).to.deep.equal([[bobsHoldId, 'HOLDING']]);
    });
  });

  describe('confirm losing a race: the refusal names what won', () => {
    /** A confirm whose write is preceded by `meanwhile`, after it read the hold and charged: the race, made certain. */
    const confirmWith = (meanwhile: () => Promise<unknown>) =>
      bookingService(fx, {
        store: storeWith(fx.store, {
          confirmHold: async (command) => {
            await meanwhile();
            return fx.store.confirmHold(command);
          },
        }),
      });
    const refundedFor = (holdId: string) => refundsOfHold(fx.payments, holdId);

    it('a release that lands between the confirm’s read and its write → HOLD_NOT_ACTIVE, no reservation, charge refunded', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'race-rel');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-13-1']);
      const racing = confirmWith(() => fx.booking.release(alice.userId, hold.holdId));

      const error = await refusal(racing.confirm(alice.userId, hold.holdId));

      expect([error.code, error.message]).to.deep.equal([
        'HOLD_NOT_ACTIVE',
        'This hold was released (or replaced by a newer hold); nothing was charged.',
      ]);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
      expect(await fx.store.seatRecords(show.id)).to.deep.equal([]);
      expect(await refundedFor(hold.holdId)).to.deep.equal([112_000]); // S seat 110,000 + fee
    });

    it('a replacing hold by the same user that lands first → HOLD_NOT_ACTIVE; the new hold keeps its seats', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'race-repl');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-13-3']);
      let newer = '';
      const racing = confirmWith(async () => {
        newer = (await fx.booking.hold(alice.userId, show.id, ['1F-B-13-4'])).holdId;
      });

      expect((await refusal(racing.confirm(alice.userId, hold.holdId))).code).to.equal('HOLD_NOT_ACTIVE');

      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('RELEASED');
      expect((await fx.store.seatRecords(show.id)).map((r) => [r.seatId, r.holdId])).to.deep.equal([
        ['1F-B-13-4', newer],
      ]);
      expect(await fx.store.getReservation(reservationIdFor(hold.holdId))).to.equal(undefined);
    });

    it('confirm and release raced 20 times: each confirm pays or answers HOLD_NOT_ACTIVE, never HOLD_EXPIRED', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'race-many');
      const outcomes = new Map<string, number>();
      for (let i = 1; i <= 20; i++) {
        const seatId = `1F-B-14-${i > 14 ? i - 14 : i}`;
        const hold = await fx.booking.hold(alice.userId, show.id, [seatId]);
        const [confirmed, released] = await Promise.allSettled([
          fx.booking.confirm(alice.userId, hold.holdId),
          fx.booking.release(alice.userId, hold.holdId),
        ]);
        const outcome =
          confirmed.status === 'fulfilled' ? 'paid' : ((confirmed.reason as { code?: string }).code ?? 'threw');
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        const seat = (await fx.store.seatRecords(show.id)).find((r) => r.seatId === seatId);
        if (outcome === 'paid') {
          expect(released.status === 'rejected' && (released.reason as { code?: string }).code).to.equal(
            'HOLD_NOT_ACTIVE',
          );
          expect(seat?.status).to.equal('CONFIRMED');
          await fx.booking.cancel(alice.userId, reservationIdFor(hold.holdId)); // frees the seat for a later round
        } else {
          expect(released.status).to.equal('fulfilled');
          expect(seat).to.equal(undefined);
        }
      }
      expect([...outcomes.keys()].filter((k) => k !== 'paid' && k !== 'HOLD_NOT_ACTIVE')).to.deep.equal([]);
    });
  });

  describe('release', () => {
    it('releasing a hold after it was confirmed → HOLD_NOT_ACTIVE; seats stay CONFIRMED, reservation stays CONFIRMED', async () => {
      const show = await slot();
      const alice = await signUp(fx, 'rel-conf');
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-8-1', '1F-B-8-2']);
      const reservation = await fx.booking.confirm(alice.userId, hold.holdId);

      const error = await refusal(fx.booking.release(alice.userId, hold.holdId));

      expect(error.code).to.equal('HOLD_NOT_ACTIVE');
      expect(error.details?.reservationId).to.equal(reservation.reservationId);
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.status, r.reservationId])).to.deep.equal([
        ['1F-B-8-1', 'CONFIRMED', reservation.reservationId],
        ['1F-B-8-2', 'CONFIRMED', reservation.reservationId],
      ]);
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('CONFIRMED');
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
    });

    it('releasing a live hold → hold RELEASED, only its own seats deleted, another user’s seats on the slot kept', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'rel-a'), await signUp(fx, 'rel-b')];
      const alices = await fx.booking.hold(alice.userId, show.id, ['1F-B-9-1', '1F-B-9-2']);
      const bobs = await fx.booking.hold(bob.userId, show.id, ['1F-B-9-3']);

      await fx.booking.release(alice.userId, alices.holdId);

      const stored = await fx.store.getHold(alices.holdId);
      expect(stored?.status).to.equal('RELEASED');
      expect(stored?.releasedAt).to.equal(fx.clock.now());
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.holdId])).to.deep.equal([['1F-B-9-3', bobs.holdId]]);
      // Releasing again is a no-op, not an error.
      await fx.booking.release(alice.userId, alices.holdId);
      expect((await fx.store.getHold(alices.holdId))?.status).to.equal('RELEASED');
    });

    it('releasing an expired hold whose seat another user now holds → hold RELEASED, the other user’s seat left alone', async () => {
      const show = await slot();
      const [alice, bob] = [await signUp(fx, 'relx-a'), await signUp(fx, 'relx-b')];
      const alices = await fx.booking.hold(alice.userId, show.id, ['1F-B-10-1', '1F-B-10-2']);
      fx.clock.advance(10 * MINUTE + 1);
      const bobs = await fx.booking.hold(bob.userId, show.id, ['1F-B-10-2']);

      await fx.booking.release(alice.userId, alices.holdId);

      expect((await fx.store.getHold(alices.holdId))?.status).to.equal('RELEASED');
      const records = await fx.store.seatRecords(show.id);
      expect(records.map((r) => [r.seatId, r.holdId, r.userId, r.status])).to.deep.equal([
        ['1F-B-10-2', bobs.holdId, bob.userId, 'HOLDING'],
      ]);
      expect((await fx.store.getHold(bobs.holdId))?.status).to.equal('HOLDING');
    });

    it('releasing someone else’s hold → NOT_FOUND and the hold stays HOLDING', async () => {
      const show = await slot();
      const [alice, mallory] = [await signUp(fx, 'relo-a'), await signUp(fx, 'relo-m')];
      const hold = await fx.booking.hold(alice.userId, show.id, ['1F-B-11-1']);

      const error = await refusal(fx.booking.release(mallory.userId, hold.holdId));

      expect(error.code).to.equal('NOT_FOUND');
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('HOLDING');
      expect((await fx.store.seatRecords(show.id)).map((r) => r.holdId)).to.deep.equal([hold.holdId]);
    });
  });
});
