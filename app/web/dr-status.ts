import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';
import { KEEP_WARM_AFTER_USE_MS, warmValue } from '../shared/kept-warm.js';

import type { DrStatusResponse } from '../api/contracts.js';

/** What the DR banner says: a message key and the region it names. */
export type DrBanner =
  { readonly key: 'dr.banner' | 'dr.bannerReadOnly'; readonly region: string } | { readonly key: 'dr.bannerHandover' };

/**
 * The banner for a page served in front of the given API: while DR is active, the region that serves (this one) says
 * it serves; a read-only region (Seoul, reached during DR through a stale DNS cache or directly) sends people to the
 * region that takes bookings (Tokyo), never to itself; during the failback hand-over nobody takes bookings for seconds.
 */
export function drBanner(status: DrStatusResponse | undefined): DrBanner | undefined {
  if (!status?.active) return undefined;
  if (status.writer === 'none') return { key: 'dr.bannerHandover' };
  if (status.acceptsWrites) return { key: 'dr.banner', region: status.region };
  return status.writerRegion ? { key: 'dr.bannerReadOnly', region: status.writerRegion } : undefined;
}

/**
 * Puts the serving region's DR status into every page (banner + badge). Read from the API, at most `ttlMs` old; if the
 * API cannot answer, pages still render (without the banner) rather than fail. A status past half its life is served
 * while one read refreshes it in the background, so with steady traffic no request waits for that read (it used to
 * land on one chat message every five seconds: a round trip to the API before the answer could start), and for
 * `warmForMs` after the last request it is also refreshed without one (every quarter of its life), so the first
 * request after a lull does not wait for it either (0: no refresh without requests).
 */
export function drStatus(api: ApiClient, ttlMs = 5_000, warmForMs = KEEP_WARM_AFTER_USE_MS): RequestHandler {
  const status = warmValue(() => api.dr().catch(() => undefined), ttlMs, warmForMs);
  return async (_req, res, next) => {
    const current = await status();
    res.locals.drActive = current?.active === true;
    res.locals.drBanner = drBanner(current);
    next();
  };
}
