import { expect } from 'chai';
import { armedQueueState, type QueueState, type ReleaseBucket } from '../../../app/queue/model.js';
import {
  admissionMinuteAt,
  applyPlan,
  bucketMsFor,
  budgetRetryAfterSeconds,
  claimFits,
  minuteClaimsOf,
  perMinuteCap,
  planTick,
  rampFactor,
  showRatioOf,
  takeoverState,
  withClaim,
} from '../../../app/queue/release.js';
import { seededRandom } from '../../support/statistics.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const MIN = 60_000;

function openState(overrides: Partial<QueueState> = {}): QueueState {
  return {
    ...armedQueueState({
      eventId: 'ev',
      writerRegion: 'ap-northeast-2',
      seed: 's',
      seedHash: 'h',
      committedAt: T0 - MIN,
    }),
    draw: { at: T0, size: 0 },
    tickAt: T0,
    ...overrides,
  };
}

interface SimOptions {
  readonly rate: number;
  readonly windowMs?: number;
  readonly waiters: number;
  readonly showRatio: number;
  /** Claim delay after release is uniform in [minDelay, maxDelay] ms (poll interval plus round trip). */
  readonly maxDelayMs: number;
  readonly minutes: number;
  readonly seed: number;
  /** [from, to) in ms after T0 during which the operator has paused the queue. */
  readonly pause?: readonly [number, number];
  /**
   * [from, to) in ms after T0 during which no claim reaches the store (held up in front of it, as behind a stampede's
   * joins); the claims attempted then arrive over the 2 s after `to`.
   */
  readonly claimsHeld?: readonly [number, number];
  /** The writer's tick interval (1 s unless it lags). */
  readonly tickEveryMs?: number;
}

interface SimResult {
  readonly claimTimes: number[];
  readonly releasedAt: Map<number, number>;
  readonly state: QueueState;
  readonly neverClaimedInDropped: number;
}

/**
 * Drives the writer's plan once a second and simulated waiters between ticks, mirroring what the store's conditions
 * enforce: a claim succeeds only for a released, unexpired position while `claimed < allowed`; a claim refused for
 * budget retries 1–2 s later, as the waiting-room page does.
 */
function simulate(options: SimOptions): SimResult {
  const random = seededRandom(options.seed);
  const windowMs = options.windowMs ?? 10 * MIN;
  let state = openState({ issued: options.waiters });
  const attempts = new Map<number, number[]>(); // time → positions attempting then
  const releasedAt = new Map<number, number>();
  const claimed = new Set<number>();
  const claimTimes: number[] = [];
  const schedule = (at: number, position: number) => {
    const slot = Math.ceil(at / 100) * 100;
    attempts.set(slot, [...(attempts.get(slot) ?? []), position]);
  };
  for (let t = 0; t <= options.minutes * MIN; t += 100) {
    const now = T0 + t;
    if (t % (options.tickEveryMs ?? 1_000) === 0) {
      const paused = options.pause !== undefined && t >= options.pause[0] && t < options.pause[1];
      const plan = planTick({
        state,
        issued: options.waiters,
        now,
        releasing: !paused,
        admitPerMinute: options.rate,
        windowMs,
        opensAt: T0,
      });
      for (let p = state.serving + 1; p <= plan.serving; p++) {
        releasedAt.set(p, now);
        if (random() < options.showRatio) schedule(t + random() * options.maxDelayMs, p);
      }
      state = applyPlan(state, plan);
    }
    for (const position of attempts.get(t) ?? []) {
      const held = options.claimsHeld;
      if (held && t >= held[0] && t < held[1]) {
        schedule(held[1] + random() * 2_000, position);
        continue;
      }
      const bucket = state.buckets.find((b) => b.from <= position && position <= b.to);
      if (!bucket || bucket.expiresAt <= now) continue;
      if (!claimFits(state, { opensAt: T0, admitPerMinute: options.rate }, now)) {
        schedule(t + 1_000 + random() * 1_000, position);
        continue;
      }
      claimed.add(position);
      claimTimes.push(t);
      state = withClaim(state, bucket.at, admissionMinuteAt(T0, now));
    }
    attempts.delete(t);
  }
  const stillLive = new Set(
    state.buckets.flatMap((b) => Array.from({ length: b.to - b.from + 1 }, (_, i) => b.from + i)),
  );
  let neverClaimedInDropped = 0;
  for (const position of releasedAt.keys())
    if (!stillLive.has(position) && !claimed.has(position)) neverClaimedInDropped++;
  return { claimTimes, releasedAt, state, neverClaimedInDropped };
}

/** Claims in each 60 s window [start, start + 60 s) for starts from `from` to the end, every 10 s. */
function perMinute(claimTimes: readonly number[], from: number, to: number): number[] {
  const counts: number[] = [];
  for (let start = from; start + MIN <= to; start += 10_000) {
    counts.push(claimTimes.filter((t) => t >= start && t < start + MIN).length);
  }
  return counts;
}

describe('queue/release (the admitter: rate counted at claim, no-shows compensated)', () => {
  it('everyone shows up: after the first minute every 60 s window admits the configured rate ±1%', () => {
    const run = simulate({ rate: 600, waiters: 20_000, showRatio: 1, maxDelayMs: 3_000, minutes: 6, seed: 1 });
    for (const count of perMinute(run.claimTimes, MIN, 6 * MIN)) expect(count).to.be.within(594, 606);
  });

  it('30% no-shows: the writer measures the show-up ratio and releases more, still ±1% of the rate per 60 s after 2 minutes', () => {
    const run = simulate({ rate: 600, waiters: 30_000, showRatio: 0.7, maxDelayMs: 4_000, minutes: 8, seed: 2 });
    for (const count of perMinute(run.claimTimes, 2 * MIN, 8 * MIN)) expect(count).to.be.within(594, 606);
    const released = run.state.serving;
    expect(released / run.claimTimes.length).to.be.within(1.3, 1.55);
  });

  it('half the released never claim: still ±1% of the rate per 60 s once measured', () => {
    const run = simulate({ rate: 1_200, waiters: 60_000, showRatio: 0.5, maxDelayMs: 5_000, minutes: 8, seed: 3 });
    for (const count of perMinute(run.claimTimes, 2 * MIN, 8 * MIN)) expect(count).to.be.within(1_188, 1_212);
  });

  it('the rate is never overshot: claims up to any instant never exceed rate × open time', () => {
    const run = simulate({ rate: 600, waiters: 20_000, showRatio: 0.6, maxDelayMs: 8_000, minutes: 5, seed: 4 });
    run.claimTimes.forEach((t, i) =>
      expect(i + 1, `claim #${i + 1} at ${t} ms`).to.be.at.most(Math.floor((600 * t) / MIN) + 1),
    );
  });

  it('claims held up for a minute then arriving at once: no minute counted from the opening admits more than the rate, and the next minutes are ±1%', () => {
    const run = simulate({
      rate: 600,
      waiters: 20_000,
      showRatio: 1,
      maxDelayMs: 3_000,
      minutes: 6,
      seed: 7,
      claimsHeld: [MIN, 2 * MIN],
    });
    const minutes = Array.from({ length: 6 }, (_, m) =>
      run.claimTimes.filter((t) => t >= m * MIN && t < (m + 1) * MIN),
    );
    expect(minutes[1]!.length).to.equal(0);
    minutes.forEach((claims, m) => expect(claims.length, `minute ${m + 1}`).to.be.at.most(600));
    // The minute the held claims arrive in is at the rate, not above it with the unused budget of the starved one.
    for (const m of [2, 3, 4, 5]) expect(minutes[m]!.length, `minute ${m + 1}`).to.be.within(594, 600);
  });

  it("a writer ticking only every 3.5 s: claims are counted in a new minute before the writer's first tick of it, and minutes 2–6 each admit the rate ±1 %, none above it", () => {
    const tickEveryMs = 3_500; // does not divide 60 s: the first tick of a minute comes 0.5–3.5 s after it began
    const run = simulate({
      rate: 600,
      waiters: 20_000,
      showRatio: 1,
      maxDelayMs: 3_000,
      minutes: 6,
      seed: 8,
      tickEveryMs,
    });
    const beforeFirstTick: number[] = [];
    for (let m = 1; m < 6; m++) {
      const claims = run.claimTimes.filter((t) => t >= m * MIN && t < (m + 1) * MIN);
      expect(claims.length, `minute ${m + 1}`).to.be.within(594, 600);
      const firstTick = m * MIN + tickEveryMs - ((m * MIN) % tickEveryMs);
      beforeFirstTick.push(claims.filter((t) => t < firstTick).length);
    }
    // With the minute kept on the state by the writer, none of these could be counted.
    expect(
      beforeFirstTick.slice(0, 3).every((count) => count > 0),
      beforeFirstTick.join(', '),
    ).to.equal(true);
  });

  it("claimFits (the rule the claim condition mirrors): budget left and the claim's own minute below the rate; a new minute has room before any tick", () => {
    const onSale = { opensAt: T0, admitPerMinute: 600 };
    const full = openState({ claimed: 1_000, allowed: 1_010, minuteClaims: { 0: 400, 1: 600 } });
    expect(claimFits(full, onSale, T0 + MIN + 59_999), 'minute 2 holds 600').to.equal(false);
    expect(claimFits(full, onSale, T0 + 2 * MIN), 'minute 3, first millisecond').to.equal(true);
    expect(claimFits(full, onSale, T0 + 30_000), 'minute 1 holds 400').to.equal(true);
    const spent = openState({ claimed: 1_010, allowed: 1_010, minuteClaims: { 1: 10 } });
    expect(claimFits(spent, onSale, T0 + MIN), 'budget used up').to.equal(false);
    expect(perMinuteCap(99.9), 'a fractional rate rounds down').to.equal(99);
    expect(admissionMinuteAt(T0, T0 - 5_000), 'before the opening: the first minute').to.equal(0);
    const after = withClaim(full, 123, 2);
    expect([after.claimed, minuteClaimsOf(after, 2), minuteClaimsOf(after, 1)]).to.deep.equal([1_001, 1, 600]);
  });

  it('the writer drops the claim counts of minutes older than the previous one, and only those', () => {
    const state = openState({ minuteClaims: { 0: 600, 1: 600, 2: 600, 3: 12 } });
    const input = { state, issued: 0, releasing: true, admitPerMinute: 600, windowMs: 10 * MIN, opensAt: T0 };
    const plan = planTick({ ...input, now: T0 + 3 * MIN + 1_000 });
    expect(plan.prunedMinutes).to.deep.equal(['0', '1']);
    expect(applyPlan(state, plan).minuteClaims).to.deep.equal({ 2: 600, 3: 12 });
    expect(planTick({ ...input, now: T0 + 30_000 }).prunedMinutes).to.deep.equal([]);
  });

  it('positions are released strictly in line order: a later place is never released before an earlier one', () => {
    const run = simulate({ rate: 600, waiters: 5_000, showRatio: 0.8, maxDelayMs: 3_000, minutes: 4, seed: 5 });
    expect(run.releasedAt.size).to.be.greaterThan(2_000);
    const order = [...run.releasedAt.entries()].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < order.length; i++) expect(order[i]![1]).to.be.at.least(order[i - 1]![1]);
  });

  it('a pause stops releases and budget; on resume there is no stampede (≤ 10 s of budget at once)', () => {
    const run = simulate({
      rate: 600,
      waiters: 20_000,
      showRatio: 1,
      maxDelayMs: 2_000,
      minutes: 6,
      seed: 6,
      pause: [2 * MIN, 4 * MIN],
    });
    const during = run.claimTimes.filter((t) => t >= 2 * MIN + 5_000 && t < 4 * MIN).length;
    expect(during).to.equal(0);
    const servingAtPause = [...run.releasedAt.entries()].filter(([, at]) => at - T0 < 2 * MIN).length;
    const releasedDuring = [...run.releasedAt.values()].filter((at) => at - T0 >= 2 * MIN && at - T0 < 4 * MIN).length;
    expect(releasedDuring).to.equal(0);
    expect(servingAtPause).to.be.greaterThan(1_000);
    const firstTenSeconds = run.claimTimes.filter((t) => t >= 4 * MIN && t < 4 * MIN + 10_000).length;
    expect(firstTenSeconds).to.be.at.most(600 / 6 + 600 / 6 + 5);
  });

  it('positions never claimed within their window are dropped with exact no-show totals', () => {
    const run = simulate({
      rate: 300,
      windowMs: 2 * MIN,
      waiters: 10_000,
      showRatio: 0.75,
      maxDelayMs: 3_000,
      minutes: 7,
      seed: 7,
    });
    expect(run.state.expiredReleased - run.state.expiredClaims).to.equal(run.neverClaimedInDropped);
    expect(run.neverClaimedInDropped).to.be.greaterThan(0);
    for (const b of run.state.buckets) expect(b.expiresAt + 5_000).to.be.greaterThan(T0 + 7 * MIN);
  });

  it('releases stop at the last issued number', () => {
    const plan = planTick({
      state: openState({ serving: 95, allowed: 0, claimed: 0, tickAt: T0 }),
      issued: 100,
      now: T0 + 1_000,
      releasing: true,
      admitPerMinute: 60_000,
      windowMs: 10 * MIN,
      opensAt: T0,
    });
    expect(plan.serving).to.equal(100);
  });

  it('a writer that stalled for a minute grants at most 5 s of budget on its next tick', () => {
    const plan = planTick({
      state: openState({ tickAt: T0 }),
      issued: 10_000,
      now: T0 + MIN,
      releasing: true,
      admitPerMinute: 600,
      windowMs: 10 * MIN,
      opensAt: T0,
    });
    expect(plan.allowed).to.equal(50);
  });

  it('show-up ratio: 1 until 20 matured releases exist, then claims ÷ releases of matured buckets, floored at 0.1', () => {
    const bucketMs = bucketMsFor(10 * MIN);
    const bucket = (at: number, size: number, claims: number): ReleaseBucket => ({
      at,
      from: 1,
      to: size,
      claims,
      expiresAt: at + bucketMs + 10 * MIN,
    });
    expect(showRatioOf([bucket(T0, 10, 2)], bucketMs, T0 + MIN)).to.equal(1);
    expect(showRatioOf([bucket(T0, 40, 30)], bucketMs, T0 + MIN)).to.equal(0.75);
    expect(showRatioOf([bucket(T0, 40, 1)], bucketMs, T0 + MIN)).to.equal(0.1);
    // Young buckets (claims still arriving) do not count yet.
    expect(showRatioOf([bucket(T0, 40, 1)], bucketMs, T0 + bucketMs + 1_000)).to.equal(1);
  });

  it('takeover: a new epoch starting after the highest number seen; released ranges cut there; unused budget dropped', () => {
    const before = openState({
      epoch: 3,
      epochBase: 10,
      issued: 500,
      serving: 480,
      allowed: 300,
      claimed: 250,
      buckets: [
        { at: T0, from: 400, to: 450, claims: 40, expiresAt: T0 + 11 * MIN },
        { at: T0 + 10_000, from: 451, to: 480, claims: 5, expiresAt: T0 + 11 * MIN },
      ],
    });
    const after = takeoverState(before, 460, 'ap-northeast-1', T0 + MIN);
    expect(after).to.deep.include({
      epoch: 4,
      writerRegion: 'ap-northeast-1',
      epochBase: 460,
      issued: 460,
      serving: 460,
      allowed: 250,
      allowedCarry: 0,
      rampFrom: T0 + MIN,
    });
    expect(after.epochEnds).to.deep.equal({ '3': 460 });
    expect(after.buckets.map((b) => [b.from, b.to])).to.deep.equal([
      [400, 450],
      [451, 460],
    ]);
  });

  it('after a takeover the rate ramps from 10% to 100% over 5 minutes (the standby is still scaling out)', () => {
    expect(rampFactor(undefined, T0)).to.equal(1);
    expect(rampFactor(T0, T0)).to.equal(0.1);
    expect(rampFactor(T0, T0 + 2.5 * MIN)).to.be.closeTo(0.55, 1e-9);
    expect(rampFactor(T0, T0 + 10 * MIN)).to.equal(1);
    const after = takeoverState(
      openState({ issued: 1_000, serving: 10, claimed: 10, allowed: 10 }),
      1_000,
      'tokyo',
      T0,
    );
    const plan = planTick({
      state: after,
      issued: 1_000,
      now: T0 + 5_000,
      releasing: true,
      admitPerMinute: 6_000,
      windowMs: 10 * MIN,
      opensAt: T0,
    });
    // 5 s at 10% of 100/s: 50 claims of budget, not the 500 a cold standby would get without the ramp.
    expect(plan.allowed - after.allowed).to.equal(Math.floor((6_000 * rampFactor(T0, T0 + 5_000) * 5) / 60));
    expect(plan.allowed - after.allowed).to.be.below(60);
  });

  it('budgetRetryAfterSeconds: grows with the released crowd at the door, 1–8 s, spread by jitter', () => {
    const onSale = { admitPerMinute: 600, admissionWindowMinutes: 10 };
    const crowd = (unclaimed: number) =>
      openState({ buckets: [{ at: T0, from: 1, to: unclaimed + 5, claims: 5, expiresAt: T0 + 11 * MIN }] });
    const retry = (unclaimed: number, jitter: number) =>
      budgetRetryAfterSeconds(crowd(unclaimed), onSale, T0, () => jitter);
    // 600/min = 10/s: 10 at the door is 1 s, 40 is 4 s, 1,000 is capped at 8 s.
    expect(retry(10, 0.5)).to.equal(1);
    expect(retry(40, 0.5)).to.equal(4);
    expect(retry(1_000, 0.5)).to.equal(8);
    expect(retry(40, 0)).to.equal(2);
    expect(retry(40, 0.99)).to.equal(6);
    expect(retry(0, 0)).to.equal(1);
  });
});
