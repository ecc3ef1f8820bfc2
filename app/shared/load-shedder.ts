import { DomainError } from './errors.js';

/**
 * Bounds the work one instance accepts at once. Past `maxInFlight` a request is refused at once with 429 and a
 * Retry-After long enough for the backlog to drain (measured, with jitter so refused clients do not return together),
 * instead of queueing until everyone times out. The refused client loses nothing: it retries and is served then.
 */
export class LoadShedder {
  private inFlight = 0;
  private completed = 0;
  private windowStart = Date.now();
  private throughput = 0; // completions per second, smoothed

  constructor(
    readonly maxInFlight: number,
    private readonly random: () => number = Math.random,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Takes a slot or throws RATE_LIMITED at once; the returned function gives the slot back (once). */
  acquire(): () => void {
    if (this.inFlight >= this.maxInFlight) {
      throw new DomainError('RATE_LIMITED', 'The waiting room is very busy; your request was not taken. Try again.', {
        retryAfter: this.retryAfterSeconds(),
      });
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.completed++;
      this.measure();
    };
  }

  /** Seconds until the current backlog would have drained, 1–30, spread by up to +100% so retries do not bunch. */
  retryAfterSeconds(): number {
    const drain = this.throughput > 0 ? this.inFlight / this.throughput : 1;
    const base = Math.min(30, Math.max(1, drain));
    return Math.ceil(base * (1 + this.random()));
  }

  private measure(): void {
    const now = Date.now();
    const elapsed = now - this.windowStart;
    if (elapsed < 1_000) return;
    const rate = (this.completed * 1_000) / elapsed;
    this.throughput = this.throughput === 0 ? rate : 0.7 * this.throughput + 0.3 * rate;
    this.completed = 0;
    this.windowStart = now;
  }
}
