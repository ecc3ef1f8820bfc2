import { expect } from 'chai';
import type { OnSaleConfig } from '../../../app/catalog/types.js';
import { LotteryCache, lotteryPlaces, newSeed } from '../../../app/queue/lottery.js';
import { armedQueueState, type QueueState } from '../../../app/queue/model.js';
import {
  admissionServesConfirm,
  admissionServesHold,
  etaMs,
  joinsMayYield,
  LINE_FLOOR_SECONDS,
  measuredClaimRate,
  measuredReleaseRate,
  phaseOf,
  pollAfterMs,
  resolvePlace,
} from '../../../app/queue/rules.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const MIN = 60_000;
const SEOUL = 'ap-northeast-2';
const { seed, seedHash } = newSeed();

const onSale: OnSaleConfig = {
  queue: true,
  preQueueOpensAt: T0,
  opensAt: T0 + 30 * MIN,
  admitPerMinute: 600,
  admissionWindowMinutes: 10,
  maxHoldsPerAdmission: 3,
};

const state = (overrides: Partial<QueueState> = {}): QueueState => ({
  ...armedQueueState({ eventId: 'ev', writerRegion: SEOUL, seed, seedHash, committedAt: T0 - MIN }),
  ...overrides,
});

describe('queue/rules', () => {
  describe('joinsMayYield (joins give way to claims and polls only while the line can feed the admissions)', () => {
    const floor = (LINE_FLOOR_SECONDS * onSale.admitPerMinute) / 60;

    it('a line ahead of the serving position shorter than the floor: joins may not yield; at the floor or longer they may', () => {
      expect(LINE_FLOOR_SECONDS).to.be.at.least(10); // the writer's 5 s lead and a tick or two of stale state
      expect(joinsMayYield({ issued: 0, serving: 0 }, onSale.admitPerMinute)).to.equal(false);
      expect(joinsMayYield({ issued: 5_000 + floor - 1, serving: 5_000 }, onSale.admitPerMinute)).to.equal(false);
      expect(joinsMayYield({ issued: 5_000 + floor, serving: 5_000 }, onSale.admitPerMinute)).to.equal(true);
      expect(joinsMayYield({ issued: 50_000, serving: 5_000 }, onSale.admitPerMinute)).to.equal(true);
    });

    it('counts only the places not yet released: a long line that the writer has released down to a few seconds may not yield', () => {
      // 100,000 placed, 99,900 released: a second of the rate left to admit from.
      expect(joinsMayYield({ issued: 100_000, serving: 99_900 }, 6_000)).to.equal(false);
    });

    it('the floor scales with the rate: the same line is long enough at 600/min and too short at 6,000/min', () => {
      const line = { issued: 2_000, serving: 0 };
      expect(joinsMayYield(line, 600)).to.equal(true);
      expect(joinsMayYield(line, 6_000)).to.equal(false);
    });
  });

  describe('phaseOf', () => {
    it('not armed (no seed committed yet): SCHEDULED even after the configured pre-queue time', () => {
      expect(phaseOf(onSale, undefined, T0 + MIN, true)).to.equal('SCHEDULED');
    });

    it('armed: SCHEDULED before the pre-queue time, PRE_QUEUE until opening, then OPEN', () => {
      expect(phaseOf(onSale, state(), T0 - 1, true)).to.equal('SCHEDULED');
      expect(phaseOf(onSale, state(), T0, true)).to.equal('PRE_QUEUE');
      expect(phaseOf(onSale, state(), T0 + 30 * MIN - 1, true)).to.equal('PRE_QUEUE');
      expect(phaseOf(onSale, state(), T0 + 30 * MIN, true)).to.equal('OPEN');
    });

    it('a seed committed late opens the pre-queue only at the commitment, never before it', () => {
      expect(phaseOf(onSale, state({ committedAt: T0 + 5 * MIN }), T0 + 4 * MIN, true)).to.equal('SCHEDULED');
      expect(phaseOf(onSale, state({ committedAt: T0 + 5 * MIN }), T0 + 5 * MIN, true)).to.equal('PRE_QUEUE');
    });

    it('once drawn the queue stays open even if the configured opening moved later', () => {
      expect(phaseOf(onSale, state({ draw: { at: T0, size: 3 } }), T0 - MIN, true)).to.equal('OPEN');
    });

    it('operator PAUSED, or not the writer region: PAUSED after opening; CLOSED wins over everything', () => {
      expect(phaseOf(onSale, state({ control: 'PAUSED' }), T0 + 31 * MIN, true)).to.equal('PAUSED');
      expect(phaseOf(onSale, state(), T0 + 31 * MIN, false)).to.equal('PAUSED');
      expect(phaseOf(onSale, state({ control: 'CLOSED' }), T0 + 31 * MIN, true)).to.equal('CLOSED');
      expect(phaseOf(onSale, state({ control: 'CLOSED' }), T0 + MIN, true)).to.equal('CLOSED');
    });
  });

  describe('resolvePlace (epochs and the lottery)', () => {
    const lottery = new LotteryCache();
    const ref = (epoch: number, number: number, isLottery = false) => ({
      eventId: 'ev',
      userId: 'u',
      epoch,
      number,
      lottery: isLottery,
    });

    it('a first-come number is its place; a lottery ticket waits for the draw, then gets its drawn place', () => {
      expect(resolvePlace(ref(1, 12), state(), lottery)).to.deep.equal({ kind: 'LINE', position: 12 });
      expect(resolvePlace(ref(1, 7, true), state(), lottery)).to.deep.equal({ kind: 'PENDING_DRAW', ticket: 7 });
      const drawn = state({ draw: { at: T0, size: 10 } });
      expect(resolvePlace(ref(1, 7, true), drawn, lottery)).to.deep.equal({
        kind: 'LINE',
        position: lotteryPlaces(seed, 10)[7],
      });
    });

    it('an older epoch’s number is valid up to the end the new writer recorded; above it the entry is LOST', () => {
      const epoch2 = state({ epoch: 2, epochBase: 100, epochEnds: { '1': 100 } });
      expect(resolvePlace(ref(1, 100), epoch2, lottery)).to.deep.equal({ kind: 'LINE', position: 100 });
      expect(resolvePlace(ref(1, 101), epoch2, lottery)).to.deep.equal({ kind: 'LOST' });
      expect(resolvePlace(ref(2, 101), epoch2, lottery)).to.deep.equal({ kind: 'LINE', position: 101 });
      // An epoch with no recorded end (skipped over entirely) has no valid numbers.
      expect(resolvePlace(ref(1, 5), state({ epoch: 3, epochEnds: { '2': 50 } }), lottery)).to.deep.equal({
        kind: 'LOST',
      });
    });
  });

  describe('ETA and polling', () => {
    it('ETA uses the configured rate until a release rate is measured, then the measured one; none unless OPEN', () => {
      expect(etaMs(99, 'OPEN', state(), onSale, T0)).to.equal(10_000);
      const measured = state({
        history: [
          { at: T0 - 60_000, serving: 0, claimed: 0 },
          { at: T0, serving: 300, claimed: 280 },
        ],
      });
      const opened = { ...onSale, opensAt: T0 - 5 * MIN };
      expect(etaMs(99, 'OPEN', measured, opened, T0)).to.equal(20_000);
      expect(etaMs(99, 'PAUSED', measured, opened, T0)).to.equal(undefined);
    });

    it('ETA just after the opening: measured from the opening on, not diluted by the pre-queue’s samples (nothing released yet)', () => {
      // Armed 40 s before the opening, sampled every 5 s; since the opening (10 s ago) 20 positions a second.
      const opened = { ...onSale, opensAt: T0 - 10_000 };
      const history = [-40, -35, -30, -25, -20, -15, -10, -5, 0].map((s) => ({
        at: T0 + s * 1000,
        serving: Math.max(0, s + 10) * 20,
        claimed: Math.max(0, s + 10) * 19,
      }));
      const justOpened = state({ history });
      expect(measuredReleaseRate(justOpened, T0, opened.opensAt) * 1000).to.equal(20);
      expect(etaMs(199, 'OPEN', justOpened, opened, T0)).to.equal(10_000);
      expect(measuredClaimRate(justOpened, T0, opened.opensAt)).to.equal(19 * 60);
      // Over the whole window (the rule before): 200 positions in 40 s, an ETA four times too long.
      expect(measuredReleaseRate(justOpened, T0, 0) * 1000).to.equal(5);
    });

    it('waiters at the back poll rarely (a quarter of the ETA, ≤ 2 min), at the front often (≥ 2 s); the pre-queue polls toward opening', () => {
      expect(pollAfterMs('OPEN', 3_600_000, onSale, T0)).to.equal(120_000);
      expect(pollAfterMs('OPEN', 5_000, onSale, T0)).to.equal(2_000);
      expect(pollAfterMs('OPEN', 8_000, onSale, T0)).to.equal(2_000);
      expect(pollAfterMs('OPEN', 100_000, onSale, T0)).to.equal(25_000);
      expect(pollAfterMs('PRE_QUEUE', undefined, onSale, onSale.opensAt - 9_000)).to.equal(3_000);
      expect(pollAfterMs('PRE_QUEUE', undefined, onSale, onSale.opensAt - 3_600_000)).to.equal(30_000);
    });

    it('the crowd polls at a bounded rate: 100,000 waiters at 6,000 admissions/min ask ≈ 2,500 times/s, not 100,000/2 s', () => {
      const perMinute = { ...onSale, admitPerMinute: 6_000 };
      let perSecond = 0;
      for (let ahead = 0; ahead < 100_000; ahead++)
        perSecond += 1_000 / pollAfterMs('OPEN', ((ahead + 1) * 60_000) / 6_000, perMinute, T0);
      expect(perSecond).to.be.within(2_000, 3_000);
    });
  });

  describe('the hold gate rule (mirrored by the DynamoDB condition)', () => {
    const admitted = { state: 'ADMITTED', tokenId: 't1', holdsUsed: 1, admissionExpiresAt: T0 + 10 * MIN };
    const use = { tokenId: 't1', cap: 3, now: T0, fromOlderEpoch: false };

    it('serves an ADMITTED entry with this token id, holds left and time left', () => {
      expect(admissionServesHold(admitted, use)).to.equal(true);
    });

    it('refuses: another token id, cap reached, window over, not admitted, finished, missing', () => {
      expect(admissionServesHold(admitted, { ...use, tokenId: 't0' })).to.equal(false);
      expect(admissionServesHold({ ...admitted, holdsUsed: 3 }, use)).to.equal(false);
      expect(admissionServesHold(admitted, { ...use, now: T0 + 10 * MIN })).to.equal(false);
      expect(admissionServesHold({ state: 'WAITING' }, use)).to.equal(false);
      expect(admissionServesHold({ ...admitted, state: 'DONE' }, use)).to.equal(false);
      expect(admissionServesHold(undefined, use)).to.equal(false);
    });

    it('a token of an older epoch whose admission never replicated is honoured; a finished or newer one is not', () => {
      const older = { ...use, fromOlderEpoch: true };
      expect(admissionServesHold(undefined, older)).to.equal(true);
      expect(admissionServesHold({ state: 'WAITING' }, older)).to.equal(true);
      expect(admissionServesHold({ ...admitted, state: 'DONE' }, older)).to.equal(false);
      expect(admissionServesHold({ ...admitted, tokenId: 't9' }, older)).to.equal(false);
    });

    it('confirm: only the admitted token, once (DONE refuses a replay)', () => {
      expect(admissionServesConfirm(admitted, use)).to.equal(true);
      expect(admissionServesConfirm({ ...admitted, state: 'DONE' }, use)).to.equal(false);
      expect(admissionServesConfirm(admitted, { ...use, tokenId: 'other' })).to.equal(false);
      expect(admissionServesConfirm(undefined, use)).to.equal(false);
      expect(admissionServesConfirm(undefined, { ...use, fromOlderEpoch: true })).to.equal(true);
    });
  });
});
