import { systemClock } from './clock.js';
import { SingleFlightCache } from './single-flight-cache.js';

/**
 * How long after a process's last use its page status is kept fresh: longer than a person reads a page or thinks
 * between two chat messages. One small read every few seconds per web instance meanwhile.
 */
export const KEEP_WARM_AFTER_USE_MS = 10 * 60_000;

export interface KeptWarm {
  touch(): void;
}

/**
 * Keeps a refresh-ahead cache fresh through lulls, for as long as its process is in use. A `SingleFlightCache` with
 * `refreshAfterMs` spares steady readers the wait for a load, but the first request after a lull longer than the TTL
 * still waits for one (the web tier's DR status lives 5 s: one chat message in a hundred, the first after a quiet
 * stretch, waited for a round trip to the API before its answer could start). `touch()` on each use; from the first
 * use, `refresh` runs every `everyMs` until no use came for `forMs` (then the timer stops; the next use starts it
 * again). Nothing is served older than before: the cache's TTL still bounds every value, the timer only reloads it
 * sooner. The timer does not keep the process alive.
 */
export function keptWarm(refresh: () => unknown, everyMs: number, forMs: number): KeptWarm {
  let lastUse = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (performance.now() - lastUse > forMs) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    refresh();
  };
  return {
    touch() {
      lastUse = performance.now();
      if (timer) return;
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
  };
}

/**
 * One value read from elsewhere that every request uses (the web tier's DR and assistant statuses): at most `ttlMs`
 * old, served at once past half its life while one background read replaces it, and for `warmForMs` after the last
 * use also re-read without a request, every quarter of its life (0: never), so neither steady traffic nor the first
 * request after a lull waits for the read. A failed read is not kept: the next use reads again.
 */
export function warmValue<V>(read: () => Promise<V>, ttlMs: number, warmForMs: number): () => Promise<V> {
  const cache = new SingleFlightCache<V>(systemClock, ttlMs, { maxEntries: 1, refreshAfterMs: ttlMs / 2 });
  const load = () => cache.get('value', read);
  const warm = warmForMs > 0 ? keptWarm(() => load().catch(() => undefined), ttlMs / 4, warmForMs) : undefined;
  return () => {
    warm?.touch();
    return load();
  };
}
