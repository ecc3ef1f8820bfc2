import type { Clock } from './clock.js';

/**
 * A per-process cache whose entries live `ttlMs`, with single flight: concurrent misses for one key share one load,
 * so a thousand requests in the same second cost one read. A failed load is not kept.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.put(key, value, now);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Replaces the entry with a value this process knows to be current (e.g. what it just wrote). */
  set(key: string, value: V): void {
    this.put(key, Promise.resolve(value), this.clock.now());
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private put(key: string, value: Promise<V>, at: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { at, value });
  }
}
