import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DomainError } from './errors.js';

/**
 * Request classes an overloaded instance sheds, lowest priority first: a new join gives way to a waiter's poll, and
 * both give way to an admitted user's claim (someone whose turn has come must not lose it to the stampede behind).
 */
export const LOAD_CLASSES = ['join', 'poll', 'claim'] as const;
export type LoadClass = (typeof LOAD_CLASSES)[number];

/** How late the event loop runs now (ms): the queue in front of it, which no in-flight counter can see. */
export interface DelaySampler {
  delayMs(): number;
}

export interface ClassLimits {
  /** Shed when the event loop is this late (ms) or later. */
  readonly maxDelayMs: number;
  /** Shed when this many of the class are already being served (waiting on DynamoDB, typically). */
  readonly maxInFlight: number;
  /**
   * Below this many in flight the class is served whatever the delay: a loop made late by CPU taken from the process
   * (a noisy neighbour, steal time) rather than by its own backlog must not starve the class entirely.
   */
  readonly minInFlight: number;
  /** Retry-After bounds (s); the value in between is the class's measured drain time, spread by jitter. */
  readonly minRetrySeconds: number;
  readonly maxRetrySeconds: number;
  /**
   * How Retry-After is chosen. `drain`: the time to serve the demand turned away in the last second, spread ±50 %
   * (short waits: polls, claims). `schedule`: each refused client is given the next free return slot at the class's
   * measured completion rate, so the turned-away crowd comes back at about the rate the instance serves it, however
   * large it is (joins: a 100,000-client stampede with a 60 s ceiling came back at ≈ 1,700/s to an instance placing
   * ≈ 32/s, and answering those 429s was most of its work).
   */
  readonly retryRule: 'drain' | 'schedule';
  /**
   * The mean answer time (ms, over the last second) this class is owed by the classes that yield to it: while its
   * served requests take longer, each yielding class is given fewer slots (see `yieldFloor`).
   */
  readonly answerTargetMs?: number;
  /**
   * Set on a class that gives way to every class with an `answerTargetMs`: its in-flight bound is halved (to no less
   * than this floor) after each second in which a protected class answered later than it is owed, and grows again by
   * `yieldStep` after each second in which all were on time, up to `maxInFlight`. Beyond the bound the class is
   * refused like any overload (429 + Retry-After, nothing done), so its work cannot crowd out theirs.
   */
  readonly yieldFloor?: number;
  readonly yieldStep?: number;
}

/**
 * Defaults for one API instance. A join costs a session read and a conditional write; past 100 ms of loop delay the
 * instance is queueing work in front of its event loop (kernel backlog, unread sockets), so new joins are turned
 * away at once with a cheap 429. Polls (no I/O) are kept until the loop is far later, claims (a few per second per
 * event, and the reason the queue exists) until it is later still. The join floor is high because a join on a
 * flooded loop is latency-bound, not CPU-bound: with a floor of 8 a 100,000-join stampede placed ≈ 3.5 joins/s on
 * two cores, with 64 ≈ 32/s (docs/benchmarks.md). It is 128 since concurrent joins share their session read and entry
 * write (one batch call each): more joins in flight make fuller batches at little more CPU, and the floor is also the
 * return slots' rate while nothing is measured (with 64, a 10,000-join run was bound by it, the API two-thirds idle).
 * Joins also yield to the waiters already in line: a released waiter's claim is owed a mean answer time of 250 ms and a
 * poll 100 ms; in a second when either was later, the joins' bound halves (to 16 at the least), and it grows back by
 * 16 a second while both are on time. An API placing a stampede's joins otherwise kept its loop ≈ 85 % busy with them
 * and answered claims in 2.1 s (p50) — late enough that the admissions fell a quarter below the rate
 * (docs/benchmarks.md, the stampede's sixth pass). But a join to a line shorter than `LINE_FLOOR_SECONDS` of admissions
 * does not yield (`acquire`'s `mayYield`, decided by the waiting room): held at 16 joins in flight, the API placed ≈ 100
 * joins a second — the admission rate itself — and the line ran dry (the stampede's seventh pass).
 */
export const DEFAULT_CLASS_LIMITS: Readonly<Record<LoadClass, ClassLimits>> = {
  join: {
    maxDelayMs: 100,
    maxInFlight: 256,
    minInFlight: 128,
    minRetrySeconds: 1,
    maxRetrySeconds: 300,
    retryRule: 'schedule',
    yieldFloor: 16,
    yieldStep: 16,
  },
  poll: {
    maxDelayMs: 400,
    maxInFlight: 4_096,
    minInFlight: 32,
    minRetrySeconds: 2,
    maxRetrySeconds: 30,
    retryRule: 'drain',
    answerTargetMs: 100,
  },
  claim: {
    maxDelayMs: 1_500,
    maxInFlight: 512,
    minInFlight: 16,
    minRetrySeconds: 1,
    maxRetrySeconds: 5,
    retryRule: 'drain',
    answerTargetMs: 250,
  },
};

/** Returns offered per request served (the `schedule` rule): above 1, so an instance can find its capacity grew. */
const RETURN_OFFER_FACTOR = 2;

interface ClassCounters {
  inFlight: number;
  completed: number;
  refused: number;
  /** Completions and refusals per second, smoothed over ~1 s windows. */
  throughput: number;
  refusedRate: number;
  /** `schedule` rule: when (this instance's clock, ms) the next refused client is asked back. */
  nextReturnAt: number;
  /** Answer time (ms) summed over the requests completed in the current window. */
  answeredMs: number;
  /** The in-flight bound now: `maxInFlight`, or less while the class yields (`yieldFloor`). */
  bound: number;
}

/**
 * Admission control for one instance: a request of a class is refused at once (`RATE_LIMITED`, 429 with
 * Retry-After) when the event loop is later than the class allows or too many of the class are in flight, instead of
 * queueing until everyone times out. Retry-After is the time the instance needs to serve what it has turned away
 * (refusals per second ÷ completions per second, within the class's bounds), spread uniformly over ±50 % so refused
 * clients do not return together. A refused client loses nothing: it retries and is served then. A class may yield to
 * the others (`yieldFloor`): its bound then follows the answer time they are owed (`answerTargetMs`).
 */
export class OverloadGuard {
  private readonly counters = new Map<LoadClass, ClassCounters>();
  private windowStart: number;

  constructor(
    private readonly sampler: DelaySampler,
    private readonly limits: Readonly<Record<LoadClass, ClassLimits>> = DEFAULT_CLASS_LIMITS,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowStart = now();
    for (const cls of LOAD_CLASSES) {
      this.counters.set(cls, {
        inFlight: 0,
        completed: 0,
        refused: 0,
        throughput: 0,
        refusedRate: 0,
        nextReturnAt: 0,
        answeredMs: 0,
        bound: limits[cls].maxInFlight,
      });
    }
  }

  /**
   * Takes a slot for a request of `cls` or throws RATE_LIMITED at once; the returned function frees it (once).
   * `mayYield: false` says this request is what the protected classes need next (a join while the line ahead of the
   * serving position is too short to admit from): it is held to the class's `maxInFlight`, not the bound lowered by
   * yielding, though the loop-delay rule still applies. Yielding exists so that claims are served; a line run dry
   * leaves nobody to claim.
   */
  acquire(cls: LoadClass, options: { readonly mayYield?: boolean } = {}): () => void {
    this.measure();
    const counters = this.counters.get(cls)!;
    const limits = this.limits[cls];
    const bound = options.mayYield === false ? limits.maxInFlight : counters.bound;
    const delay = this.sampler.delayMs();
    const late = delay >= limits.maxDelayMs && counters.inFlight >= Math.min(limits.minInFlight, bound);
    if (late || counters.inFlight >= bound) {
      counters.refused++;
      throw new DomainError('RATE_LIMITED', 'The waiting room is very busy; your request was not taken. Try again.', {
        retryAfter: this.retryAfterSeconds(cls),
        reason: 'OVERLOADED',
      });
    }
    counters.inFlight++;
    const acquiredAt = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      counters.inFlight--;
      counters.completed++;
      counters.answeredMs += this.now() - acquiredAt;
    };
  }

  /** When a refused request of the class should come back (s), by the class's rule (see `ClassLimits.retryRule`). */
  retryAfterSeconds(cls: LoadClass): number {
    return this.limits[cls].retryRule === 'schedule' ? this.nextReturnSlot(cls) : this.drainSeconds(cls);
  }

  /**
   * The next free return slot: the turned-away demand still to come back divided by the rate the instance serves
   * the class (no I/O: one timestamp per class). Slots are handed out at twice the measured completion rate, and at
   * least `minInFlight` per second: the rate measured while a flood of fresh requests keeps the loop late is below
   * what the instance serves once the flood is over, and returns offered only at the measured rate could never show
   * more (a client offered too early is refused again at the cost of one cheap 429 and given a later slot).
   * Jittered ±10 % (many slots wide, so the returns stay spread) and capped at `maxRetrySeconds`; once the schedule
   * reaches the cap, the rest of the crowd is spread over the last half of it.
   */
  private nextReturnSlot(cls: LoadClass): number {
    const counters = this.counters.get(cls)!;
    const { minRetrySeconds, maxRetrySeconds, minInFlight } = this.limits[cls];
    const now = this.now();
    const perSecond = Math.max(RETURN_OFFER_FACTOR * counters.throughput, minInFlight, 1);
    const earliest = now + minRetrySeconds * 1_000;
    const latest = now + maxRetrySeconds * 1_000;
    counters.nextReturnAt = Math.min(latest, Math.max(counters.nextReturnAt, earliest) + 1_000 / perSecond);
    const base = (counters.nextReturnAt - now) / 1_000;
    const spread =
      counters.nextReturnAt >= latest ? maxRetrySeconds * (0.5 + this.random() / 2) : base * (0.9 + this.random() / 5);
    return Math.min(maxRetrySeconds, Math.max(minRetrySeconds, Math.round(spread)));
  }

  /** Seconds for the class's turned-away demand (and what is in flight) to be served, jittered ±50 %. */
  private drainSeconds(cls: LoadClass): number {
    const counters = this.counters.get(cls)!;
    const { minRetrySeconds, maxRetrySeconds } = this.limits[cls];
    const backlog = counters.inFlight + Math.max(counters.refused, counters.refusedRate);
    const drain = counters.throughput > 0 ? backlog / counters.throughput : minRetrySeconds;
    const base = Math.min(maxRetrySeconds, Math.max(minRetrySeconds, drain));
    const spread = base * (0.5 + this.random());
    return Math.min(maxRetrySeconds, Math.max(minRetrySeconds, Math.round(spread)));
  }

  /** Currently served requests of a class (for tests and the operator). */
  inFlight(cls: LoadClass): number {
    return this.counters.get(cls)!.inFlight;
  }

  /** How many of a class may be in flight now (below `maxInFlight` while it yields). */
  bound(cls: LoadClass): number {
    return this.counters.get(cls)!.bound;
  }

  private measure(): void {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < 1_000) return;
    this.adjustYieldingBounds();
    for (const counters of this.counters.values()) {
      const served = (counters.completed * 1_000) / elapsed;
      const refused = (counters.refused * 1_000) / elapsed;
      counters.throughput = counters.throughput === 0 ? served : 0.5 * counters.throughput + 0.5 * served;
      counters.refusedRate = 0.5 * counters.refusedRate + 0.5 * refused;
      counters.completed = 0;
      counters.refused = 0;
      counters.answeredMs = 0;
    }
    this.windowStart = now;
  }

  /**
   * Once per window: a class owed an answer time that was answered later on average makes every yielding class halve
   * its bound (to its floor); a window with all of them on time gives each yielding class `yieldStep` slots back.
   * Judged on the window's completed requests, so a class with none in the window (no claims yet) asks for nothing.
   */
  private adjustYieldingBounds(): void {
    const owedLate = LOAD_CLASSES.some((cls) => {
      const target = this.limits[cls].answerTargetMs;
      const counters = this.counters.get(cls)!;
      return target !== undefined && counters.completed > 0 && counters.answeredMs / counters.completed > target;
    });
    for (const cls of LOAD_CLASSES) {
      const { yieldFloor, yieldStep = 1, maxInFlight } = this.limits[cls];
      if (yieldFloor === undefined) continue;
      const counters = this.counters.get(cls)!;
      counters.bound = owedLate
        ? Math.max(yieldFloor, Math.floor(counters.bound / 2))
        : Math.min(maxInFlight, counters.bound + yieldStep);
    }
  }
}

/**
 * The event loop's recent delay: per window, the larger of the 99th percentile of `monitorEventLoopDelay` and how late
 * the window's own timer fired; reported as the smaller of the last two windows, so a sustained backlog is seen within
 * two windows while a single stall (start-up, a GC pause) sheds nothing. Its timer is unref'd: it never keeps a
 * process alive.
 */
export class EventLoopDelaySampler implements DelaySampler {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  private last = 0;
  private previous = 0;
  private expectedAt: number;

  constructor(private readonly windowMs = 200) {
    this.histogram.enable();
    this.expectedAt = performance.now() + windowMs;
    this.timer = setInterval(() => this.sample(), windowMs);
    this.timer.unref();
  }

  delayMs(): number {
    return Math.min(this.last, this.previous);
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private sample(): void {
    const now = performance.now();
    const late = Math.max(0, now - this.expectedAt);
    // The histogram counts its own 10 ms resolution as delay.
    const p99 = this.histogram.count > 0 ? Math.max(0, this.histogram.percentile(99) / 1e6 - 10) : 0;
    this.previous = this.last;
    this.last = Math.max(late, p99);
    this.histogram.reset();
    this.expectedAt = now + this.windowMs;
  }
}
