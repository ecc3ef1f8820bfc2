import { assetDirs } from '../paths.js';
import type { Log } from '../shared/log.js';
import { ApiClient } from './api-client.js';
import { createWebApp } from './app.js';
import { csrfProtection } from './csrf.js';
import type { CsrfKeys } from './csrf-keys.js';
import type { WebDeps } from './deps.js';
import { loadMessages } from './i18n.js';
import { CATALOG_TTL_MS, PublicReads, SEAT_STATE_TTL_MS } from './public-reads.js';
import { Renderer } from './render.js';
import { SeatMapViews } from './seat-map.js';
import { currentUser } from './session.js';
import { SharedPages } from './shared-pages.js';
import { systemClock } from '../shared/clock.js';

export interface WebOptions {
  /** The region-local internal API URL (the NLB in AWS). */
  readonly apiUrl: string;
  readonly region: string;
  /** Caches compiled templates (NODE_ENV=production). */
  readonly production: boolean;
  readonly cookieSecure: boolean;
  /** Shared by every web instance of the deployment (both regions); a random per-process key when unset. */
  readonly csrfKeys?: CsrfKeys;
  readonly log: Log;
  /** Public read caches; tests that assert freshness turn them down. */
  readonly catalogTtlMs?: number;
  readonly seatStateTtlMs?: number;
  /** Pages shared by anonymous visitors (`shared-pages.ts`); on unless turned off (0). */
  readonly sharedPagesMaxAgeMs?: number;
  /**
   * How long after its route confirmed it a shared page is sent by the fast path without asking the route again:
   * the staleness the fast path may add. By default a quarter-second, and never more than half of the read caches'
   * periods (so tests that turn the caches off turn it off too).
   */
  readonly sharedPagesRecheckMs?: number;
}

/**
 * Builds the web role's object graph once: API client, renderer, caches, CSRF, session handling, the Express app.
 * `npm start`, the production service and the tests all go through here.
 */
export function composeWeb(options: WebOptions) {
  const dirs = assetDirs();
  const api = new ApiClient(options.apiUrl);
  const maxAgeMs = options.sharedPagesMaxAgeMs ?? 5_000;
  const recheckMs =
    options.sharedPagesRecheckMs ??
    Math.min(250, (options.catalogTtlMs ?? CATALOG_TTL_MS) / 2, (options.seatStateTtlMs ?? SEAT_STATE_TTL_MS) / 2);
  const shared =
    maxAgeMs > 0 ? new SharedPages(systemClock, { maxAgeMs, maxBytes: 32 * 2 ** 20, recheckMs }) : undefined;
  const render = new Renderer(dirs.views, options.production, shared);
  const deps: WebDeps = {
    api,
    reads: new PublicReads(api, { catalogTtlMs: options.catalogTtlMs, seatStateTtlMs: options.seatStateTtlMs }),
    render,
    seatMaps: new SeatMapViews(render),
    messages: loadMessages(dirs.views),
    csrf: csrfProtection({ keys: options.csrfKeys, secure: options.cookieSecure }),
    users: currentUser(api, options.cookieSecure),
    region: options.region,
    publicDir: dirs.public,
    htmxDir: dirs.htmx,
    cookieSecure: options.cookieSecure,
    log: options.log,
    clock: systemClock,
  };
  return { deps, app: createWebApp(deps), sharedPages: shared };
}

export type ComposedWeb = ReturnType<typeof composeWeb>;
