import { expect } from 'chai';
import type { Genre } from '../../../app/catalog/types.js';
import {
  DEFAULT_CANCELLATION_POLICY,
  cancellationDeadline,
  describeCancellationPolicy,
  quoteCancellation,
  type CancellableQuote,
  type CancellationQuote,
  type CancellationQuoteInput,
} from '../../../app/booking/cancellation-policy.js';
import { kstInstant, weekdayOf, type EpochMs } from '../../../app/shared/time.js';

const MUSICAL = 140_000;
const PLAY = 50_000;
const CHEAP = 15_000;
const BOOKING_FEE = 2_000;

// Fixture calendar (checked below): 2026-12-19 is a Saturday, 12-20 Sunday, 12-21 Monday, 12-22 Tuesday.
const TUE_SHOW = kstInstant('2026-12-22', '19:30');
const SUN_SHOW = kstInstant('2026-12-20', '15:00');
const MON_SHOW = kstInstant('2026-12-21', '19:30');
const LONG_AGO = kstInstant('2026-11-01', '10:00');

function quote(
  now: EpochMs,
  opts: { bookedAt?: EpochMs; showStartsAt?: EpochMs; genre?: Genre; prices?: readonly number[] } = {},
): CancellationQuote {
  const input: CancellationQuoteInput = {
    bookedAt: opts.bookedAt ?? LONG_AGO,
    showStartsAt: opts.showStartsAt ?? TUE_SHOW,
    now,
    genre: opts.genre ?? 'musical',
    tickets: (opts.prices ?? [MUSICAL]).map((price) => ({ price })),
    bookingFeePerTicket: BOOKING_FEE,
  };
  return quoteCancellation(DEFAULT_CANCELLATION_POLICY, input);
}

function open(q: CancellationQuote): CancellableQuote {
  expect(q.cancellable, 'expected the booking to be cancellable').to.equal(true);
  return q as CancellableQuote;
}

describe('cancellation-policy (unit)', () => {
  it('fixture calendar: 2026-12-19 is Saturday, 12-20 Sunday, 12-21 Monday, 12-22 Tuesday', () => {
    expect(['2026-12-19', '2026-12-20', '2026-12-21', '2026-12-22'].map(weekdayOf)).to.deep.equal([6, 0, 1, 2]);
  });

  describe('DEFAULT_CANCELLATION_POLICY data', () => {
    it('orders the tiers free → flat → 10% → 20% → 30% with their D ranges', () => {
      expect(
        DEFAULT_CANCELLATION_POLICY.rules.map((r) => [r.id, r.kind, r.daysBeforeShow.min, r.daysBeforeShow.max]),
      ).to.deep.equal([
        ['free-within-7-days', 'free', 10, null],
        ['flat-until-d10', 'flat', 10, null],
        ['d9-d7', 'rate', 7, 9],
        ['d6-d3', 'rate', 3, 6],
        ['d2-d1', 'rate', 1, 2],
      ]);
    });

    it('finds a rule for every day from D-60 to D-1 before the cut-off (no gaps in the ladder)', () => {
      for (let d = 60; d >= 1; d -= 1) {
        const now = kstInstant('2026-12-22', '09:00') - d * 24 * 3600 * 1000;
        expect(open(quote(now)).daysBeforeShow).to.equal(d);
      }
    });
  });

  describe('quoteCancellation: booked long ago', () => {
    it('D-10, musical 140,000 → flat 4,000 fee, refund 136,000, booking fee kept', () => {
      expect(quote(kstInstant('2026-12-12', '12:00'))).to.deep.equal({
        cancellable: true,
        tier: 'flat-until-d10',
        daysBeforeShow: 10,
        deadline: kstInstant('2026-12-21', '17:00'),
        feePerTicket: [4_000],
        cancellationFee: 4_000,
        ticketRefund: 136_000,
        bookingFeeRefund: 0,
        refundTotal: 136_000,
        paidTotal: 142_000,
      });
    });

    it('D-10, play 50,000 → flat 2,000 fee, refund 48,000', () => {
      const q = open(quote(kstInstant('2026-12-12', '12:00'), { genre: 'play', prices: [PLAY] }));
      expect([q.tier, q.cancellationFee, q.ticketRefund, q.refundTotal]).to.deep.equal([
        'flat-until-d10',
        2_000,
        48_000,
        48_000,
      ]);
    });

    it('D-10, musical 15,000 → flat fee capped at 10% of the price: 1,500', () => {
      const q = open(quote(kstInstant('2026-12-12', '12:00'), { prices: [CHEAP] }));
      expect([q.feePerTicket, q.ticketRefund]).to.deep.equal([[1_500], 13_500]);
    });

    it('D-10, play 15,000 → 2,000 flat fee capped at 1,500', () => {
      const q = open(quote(kstInstant('2026-12-12', '12:00'), { genre: 'play', prices: [CHEAP] }));
      expect(q.feePerTicket).to.deep.equal([1_500]);
    });

    it('D-10 for concert and classical → 4,000 like musicals', () => {
      for (const genre of ['concert', 'classical'] as const) {
        expect(open(quote(kstInstant('2026-12-12', '12:00'), { genre })).cancellationFee).to.equal(4_000);
      }
    });

    for (const [date, d] of [
      ['2026-12-13', 9],
      ['2026-12-14', 8],
      ['2026-12-15', 7],
    ] as const) {
      it(`D-${d} (${date}), musical 140,000 → 10%: fee 14,000, refund 126,000`, () => {
        const q = open(quote(kstInstant(date, '12:00')));
        expect([q.tier, q.daysBeforeShow, q.cancellationFee, q.refundTotal]).to.deep.equal([
          'd9-d7',
          d,
          14_000,
          126_000,
        ]);
      });
    }

    it('D-8, play 50,000 → 10%: fee 5,000 (percentage tiers ignore the genre)', () => {
      expect(
        open(quote(kstInstant('2026-12-14', '12:00'), { genre: 'play', prices: [PLAY] })).cancellationFee,
      ).to.equal(5_000);
    });

    for (const [date, d] of [
      ['2026-12-16', 6],
      ['2026-12-19', 3],
    ] as const) {
      it(`D-${d} (${date}), musical 140,000 → 20%: fee 28,000, refund 112,000`, () => {
        const q = open(quote(kstInstant(date, '12:00')));
        expect([q.tier, q.daysBeforeShow, q.cancellationFee, q.refundTotal]).to.deep.equal([
          'd6-d3',
          d,
          28_000,
          112_000,
        ]);
      });
    }

    for (const [date, time, d] of [
      ['2026-12-20', '12:00', 2],
      ['2026-12-21', '10:00', 1],
    ] as const) {
      it(`D-${d} (${date} ${time}, before the cut-off), musical 140,000 → 30%: fee 42,000, refund 98,000`, () => {
        const q = open(quote(kstInstant(date, time)));
        expect([q.tier, q.daysBeforeShow, q.cancellationFee, q.refundTotal]).to.deep.equal([
          'd2-d1',
          d,
          42_000,
          98_000,
        ]);
      });
    }

    it('percentage fees round down to the won per ticket: 30% of 12,345 → 3,703', () => {
      expect(open(quote(kstInstant('2026-12-21', '10:00'), { prices: [12_345] })).feePerTicket).to.deep.equal([3_703]);
    });
  });

  describe('quoteCancellation: cut-off (17:00 KST the day before; 11:00 when that day is a Saturday)', () => {
    const monday17 = kstInstant('2026-12-21', '17:00');

    it('Tuesday show, Monday D-1 at 16:59 KST → open at 30%', () => {
      expect(open(quote(kstInstant('2026-12-21', '16:59'))).tier).to.equal('d2-d1');
    });

    it('Tuesday show, Monday D-1 at 16:59:59.999 KST → still open', () => {
      expect(quote(monday17 - 1).cancellable).to.equal(true);
    });

    it('Tuesday show, Monday D-1 at 17:00:00 KST → closed with CUTOFF_PASSED', () => {
      expect(quote(monday17)).to.deep.equal({
        cancellable: false,
        reason: 'CUTOFF_PASSED',
        deadline: monday17,
        daysBeforeShow: 1,
      });
    });

    it('show day D-0, even in the morning → closed with CUTOFF_PASSED', () => {
      expect(quote(kstInstant('2026-12-22', '09:00'))).to.deep.equal({
        cancellable: false,
        reason: 'CUTOFF_PASSED',
        deadline: monday17,
        daysBeforeShow: 0,
      });
    });

    it('after the show → closed with a negative daysBeforeShow', () => {
      const q = quote(kstInstant('2026-12-23', '09:00'));
      expect([q.cancellable, q.daysBeforeShow]).to.deep.equal([false, -1]);
    });

    it('Sunday show: Saturday 10:59 KST → open at 30%', () => {
      const q = open(quote(kstInstant('2026-12-19', '10:59'), { showStartsAt: SUN_SHOW }));
      expect([q.tier, q.daysBeforeShow, q.deadline]).to.deep.equal(['d2-d1', 1, kstInstant('2026-12-19', '11:00')]);
    });

    it('Sunday show: Saturday 11:00 KST → closed (Saturday cut-off is 11:00, not 17:00)', () => {
      expect(quote(kstInstant('2026-12-19', '11:00'), { showStartsAt: SUN_SHOW })).to.deep.equal({
        cancellable: false,
        reason: 'CUTOFF_PASSED',
        deadline: kstInstant('2026-12-19', '11:00'),
        daysBeforeShow: 1,
      });
    });

    it('Monday show: Saturday 15:00 KST (D-2) → open; the Saturday time applies only to the cut-off day', () => {
      expect(open(quote(kstInstant('2026-12-19', '15:00'), { showStartsAt: MON_SHOW })).daysBeforeShow).to.equal(2);
    });

    it('Monday show: Sunday 16:59 KST → open; Sunday 17:00 KST → closed', () => {
      expect(quote(kstInstant('2026-12-20', '16:59'), { showStartsAt: MON_SHOW }).cancellable).to.equal(true);
      expect(quote(kstInstant('2026-12-20', '17:00'), { showStartsAt: MON_SHOW }).cancellable).to.equal(false);
    });

    it('cancellationDeadline: Tuesday → Mon 17:00, Sunday → Sat 11:00, Monday → Sun 17:00 (KST)', () => {
      const deadline = (show: EpochMs) => cancellationDeadline(DEFAULT_CANCELLATION_POLICY, show);
      expect([deadline(TUE_SHOW), deadline(SUN_SHOW), deadline(MON_SHOW)]).to.deep.equal([
        kstInstant('2026-12-21', '17:00'),
        kstInstant('2026-12-19', '11:00'),
        kstInstant('2026-12-20', '17:00'),
      ]);
    });

    it('cancellationDeadline uses the KST show date: a 08:00 KST show (previous day in UTC) → day before at 17:00 KST', () => {
      expect(cancellationDeadline(DEFAULT_CANCELLATION_POLICY, kstInstant('2026-12-22', '08:00'))).to.equal(
        kstInstant('2026-12-21', '17:00'),
      );
    });
  });

  describe('quoteCancellation: free within 7 days of booking while D ≥ 10', () => {
    const bookedAt = kstInstant('2026-12-01', '14:00'); // D-21

    it('booking day 1 (same KST date) → free, ticket and booking fee fully refunded: 142,000', () => {
      expect(quote(kstInstant('2026-12-01', '20:00'), { bookedAt })).to.deep.equal({
        cancellable: true,
        tier: 'free-within-7-days',
        daysBeforeShow: 21,
        deadline: kstInstant('2026-12-21', '17:00'),
        feePerTicket: [0],
        cancellationFee: 0,
        ticketRefund: 140_000,
        bookingFeeRefund: 2_000,
        refundTotal: 142_000,
        paidTotal: 142_000,
      });
    });

    it('booking day 7 at 23:59 KST → free, booking fee kept: refund 140,000', () => {
      const q = open(quote(kstInstant('2026-12-07', '23:59'), { bookedAt }));
      expect([q.tier, q.cancellationFee, q.bookingFeeRefund, q.refundTotal]).to.deep.equal([
        'free-within-7-days',
        0,
        0,
        140_000,
      ]);
    });

    it('booking day 8 at 00:00 KST (D-14) → flat 4,000 fee', () => {
      const q = open(quote(kstInstant('2026-12-08', '00:00'), { bookedAt }));
      expect([q.tier, q.daysBeforeShow, q.cancellationFee, q.refundTotal]).to.deep.equal([
        'flat-until-d10',
        14,
        4_000,
        136_000,
      ]);
    });

    it('booked at D-13, cancelled at D-10 (booking day 4) → free', () => {
      const q = open(quote(kstInstant('2026-12-12', '18:00'), { bookedAt: kstInstant('2026-12-09', '10:00') }));
      expect([q.tier, q.cancellationFee]).to.deep.equal(['free-within-7-days', 0]);
    });

    it('booked 3 days ago, cancelling at D-5 → 20% fee 28,000 (the 7-day window does not override the ladder)', () => {
      const q = open(quote(kstInstant('2026-12-17', '12:00'), { bookedAt: kstInstant('2026-12-14', '12:00') }));
      expect([q.tier, q.daysBeforeShow, q.cancellationFee, q.bookingFeeRefund, q.refundTotal]).to.deep.equal([
        'd6-d3',
        5,
        28_000,
        0,
        112_000,
      ]);
    });

    it('booked and cancelled the same day at D-8 → 10% fee 14,000, but the booking fee is refunded: 128,000', () => {
      const sameDay = kstInstant('2026-12-14', '09:00');
      const q = open(quote(kstInstant('2026-12-14', '21:00'), { bookedAt: sameDay }));
      expect([q.tier, q.cancellationFee, q.bookingFeeRefund, q.refundTotal]).to.deep.equal([
        'd9-d7',
        14_000,
        2_000,
        128_000,
      ]);
    });
  });

  describe('quoteCancellation: booking fee refunded only on the booking KST date', () => {
    it('booked 23:50 KST, cancelled 00:10 KST next day (same UTC date) → booking fee kept: refund 140,000', () => {
      const bookedAt = kstInstant('2026-12-01', '23:50');
      const now = kstInstant('2026-12-02', '00:10');
      // Guard: both instants are on 2026-12-01 in UTC, so a UTC-date implementation would wrongly refund.
      expect([new Date(bookedAt).toISOString().slice(0, 10), new Date(now).toISOString().slice(0, 10)]).to.deep.equal([
        '2026-12-01',
        '2026-12-01',
      ]);
      const q = open(quote(now, { bookedAt }));
      expect([q.tier, q.cancellationFee, q.bookingFeeRefund, q.refundTotal]).to.deep.equal([
        'free-within-7-days',
        0,
        0,
        140_000,
      ]);
    });

    it('booked 00:10 KST, cancelled 08:50 KST same KST date (previous UTC date) → booking fee refunded: 142,000', () => {
      const bookedAt = kstInstant('2026-12-02', '00:10');
      const now = kstInstant('2026-12-02', '08:50');
      expect(new Date(now).toISOString().slice(0, 10)).to.equal('2026-12-01');
      const q = open(quote(now, { bookedAt }));
      expect([q.bookingFeeRefund, q.refundTotal]).to.deep.equal([2_000, 142_000]);
    });
  });

  describe('quoteCancellation: multiple tickets', () => {
    it('2 tickets (140,000 + 15,000) at D-10 → fees [4,000, 1,500], refund 149,500 of 159,000 paid', () => {
      const q = open(quote(kstInstant('2026-12-12', '12:00'), { prices: [MUSICAL, CHEAP] }));
      expect(q).to.deep.include({
        feePerTicket: [4_000, 1_500],
        cancellationFee: 5_500,
        ticketRefund: 149_500,
        bookingFeeRefund: 0,
        refundTotal: 149_500,
        paidTotal: 159_000,
      });
    });

    it('2 play tickets (50,000 each) at D-5 → fees [10,000, 10,000], refund 80,000 of 104,000 paid', () => {
      const q = open(quote(kstInstant('2026-12-17', '12:00'), { genre: 'play', prices: [PLAY, PLAY] }));
      expect([q.feePerTicket, q.cancellationFee, q.refundTotal, q.paidTotal]).to.deep.equal([
        [10_000, 10_000],
        20_000,
        80_000,
        104_000,
      ]);
    });

    it('2 tickets booked and cancelled the same day while free → everything refunded incl. 4,000 booking fees', () => {
      const bookedAt = kstInstant('2026-12-01', '10:00');
      const q = open(quote(kstInstant('2026-12-01', '11:00'), { bookedAt, prices: [MUSICAL, MUSICAL] }));
      expect([q.cancellationFee, q.bookingFeeRefund, q.refundTotal, q.paidTotal]).to.deep.equal([
        0, 4_000, 284_000, 284_000,
      ]);
    });
  });

  describe('quoteCancellation: input validation and purity', () => {
    it('no tickets → RangeError', () => {
      expect(() => quote(kstInstant('2026-12-12', '12:00'), { prices: [] })).to.throw(RangeError);
    });

    it('a non-integer or negative price → RangeError', () => {
      expect(() => quote(kstInstant('2026-12-12', '12:00'), { prices: [1000.5] })).to.throw(RangeError);
      expect(() => quote(kstInstant('2026-12-12', '12:00'), { prices: [-1] })).to.throw(RangeError);
    });

    it('same input → identical quote (deterministic, no hidden clock)', () => {
      const now = kstInstant('2026-12-16', '12:00');
      expect(quote(now, { prices: [MUSICAL, CHEAP] })).to.deep.equal(quote(now, { prices: [MUSICAL, CHEAP] }));
    });
  });

  describe('describeCancellationPolicy', () => {
    it('ko, musical → the full table generated from the policy data', () => {
      expect(describeCancellationPolicy(DEFAULT_CANCELLATION_POLICY, 'ko', 'musical')).to.deep.equal([
        '예매 후 7일 이내: 무료 (관람일 10일 전까지)',
        '예매 8일째부터 관람일 10일 전까지: 티켓 1매당 4,000원 (티켓 금액의 10% 한도)',
        '관람일 9~7일 전: 티켓 금액의 10%',
        '관람일 6~3일 전: 티켓 금액의 20%',
        '관람일 2~1일 전: 티켓 금액의 30%',
        '취소 마감: 관람일 전날 17:00 (토요일은 11:00)',
        '관람 당일: 취소 불가',
        '예매수수료: 예매 당일 취소 시에만 환불',
      ]);
    });

    it('ko, play → flat line says 2,000원', () => {
      expect(describeCancellationPolicy(DEFAULT_CANCELLATION_POLICY, 'ko', 'play')).to.include(
        '예매 8일째부터 관람일 10일 전까지: 티켓 1매당 2,000원 (티켓 금액의 10% 한도)',
      );
    });

    it('en, play → the full table with KRW 2,000 and the 17:00 / 11:00 cut-offs', () => {
      expect(describeCancellationPolicy(DEFAULT_CANCELLATION_POLICY, 'en', 'play')).to.deep.equal([
        'Within 7 days of booking: free (until 10 days before the show)',
        'From booking day 8 until 10 days before the show: KRW 2,000 per ticket (at most 10% of the ticket price)',
        '9–7 days before the show: 10% of the ticket price',
        '6–3 days before the show: 20% of the ticket price',
        '2–1 days before the show: 30% of the ticket price',
        'Cancellation deadline: 17:00 KST the day before the show (11:00 if that day is a Saturday)',
        'On the show day: no cancellation',
        'Booking fee: refunded only when cancelling on the booking date',
      ]);
    });

    it('en, musical → flat line says KRW 4,000', () => {
      const text = describeCancellationPolicy(DEFAULT_CANCELLATION_POLICY, 'en', 'musical').join('\n');
      expect(text).to.contain('KRW 4,000 per ticket').and.contain('17:00').and.contain('11:00');
    });

    it('renders a changed policy from its data (no hard-coded tier strings)', () => {
      const policy = {
        ...DEFAULT_CANCELLATION_POLICY,
        rules: [{ id: 'late', kind: 'rate' as const, percent: 50, daysBeforeShow: { min: 2, max: 2 } }],
        cutoff: { daysBeforeShow: 2, time: '18:00' as const, timeByWeekday: {} },
      };
      expect(describeCancellationPolicy(policy, 'ko', 'musical').slice(0, 2)).to.deep.equal([
        '관람일 2일 전: 티켓 금액의 50%',
        '취소 마감: 관람일 2일 전 18:00',
      ]);
    });
  });
});
