import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';

interface DrStatus {
  readonly active: boolean;
  readonly region: string;
}

/**
 * Puts the serving region's DR status into every page (banner + badge). Read from the API, at most once per
 * `ttlMs`; if the API cannot answer, pages still render (without the banner) rather than fail.
 */
export function drStatus(api: ApiClient, ttlMs = 5_000): RequestHandler {
  let cached: { at: number; status: Promise<DrStatus | undefined> } | undefined;
  return async (_req, res, next) => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttlMs) {
      cached = { at: now, status: api.get<DrStatus>('/v1/dr').catch(() => undefined) };
    }
    res.locals.drActive = (await cached.status)?.active === true;
    next();
  };
}
