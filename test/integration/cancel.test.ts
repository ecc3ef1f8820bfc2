import { expect } from 'chai';
import type { Reservation } from '../../app/booking/model.js';
import { DomainError } from '../../app/shared/errors.js';
import { addDays, kstDateOf, kstInstant, weekdayOf, type EpochMs, type KstDate } from '../../app/shared/time.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { refusal } from '../support/refusal.js';
import { createFixture, type Fixture } from '../support/fixture.js';

/** The first KST date on or after `from` that falls on `weekday` (0 = Sunday). */
function onOrAfter(from: KstDate, weekday: number): KstDate {
  return addDays(from, (weekday - weekdayOf(from) + 7) % 7);
}

// VIP 170,000 + R 140,000 on the musical "Moonlight Garden"; booking fee 2 × 2,000.
const SEATS = ['1F-B-2-1', '1F-B-5-1'];
const PAID_TICKETS = 310_000;
const PAID_FEES = 4_000;

describe('BookingService.cancel and quote against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let realNow: EpochMs;
  before(async () => {
    fx = await createFixture('cancel');
    realNow = fx.clock.now();
  });

  /** Books SEATS on a new slot at `showAt` with the clock at `bookAt`. */
  async function book(
    name: string,
    showAt: EpochMs,
    bookAt: EpochMs,
  ): Promise<{ userId: string; reservation: Reservation }> {
    fx.clock.set(bookAt);
    const slot = await addSlot(fx, MOONLIGHT, showAt);
    const user = await signUp(fx, name);
    const hold = await fx.booking.hold(user.userId, slot.id, SEATS);
    const reservation = await fx.booking.confirm(user.userId, hold.holdId);
    expect(reservation.total).to.equal(PAID_TICKETS + PAID_FEES);
    return { userId: user.userId, reservation };
  }

  describe('cancelling', () => {
    let day = 20;
    const soon = () => realNow + day++ * DAY;

    it('cancel frees the seats at once: another user holds the same seats at the same instant', async () => {
      const { userId, reservation } = await book('free-a', soon(), realNow);
      const bob = await signUp(fx, 'free-b');

      const cancelled = await fx.booking.cancel(userId, reservation.reservationId);
      const bobs = await fx.booking.hold(bob.userId, reservation.scheduleId, SEATS);

      expect(cancelled.status).to.equal('CANCELLED');
      const records = await fx.store.seatRecords(reservation.scheduleId);
      expect(records.map((r) => [r.seatId, r.status, r.holdId, r.userId])).to.deep.equal([
        ['1F-B-2-1', 'HOLDING', bobs.holdId, bob.userId],
        ['1F-B-5-1', 'HOLDING', bobs.holdId, bob.userId],
      ]);
    });

    it('a cancelled reservation stays stored as CANCELLED with the refund recorded (booking day: everything back)', async () => {
      const { userId, reservation } = await book('rec', soon(), realNow);

      await fx.booking.cancel(userId, reservation.reservationId);

      const stored = await fx.store.getReservation(reservation.reservationId);
      expect(stored?.status).to.equal('CANCELLED');
      expect(stored?.cancellation).to.deep.equal({
        cancelledAt: realNow,
        tier: 'free-within-7-days',
        cancellationFee: 0,
        ticketRefund: PAID_TICKETS,
        bookingFeeRefund: PAID_FEES,
        refundTotal: PAID_TICKETS + PAID_FEES,
      });
      expect((await fx.store.listReservations(userId, 50)).items.map((r) => r.status)).to.deep.equal(['CANCELLED']);
      expect(fx.payments.refunds.filter((r) => r.reference === reservation.paymentReference)).to.deep.equal([
        { reference: reservation.paymentReference, amount: PAID_TICKETS + PAID_FEES },
      ]);
      expect(await fx.store.seatRecords(reservation.scheduleId)).to.deep.equal([]);
    });

    it('cancelling twice → ALREADY_CANCELLED and only one refund', async () => {
      const { userId, reservation } = await book('twice', soon(), realNow);
      await fx.booking.cancel(userId, reservation.reservationId);

      const error = await refusal(fx.booking.cancel(userId, reservation.reservationId));

      expect(error.code).to.equal('ALREADY_CANCELLED');
      expect(fx.payments.refunds.filter((r) => r.reference === reservation.paymentReference)).to.have.length(1);
    });

    it('3 concurrent cancels → one succeeds, the others ALREADY_CANCELLED, one refund', async () => {
      const { userId, reservation } = await book('conc', soon(), realNow);

      const results = await Promise.allSettled(
        [1, 2, 3].map(() => fx.booking.cancel(userId, reservation.reservationId)),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as DomainError).code).to.equal('ALREADY_CANCELLED');
      }
      expect(fx.payments.refunds.filter((r) => r.reference === reservation.paymentReference)).to.have.length(1);
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CANCELLED');
    });

    it('cancelling (or quoting) someone else’s reservation → NOT_FOUND; it stays CONFIRMED with its seats', async () => {
      const { reservation } = await book('own-a', soon(), realNow);
      const mallory = await signUp(fx, 'own-m');

      expect((await refusal(fx.booking.cancel(mallory.userId, reservation.reservationId))).code).to.equal('NOT_FOUND');
      expect((await refusal(fx.booking.quote(mallory.userId, reservation.reservationId))).code).to.equal('NOT_FOUND');

      const stored = await fx.store.getReservation(reservation.reservationId);
      expect(stored?.status).to.equal('CONFIRMED');
      expect(stored?.cancellation).to.equal(undefined);
      const records = await fx.store.seatRecords(reservation.scheduleId);
      expect(records.map((r) => [r.status, r.reservationId])).to.deep.equal([
        ['CONFIRMED', reservation.reservationId],
        ['CONFIRMED', reservation.reservationId],
      ]);
    });
  });

  describe('refund quotes for a Wednesday 19:30 musical booked 40 days ahead', () => {
    let show: KstDate;
    let userId: string;
    let reservation: Reservation;
    before(async () => {
      show = onOrAfter(addDays(kstDateOf(realNow), 120), 3);
      ({ userId, reservation } = await book(
        'ladder',
        kstInstant(show, '19:30'),
        kstInstant(addDays(show, -40), '12:00'),
      ));
    });

    async function quoteAt(at: EpochMs) {
      fx.clock.set(at);
      return (await fx.booking.quote(userId, reservation.reservationId)).quote;
    }

    const cases: readonly [label: string, daysBefore: number, time: string, tier: string, fee: number][] = [
      ['D-10: flat 4,000 per ticket (under the 10% cap)', 10, '12:00', 'flat-until-d10', 2 * 4_000],
      ['D-8: 10%', 8, '12:00', 'd9-d7', 17_000 + 14_000],
      ['D-7: 10%', 7, '23:59', 'd9-d7', 17_000 + 14_000],
      ['D-3: 20%', 3, '12:00', 'd6-d3', 34_000 + 28_000],
      ['D-1 16:59 KST: 30%', 1, '16:59', 'd2-d1', 51_000 + 42_000],
    ];
    for (const [label, daysBefore, time, tier, fee] of cases) {
      it(`quote at ${label} → tier ${tier}, fee ${fee.toLocaleString('en')}, booking fee not refunded`, async () => {
        const quote = await quoteAt(kstInstant(addDays(show, -daysBefore), time));
        expect(quote).to.deep.include({
          cancellable: true,
          tier,
          daysBeforeShow: daysBefore,
          cancellationFee: fee,
          ticketRefund: PAID_TICKETS - fee,
          bookingFeeRefund: 0,
          refundTotal: PAID_TICKETS - fee,
          paidTotal: PAID_TICKETS + PAID_FEES,
          deadline: kstInstant(addDays(show, -1), '17:00'),
        });
      });
    }

    it('D-1 17:00 KST → quote not cancellable and cancel refused with CANCELLATION_CLOSED; reservation stays CONFIRMED', async () => {
      const quote = await quoteAt(kstInstant(addDays(show, -1), '17:00'));
      expect(quote).to.deep.equal({
        cancellable: false,
        reason: 'CUTOFF_PASSED',
        deadline: kstInstant(addDays(show, -1), '17:00'),
        daysBeforeShow: 1,
      });
      const error = await refusal(fx.booking.cancel(userId, reservation.reservationId));
      expect(error.code).to.equal('CANCELLATION_CLOSED');
      expect(error.message).to.contain(`${addDays(show, -1)} 17:00 (Tue) KST`);
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
    });

    it('D-0 (show day, morning) → closed: quote not cancellable, cancel CANCELLATION_CLOSED', async () => {
      const quote = await quoteAt(kstInstant(show, '09:00'));
      expect(quote.cancellable).to.equal(false);
      expect(quote.daysBeforeShow).to.equal(0);
      expect((await refusal(fx.booking.cancel(userId, reservation.reservationId))).code).to.equal(
        'CANCELLATION_CLOSED',
      );
    });

    it('a cancel at D-3 records the 20% tier: refund 248,000 of 314,000 paid', async () => {
      fx.clock.set(kstInstant(addDays(show, -3), '10:00'));
      const cancelled = await fx.booking.cancel(userId, reservation.reservationId);
      expect(cancelled.cancellation).to.deep.include({ tier: 'd6-d3', cancellationFee: 62_000, refundTotal: 248_000 });
      const stored = await fx.store.getReservation(reservation.reservationId);
      expect(stored?.status).to.equal('CANCELLED');
      expect(stored?.cancellation).to.deep.include({
        tier: 'd6-d3',
        cancellationFee: 62_000,
        bookingFeeRefund: 0,
        refundTotal: 248_000,
      });
      expect(fx.payments.refunds.filter((r) => r.reference === reservation.paymentReference)).to.deep.equal([
        { reference: reservation.paymentReference, amount: 248_000 },
      ]);
    });
  });

  describe('Saturday cut-off for a Sunday 14:00 show', () => {
    let show: KstDate;
    let userId: string;
    let reservation: Reservation;
    before(async () => {
      show = onOrAfter(addDays(kstDateOf(realNow), 130), 0);
      ({ userId, reservation } = await book(
        'sunday',
        kstInstant(show, '14:00'),
        kstInstant(addDays(show, -30), '12:00'),
      ));
    });

    it('Saturday 10:59 KST → still cancellable at 30%, deadline Saturday 11:00', async () => {
      fx.clock.set(kstInstant(addDays(show, -1), '10:59'));
      const { quote, deadlineText } = await fx.booking.quote(userId, reservation.reservationId);
      expect(quote).to.deep.include({ cancellable: true, tier: 'd2-d1', cancellationFee: 93_000 });
      expect(quote.deadline).to.equal(kstInstant(addDays(show, -1), '11:00'));
      expect(deadlineText.en).to.equal(`${addDays(show, -1)} 11:00 (Sat) KST`);
    });

    it('Saturday 11:00 KST → closed: quote not cancellable, cancel CANCELLATION_CLOSED, still CONFIRMED', async () => {
      fx.clock.set(kstInstant(addDays(show, -1), '11:00'));
      const { quote } = await fx.booking.quote(userId, reservation.reservationId);
      expect(quote.cancellable).to.equal(false);
      const error = await refusal(fx.booking.cancel(userId, reservation.reservationId));
      expect(error.code).to.equal('CANCELLATION_CLOSED');
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
    });
  });

  describe('booking fee and the 7-day free window', () => {
    let show: KstDate;
    let userId: string;
    let reservation: Reservation;
    let bookedOn: KstDate;
    before(async () => {
      show = onOrAfter(addDays(kstDateOf(realNow), 140), 3);
      bookedOn = addDays(show, -20);
      ({ userId, reservation } = await book('fee', kstInstant(show, '19:30'), kstInstant(bookedOn, '10:00')));
    });

    it('on the booking day (23:59 KST) → free, booking fee refunded: 314,000 back', async () => {
      fx.clock.set(kstInstant(bookedOn, '23:59'));
      const { quote } = await fx.booking.quote(userId, reservation.reservationId);
      expect(quote).to.deep.include({
        tier: 'free-within-7-days',
        cancellationFee: 0,
        bookingFeeRefund: PAID_FEES,
        refundTotal: 314_000,
      });
    });

    it('the next day (00:00 KST) → still free, but the booking fee is no longer refunded: 310,000 back', async () => {
      fx.clock.set(kstInstant(addDays(bookedOn, 1), '00:00'));
      const { quote } = await fx.booking.quote(userId, reservation.reservationId);
      expect(quote).to.deep.include({
        tier: 'free-within-7-days',
        cancellationFee: 0,
        bookingFeeRefund: 0,
        refundTotal: 310_000,
      });
    });

    it('booking day 8 (D-13) → the flat fee applies: 8,000', async () => {
      fx.clock.set(kstInstant(addDays(bookedOn, 7), '12:00'));
      const { quote } = await fx.booking.quote(userId, reservation.reservationId);
      expect(quote).to.deep.include({ tier: 'flat-until-d10', cancellationFee: 8_000, refundTotal: 302_000 });
    });

    it('booked at D-5 and cancelled next day (D-4) → 20%, the free window does not apply near the show', async () => {
      const near = onOrAfter(addDays(kstDateOf(realNow), 150), 3);
      const booked = await book('near', kstInstant(near, '19:30'), kstInstant(addDays(near, -5), '12:00'));
      fx.clock.set(kstInstant(addDays(near, -4), '12:00'));
      const cancelled = await fx.booking.cancel(booked.userId, booked.reservation.reservationId);
      expect(cancelled.cancellation).to.deep.include({ tier: 'd6-d3', cancellationFee: 62_000, bookingFeeRefund: 0 });
    });
  });
});
