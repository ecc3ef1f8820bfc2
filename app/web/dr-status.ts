import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';

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
 * Puts the serving region's DR status into every page (banner + badge). Read from the API, at most once per
 * `ttlMs`; if the API cannot answer, pages still render (without the banner) rather than fail.
 */
export function drStatus(api: ApiClient, ttlMs = 5_000): RequestHandler {
  let cached: { at: number; status: Promise<DrStatusResponse | undefined> } | undefined;
  return async (_req, res, next) => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttlMs) {
      cached = { at: now, status: api.dr().catch(() => undefined) };
    }
    const status = await cached.status;
    res.locals.drActive = status?.active === true;
    res.locals.drBanner = drBanner(status);
    next();
  };
}
