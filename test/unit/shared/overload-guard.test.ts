import { expect } from 'chai';
import { DomainError } from '../../../app/shared/errors.js';
import { DEFAULT_CLASS_LIMITS, OverloadGuard, type LoadClass } from '../../../app/shared/overload-guard.js';

/** The default limits without the in-flight floor, so a single request shows the delay rule. */
const NO_FLOOR = Object.fromEntries(
  Object.entries(DEFAULT_CLASS_LIMITS).map(([cls, limits]) => [cls, { ...limits, minInFlight: 0 }]),
) as typeof DEFAULT_CLASS_LIMITS;

function refusalOf(guard: OverloadGuard, cls: LoadClass): DomainError | undefined {
  try {
    guard.acquire(cls)();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe('shared/OverloadGuard', () => {
  it('below every limit it admits all classes and frees their slots', () => {
    const guard = new OverloadGuard({ delayMs: () => 0 });
    for (const cls of ['join', 'poll', 'claim'] as const) {
      const release = guard.acquire(cls);
      expect(guard.inFlight(cls)).to.equal(1);
      release();
      release(); // a second release frees nothing more
      expect(guard.inFlight(cls)).to.equal(0);
    }
  });

  it('event-loop delay over the join limit: joins refused RATE_LIMITED with Retry-After, polls and claims still admitted', () => {
    let delay = 0;
    const guard = new OverloadGuard({ delayMs: () => delay }, NO_FLOOR);
    delay = DEFAULT_CLASS_LIMITS.join.maxDelayMs + 50;
    const refused = refusalOf(guard, 'join');
    expect(refused?.code).to.equal('RATE_LIMITED');
    expect(refused?.details?.retryAfter).to.be.within(1, 60);
    expect(guard.inFlight('join')).to.equal(0);
    expect(refusalOf(guard, 'poll')).to.equal(undefined);
    expect(refusalOf(guard, 'claim')).to.equal(undefined);
  });

  it('priorities under growing delay: polls are shed after joins, an admitted claim last of all', () => {
    let delay = 0;
    const guard = new OverloadGuard({ delayMs: () => delay }, NO_FLOOR);
    delay = DEFAULT_CLASS_LIMITS.poll.maxDelayMs;
    expect(refusalOf(guard, 'join')?.code).to.equal('RATE_LIMITED');
    expect(refusalOf(guard, 'poll')?.code).to.equal('RATE_LIMITED');
    expect(refusalOf(guard, 'claim')).to.equal(undefined);
    delay = DEFAULT_CLASS_LIMITS.claim.maxDelayMs;
    expect(refusalOf(guard, 'claim')?.code).to.equal('RATE_LIMITED');
    delay = 0;
    expect(refusalOf(guard, 'join')).to.equal(undefined);
  });

  it('past the in-flight limit of a class it refuses that class only, until a slot is freed', () => {
    const limits = { ...DEFAULT_CLASS_LIMITS, join: { ...DEFAULT_CLASS_LIMITS.join, maxInFlight: 2 } };
    const guard = new OverloadGuard({ delayMs: () => 0 }, limits);
    const held = [guard.acquire('join'), guard.acquire('join')];
    expect(refusalOf(guard, 'join')?.code).to.equal('RATE_LIMITED');
    expect(refusalOf(guard, 'claim')).to.equal(undefined);
    held[0]!();
    expect(refusalOf(guard, 'join')).to.equal(undefined);
  });

  it('Retry-After grows with the demand turned away per join served, within the class bounds, spread by jitter', () => {
    let clock = 0;
    let jitter = 0.5;
    const guard = new OverloadGuard(
      { delayMs: () => (clock < 1_000 ? 0 : 500) },
      NO_FLOOR,
      () => jitter,
      () => clock,
    );
    // Second 0: 10 joins served. Second 1: 400 refused. Throughput 10/s, 400 turned away: a 40 s drain.
    for (let i = 0; i < 10; i++) guard.acquire('join')();
    clock = 1_000;
    for (let i = 0; i < 400; i++) refusalOf(guard, 'join');
    clock = 2_000;
    jitter = 0.5;
    const middle = refusalOf(guard, 'join')?.details?.retryAfter as number;
    jitter = 0;
    const early = refusalOf(guard, 'join')?.details?.retryAfter as number;
    jitter = 0.999;
    const late = refusalOf(guard, 'join')?.details?.retryAfter as number;
    expect(early).to.be.lessThan(middle);
    expect(middle).to.be.lessThan(late);
    expect(middle).to.be.within(10, 60);
    expect(late).to.be.at.most(DEFAULT_CLASS_LIMITS.join.maxRetrySeconds);
    // A claim is sent back within seconds whatever the join backlog.
    expect(refusalOf(guard, 'claim')).to.equal(undefined);
  });

  it('however late the loop, a class keeps its floor of minInFlight requests: a starved process still makes progress', () => {
    const guard = new OverloadGuard({ delayMs: () => 10_000 });
    const floor = DEFAULT_CLASS_LIMITS.join.minInFlight;
    const held = Array.from({ length: floor }, () => guard.acquire('join'));
    expect(guard.inFlight('join')).to.equal(floor);
    expect(refusalOf(guard, 'join')?.code).to.equal('RATE_LIMITED');
    held.pop()!();
    expect(refusalOf(guard, 'join')).to.equal(undefined);
  });

  describe('joins yield to claims and polls: the join bound follows the answer time the waiters are owed', () => {
    /** A guard on a clock the test moves; the loop is never late, so only the yield rule can refuse. */
    function yieldingGuard() {
      let clock = 0;
      const guard = new OverloadGuard(
        { delayMs: () => 0 },
        DEFAULT_CLASS_LIMITS,
        () => 0.5,
        () => clock,
      );
      /** One second in which `cls` was answered in `ms` on average (one request), then the next second begins. */
      const secondWith = (cls: LoadClass, ms: number) => {
        const release = guard.acquire(cls);
        clock += ms;
        release();
        clock += 1_000 - (ms % 1_000);
        guard.acquire('join')(); // any request starts the next window (a join's own time is owed nothing)
      };
      return { guard, secondWith };
    }
    /** A guard whose loop delay the test sets, after `seconds` seconds each with one claim answered a second late. */
    function afterLateClaims(seconds: number) {
      let clock = 0;
      const loop = { delay: 0 };
      const guard = new OverloadGuard(
        { delayMs: () => loop.delay },
        DEFAULT_CLASS_LIMITS,
        () => 0.5,
        () => clock,
      );
      for (let i = 0; i < seconds; i++) {
        const release = guard.acquire('claim');
        clock += 1_000;
        release();
        guard.acquire('join')();
      }
      return { guard, loop };
    }
    const { maxInFlight, yieldFloor, yieldStep } = DEFAULT_CLASS_LIMITS.join;
    const claimTarget = DEFAULT_CLASS_LIMITS.claim.answerTargetMs!;
    const pollTarget = DEFAULT_CLASS_LIMITS.poll.answerTargetMs!;

    it('each second in which claims were answered later than owed halves the join bound, down to its floor, refusing joins past it with Retry-After', () => {
      const { guard, secondWith } = yieldingGuard();
      expect(guard.bound('join')).to.equal(maxInFlight);
      secondWith('claim', claimTarget + 1);
      expect(guard.bound('join')).to.equal(maxInFlight / 2);
      for (let i = 0; i < 10; i++) secondWith('claim', 2_000);
      expect(guard.bound('join')).to.equal(yieldFloor);
      const held = Array.from({ length: yieldFloor! }, () => guard.acquire('join'));
      const refused = refusalOf(guard, 'join');
      expect(refused?.code).to.equal('RATE_LIMITED');
      expect(refused?.details).to.deep.include({ reason: 'OVERLOADED' });
      expect(refused?.details?.retryAfter).to.be.at.least(1);
      expect(guard.inFlight('join')).to.equal(yieldFloor);
      // The classes owed an answer never yield: claims and polls are still taken.
      expect(refusalOf(guard, 'claim')).to.equal(undefined);
      expect(refusalOf(guard, 'poll')).to.equal(undefined);
      held.forEach((release) => release());
    });

    it('late polls make joins yield too; claims or polls on time (or none answered) give the bound back by its step, up to maxInFlight', () => {
      const { guard, secondWith } = yieldingGuard();
      secondWith('poll', pollTarget + 1);
      secondWith('poll', pollTarget + 1);
      expect(guard.bound('join')).to.equal(maxInFlight / 4);
      secondWith('claim', claimTarget - 1);
      expect(guard.bound('join')).to.equal(maxInFlight / 4 + yieldStep!);
      secondWith('join', 5_000); // a slow join is owed nothing
      expect(guard.bound('join')).to.equal(maxInFlight / 4 + 2 * yieldStep!);
      for (let i = 0; i < 50; i++) secondWith('poll', 1);
      expect(guard.bound('join')).to.equal(maxInFlight);
      expect(guard.bound('claim')).to.equal(DEFAULT_CLASS_LIMITS.claim.maxInFlight);
      expect(guard.bound('poll')).to.equal(DEFAULT_CLASS_LIMITS.poll.maxInFlight);
    });

    it('a join that may not yield (the line is too short to admit from) is held to maxInFlight, not the lowered bound; the loop-delay rule still applies to it', () => {
      const { guard, loop } = afterLateClaims(10);
      expect(guard.bound('join')).to.equal(yieldFloor);
      const held = Array.from({ length: yieldFloor! }, () => guard.acquire('join'));
      expect(refusalOf(guard, 'join')?.code, 'a join that may yield').to.equal('RATE_LIMITED');
      const needed = Array.from({ length: maxInFlight - yieldFloor! }, () =>
        guard.acquire('join', { mayYield: false }),
      );
      expect(guard.inFlight('join')).to.equal(maxInFlight);
      expect(() => guard.acquire('join', { mayYield: false }), 'past maxInFlight').to.throw(DomainError);
      expect(guard.bound('join'), 'the yielded bound itself is unchanged').to.equal(yieldFloor);
      needed.forEach((release) => release());
      // A late loop still sheds such a join past the class's delay floor (minInFlight of the unlowered bound).
      loop.delay = DEFAULT_CLASS_LIMITS.join.maxDelayMs;
      const floor = DEFAULT_CLASS_LIMITS.join.minInFlight;
      const more = Array.from({ length: floor - yieldFloor! }, () => guard.acquire('join', { mayYield: false }));
      expect(() => guard.acquire('join', { mayYield: false })).to.throw(DomainError);
      [...held, ...more].forEach((release) => release());
    });

    it('while joins yield, the loop-delay floor of joins served regardless shrinks with the bound', () => {
      const { guard, loop } = afterLateClaims(3);
      const bound = guard.bound('join');
      expect(bound).to.be.below(DEFAULT_CLASS_LIMITS.join.minInFlight);
      loop.delay = 10_000;
      const held = Array.from({ length: bound }, () => guard.acquire('join'));
      expect(refusalOf(guard, 'join')?.code).to.equal('RATE_LIMITED');
      held.forEach((release) => release());
    });
  });

  describe('Retry-After for joins (the schedule rule): returns spread at the rate the instance places joins', () => {
    /** A guard whose join class completed `served` joins in the last second, now refusing everything. */
    function measuredGuard(served: number, jitter = () => 0.5) {
      let clock = 0;
      let delay = 0;
      const guard = new OverloadGuard({ delayMs: () => delay }, NO_FLOOR, jitter, () => clock);
      for (let i = 0; i < served; i++) guard.acquire('join')();
      clock = 1_000;
      delay = 10_000;
      return {
        refuse: () => refusalOf(guard, 'join')?.details?.retryAfter as number,
        advance: (ms: number) => (clock += ms),
      };
    }

    it('a crowd refused at once is asked back at twice the measured placement rate, not all within the ceiling', () => {
      const { refuse } = measuredGuard(50); // 50 joins/s measured: slots at 100/s
      const answers = Array.from({ length: 10_000 }, refuse);
      const perSecond = new Map<number, number>();
      for (const s of answers) perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
      // 10,000 clients at 100/s: the last is asked back after about 100 s; no second receives more than its share.
      expect(Math.max(...answers)).to.be.within(99, 102);
      expect(Math.max(...perSecond.values())).to.be.at.most(101);
      expect(answers.filter((s) => s <= 10)).to.have.length.within(900, 1_000);
    });

    it('the schedule follows the rate: a faster instance asks its crowd back sooner', () => {
      const slow = measuredGuard(20);
      const fast = measuredGuard(200);
      const last = (g: { refuse: () => number }) => Array.from({ length: 4_000 }, g.refuse).at(-1)!;
      expect(last(slow)).to.be.within(95, 105); // 4,000 ÷ 40/s
      expect(last(fast)).to.be.within(9, 11); // 4,000 ÷ 400/s
    });

    it('with no rate measured yet, slots are handed out at the floor of minInFlight per second', () => {
      const guard = new OverloadGuard(
        { delayMs: () => 10_000 },
        DEFAULT_CLASS_LIMITS,
        () => 0.5,
        () => 0,
      );
      const floor = DEFAULT_CLASS_LIMITS.join.minInFlight;
      for (let i = 0; i < floor; i++) guard.acquire('join'); // the floor, held: everything past it is refused
      const answers = Array.from({ length: floor * 10 }, () => refusalOf(guard, 'join')?.details?.retryAfter);
      expect(answers.at(-1)).to.equal(11); // 1 s at the earliest, then 10 s of slots at `floor` per second
    });

    it('past the ceiling the rest of the crowd is spread over its last half, never beyond it', () => {
      const randoms = [0, 0.999];
      let i = 0;
      const { refuse } = measuredGuard(1, () => randoms[i++ % 2]!);
      const max = DEFAULT_CLASS_LIMITS.join.maxRetrySeconds;
      const answers = Array.from({ length: 2 * max * DEFAULT_CLASS_LIMITS.join.minInFlight }, refuse);
      const capped = answers.slice(-100);
      expect(Math.min(...capped)).to.equal(max / 2);
      expect(Math.max(...capped)).to.equal(max);
      expect(Math.max(...answers)).to.equal(max);
    });

    it('slots already given are not given again later, and a schedule in the past restarts from now', () => {
      const { refuse, advance } = measuredGuard(50);
      for (let i = 0; i < 1_000; i++) refuse(); // slots from +1 s (the earliest) to +11 s, at 100/s
      advance(4_000);
      expect(refuse()).to.equal(7); // the next free slot, 7 s from now
      advance(60_000);
      expect(refuse()).to.equal(DEFAULT_CLASS_LIMITS.join.minRetrySeconds);
    });
  });
});
