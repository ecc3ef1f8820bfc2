import type { Clock } from './clock.js';

/**
 * A per-process cache whose entries live `ttlMs`, with single flight: concurrent misses for one key share one load,
 * so a thousand requests in the same second cost one read. A failed load is not kept.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

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
    const entry = this.put(key, value, now);
    value.then(
      (settled) => {
        entry.settled = { value: settled };
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /**
   * The value of a fresh entry whose load has completed, without waiting for it (`undefined` when there is none: not
   * cached, too old, or still loading — then `get`). For hot paths that would otherwise await a promise already
   * settled: one microtask turn less on every call (the booking gate's queue state).
   */
  peek(key: string): { readonly value: V } | undefined {
    const hit = this.entries.get(key);
    return hit && this.clock.now() - hit.at < this.ttlMs ? hit.settled : undefined;
  }

  /** Replaces the entry with a value this process knows to be current (e.g. what it just wrote). */
  set(key: string, value: V): void {
    this.put(key, Promise.resolve(value), this.clock.now()).settled = { value };
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private put(key: string, value: Promise<V>, at: number): Entry<V> {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    const entry: Entry<V> = { at, value, settled: undefined };
    this.entries.set(key, entry);
    return entry;
  }
}

interface Entry<V> {
  readonly at: number;
  readonly value: Promise<V>;
  /** Set once `value` has resolved. */
  settled: { readonly value: V } | undefined;
}
