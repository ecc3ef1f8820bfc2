import type { Clock } from './clock.js';
import { outsideRequest } from './request-context.js';

export interface SingleFlightCacheOptions {
  /** Entries kept at most; past it the oldest are dropped. */
  readonly maxEntries?: number;
  /**
   * Refresh ahead: a read of a value at least this old (and younger than `ttlMs`) is answered from the cache at once
   * and starts one background load, whose value replaces the entry when it arrives. Steady readers then never wait
   * for a load, while no value is ever served older than `ttlMs` (past it a read waits, as without this option).
   */
  readonly refreshAfterMs?: number;
}

interface Entry<V> {
  readonly at: number;
  readonly value: Promise<V>;
  refreshing: boolean;
}

/**
 * A short-lived, single-flight cache: concurrent readers of one key share one load, and a value is served for
 * `ttlMs` after it was loaded. It is what keeps a hot read (1,000 people watching one seat map) at one backend read
 * per `ttlMs` per process. Failed loads are not kept. Bounded: past `maxEntries` the oldest entries are dropped.
 */
export class SingleFlightCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly refreshAfterMs: number;

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number,
    options: number | SingleFlightCacheOptions = {},
  ) {
    const { maxEntries = 10_000, refreshAfterMs = Number.POSITIVE_INFINITY } =
      typeof options === 'number' ? { maxEntries: options } : options;
    this.maxEntries = maxEntries;
    this.refreshAfterMs = refreshAfterMs;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      if (now - hit.at >= this.refreshAfterMs && !hit.refreshing) this.refresh(key, hit, now, load);
      return hit.value;
    }
    const value = load();
    this.store(key, { at: now, value, refreshing: false });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets a key at once (e.g. a session token after logout). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** One background load for `hit`; its value replaces the entry once loaded (a failure leaves the entry as it was). */
  private refresh(key: string, hit: Entry<V>, now: number, load: () => Promise<V>): void {
    hit.refreshing = true;
    // Not part of the request that happened to start it (its id, its log lines, its trace).
    const value = outsideRequest(load);
    value.then(
      () => {
        // Replaced only if nobody deleted or reloaded the key meanwhile (a logout must not be undone by a refresh).
        if (this.entries.get(key) === hit) this.store(key, { at: now, value, refreshing: false });
      },
      () => (hit.refreshing = false),
    );
  }

  private store(key: string, entry: Entry<V>): void {
    this.entries.delete(key); // re-insert at the end: Map order is the eviction order
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
