import type { CatalogReader } from '../booking/ports.js';
import type { Performance, Schedule, Venue } from '../catalog/types.js';
import type { Clock } from '../shared/clock.js';

/**
 * The catalog changes rarely and is read on every page; a short-lived in-process cache keeps pages fast.
 * Seat state is never cached (it lives in the booking store).
 */
export class CachedCatalog implements CatalogReader {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly inner: CatalogReader,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  listPerformances = () => this.cached('performances', () => this.inner.listPerformances());
  getPerformance = (id: string) => this.cached(`performance:${id}`, () => this.inner.getPerformance(id));
  getVenue = (id: string) => this.cached(`venue:${id}`, () => this.inner.getVenue(id));
  getSchedule = (id: string) => this.cached(`schedule:${id}`, () => this.inner.getSchedule(id));
  listSchedules = (performanceId: string) =>
    this.cached(`schedules:${performanceId}`, () => this.inner.listSchedules(performanceId));

  private cached<T extends readonly Performance[] | Performance | Venue | Schedule | readonly Schedule[] | undefined>(
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: now, value });
    // A failed load must not be served from the cache.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > 5_000) this.entries.clear();
    return value;
  }
}
