import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';

import type { DrStatusResponse } from '../api/contracts.js';

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
    // The banner names the region actually serving (the API's), not the one this web instance was started for.
    res.locals.drRegion = status?.region;
    next();
  };
}
