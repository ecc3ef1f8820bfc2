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
});
