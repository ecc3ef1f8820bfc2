import { expect } from 'chai';
import { armedQueueState, type QueueState } from '../../../app/queue/model.js';
import { admissionMinuteAt, applyPlan, claimFits, planTick, withClaim } from '../../../app/queue/release.js';
import { joinsMayYield, LINE_FLOOR_SECONDS } from '../../../app/queue/rules.js';
import { DEFAULT_CLASS_LIMITS, OverloadGuard } from '../../../app/shared/overload-guard.js';
import { seededRandom } from '../../support/statistics.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const MIN = 60_000;
const STEP = 10;

interface Interplay {
  /** Admissions per minute counted from the opening (minute 1 first). */
  readonly perMinute: number[];
  /** Seconds after the first minute in which the line ahead of the serving position was under 10 s of the rate. */
  readonly drySeconds: number;
  readonly placed: number;
}

/**
 * One API instance at a stampede's opening, on a fake clock: the real overload guard decides how many joins are in
 * flight, the real writer (`planTick`) releases from the places taken, and released waiters claim against the budget.
 * The instance is modelled on the quiet 100,000-join run: a join takes longer the more joins share the loop (≈ 500
 * placed a second at 256 in flight, 80 at the yielded floor of 16 — below the 6,000/min rate; that run placed ≈ 100 a
 * second there, the rate itself), and while more than 8 joins are in flight (a stampede being placed) a claim is
 * answered late (400 ms against the 250 ms owed), otherwise in 100 ms; a claim counts when it is answered.
 * `floor`: joins stop yielding while the line is short (`joinsMayYield`, as `apiRequestListener` asks the service);
 * without it every join yields, as before.
 */
function interplay(options: { floor: boolean; minutes: number; seed: number }): Interplay {
  const rate = 6_000;
  const crowd = 100_000;
  const random = seededRandom(options.seed);
  let clock = 0;
  const guard = new OverloadGuard(
    { delayMs: () => 0 },
    DEFAULT_CLASS_LIMITS,
    () => 0.5,
    () => clock,
  );
  let state: QueueState = {
    ...armedQueueState({ eventId: 'ev', writerRegion: 'ap-northeast-2', seed: 's', seedHash: 'h', committedAt: T0 }),
    draw: { at: T0, size: 0 },
  };
  let issued = 0;
  const joins: { doneAt: number; release: () => void }[] = [];
  const claims = new Map<number, number[]>(); // step time → positions claiming then
  const answers: { at: number; position: number; release: () => void }[] = [];
  const claimTimes: number[] = [];
  let drySeconds = 0;
  const schedule = (at: number, position: number) => {
    const slot = Math.ceil(at / STEP) * STEP;
    claims.set(slot, [...(claims.get(slot) ?? []), position]);
  };

  for (clock = 0; clock < options.minutes * MIN; clock += STEP) {
    const now = T0 + clock;
    if (clock % 1_000 === 0) {
      const plan = planTick({
        state,
        issued,
        now,
        releasing: true,
        admitPerMinute: rate,
        windowMs: 10 * MIN,
        opensAt: T0,
      });
      for (let p = state.serving + 1; p <= plan.serving; p++) schedule(clock + 1_000 + random() * 3_000, p);
      state = applyPlan(state, plan);
      if (clock >= MIN && state.issued - state.serving < rate / 6) drySeconds++;
    }
    // Joins done: placed. Then as many new joins as the guard takes (the crowd retries until placed).
    for (let i = joins.length - 1; i >= 0; i--) {
      if (joins[i]!.doneAt > clock) continue;
      joins[i]!.release();
      joins.splice(i, 1);
      issued++;
    }
    while (issued + joins.length < crowd) {
      try {
        // What the front of the API asks: the state as this instance last saw it (the writer's last tick).
        const release = guard.acquire('join', { mayYield: !options.floor || joinsMayYield(state, rate) });
        joins.push({ doneAt: clock + Math.max(200, 2 * guard.inFlight('join')), release });
      } catch {
        break;
      }
    }
    // A claim sent now is answered (and counted against the budget) after the answer time of the moment.
    for (const position of claims.get(clock) ?? []) {
      answers.push({ at: clock + (joins.length > 8 ? 400 : 100), position, release: guard.acquire('claim') });
    }
    claims.delete(clock);
    for (let i = answers.length - 1; i >= 0; i--) {
      const { at, position, release } = answers[i]!;
      if (at > clock) continue;
      release();
      answers.splice(i, 1);
      const bucket = state.buckets.find((b) => b.from <= position && position <= b.to);
      if (!bucket) continue;
      if (!claimFits(state, { opensAt: T0, admitPerMinute: rate }, now)) {
        schedule(clock + 1_000 + random() * 1_000, position);
        continue;
      }
      claimTimes.push(clock);
      state = withClaim(state, bucket.at, admissionMinuteAt(T0, now));
    }
  }
  const perMinute = Array.from(
    { length: options.minutes },
    (_, m) => claimTimes.filter((t) => t >= m * MIN && t < (m + 1) * MIN).length,
  );
  return { perMinute, drySeconds, placed: issued };
}

describe('queue: the writer, the overload guard and placement together (a stampede on a fake clock)', function () {
  this.timeout(60_000);

  it('joins that stop yielding while the line is short keep it from running dry: minutes 2–5 each admit the rate ±1 %', () => {
    const run = interplay({ floor: true, minutes: 5, seed: 11 });
    for (const [m, count] of run.perMinute.entries()) {
      if (m === 0) continue; // the opening: the budget starts at 0
      expect(count, `minute ${m + 1}`).to.be.within(5_940, 6_060);
    }
    expect(run.drySeconds).to.equal(0);
    // Placement ran ahead of admissions by about the floor, not by the whole crowd.
    expect(run.placed).to.be.within(5 * 6_000 + ((LINE_FLOOR_SECONDS * 6_000) / 60) * 0.9, 100_000);
  });

  it('joins that always yield (the rule before): placement at the yielded floor is below the rate, the line runs dry and from minute 3 every minute admits what was placed in it, not the rate', () => {
    const run = interplay({ floor: false, minutes: 5, seed: 11 });
    expect(run.drySeconds).to.be.above(3 * 60);
    for (const m of [2, 3, 4]) expect(run.perMinute[m], `minute ${m + 1}`).to.be.below(5_940);
  });
});
