import type { Clock } from './clock.js';

/**
 * A short-lived, single-flight cache: concurrent readers of one key share one load, and a value is served for
 * `ttlMs` after it was loaded. It is what keeps a hot read (1,000 people watching one seat map) at one backend read
 * per `ttlMs` per process. Failed loads are not kept. Bounded: past `maxEntries` the oldest entries are dropped.
 */
export class SingleFlightCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.delete(key); // re-insert at the end: Map order is the eviction order
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  /** Forgets a key at once (e.g. a session token after logout). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
