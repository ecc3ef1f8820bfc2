import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { requestLog } from '../http/request-log.js';
import { ApiError } from './api-client.js';
import type { WebDeps } from './deps.js';
import { drStatus } from './dr-status.js';
import { errorView, isRefusal } from './errors.js';
import { HX, isHtmxRequest } from './htmx.js';
import { localeOf } from './i18n.js';
import { assistantStatus } from './assistant-status.js';
import { accountPages } from './routes/accounts.js';
import { assistantPages } from './routes/assistant.js';
import { catalogPages } from './routes/catalog.js';
import { healthRoutes } from './routes/health.js';
import { holdPages } from './routes/holds.js';
import { reservationPages } from './routes/reservations.js';
import { seatMapPages } from './routes/seat-map.js';
import { waitingRoomPages } from './routes/waiting-room.js';
import { securityHeaders } from './security.js';
import { redirectToLogin } from './session.js';
import { HEALTH_PATH } from '../shared/load-balancing.js';
import { viewHelpers } from './view-helpers.js';

/** The web role: HTML pages enhanced with htmx. It reaches data only through the API client. */
export function createWebApp(deps: WebDeps): Express {
  const app = express();
  const helpers = { ko: viewHelpers('ko', deps.messages.ko), en: viewHelpers('en', deps.messages.en) };
  app.disable('x-powered-by');
  // Pages carry per-visitor CSRF tokens, so an ETag would never match; hashing 250 KB per response is wasted work.
  app.set('etag', false);
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(requestLog(deps.log));
  app.use(securityHeaders({ hsts: deps.cookieSecure }));
  // gzip/brotli for HTML; never for server-sent events, which must reach the browser as they are written. Mounted
  // after the shared-page fast path, whose pages are compressed once for every visitor (shared-pages.ts), and in
  // front of everything else that answers.
  const compress = compression({
    filter: (req, res) => !/event-stream/.test(String(res.getHeader('Content-Type'))) && compression.filter(req, res),
  });

  app.use([HEALTH_PATH, '/assets'], compress);
  app.use(healthRoutes(deps));
  app.use('/assets/htmx', express.static(deps.htmxDir, { maxAge: '1d', index: false }));
  app.use('/assets', express.static(deps.publicDir, { maxAge: '1h', index: false }));

  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
  app.use((req, res, next) => {
    const locale = localeOf(req, res);
    const fmt = helpers[locale];
    res.locals.locale = locale;
    res.locals.fmt = fmt;
    res.locals.t = fmt.t;
    res.locals.region = deps.region;
    res.locals.regionName = fmt.t(`region.${deps.region}`);
    next();
  });
  app.use(deps.csrf.issueTokens);
  app.use(drStatus(deps.api));
  app.use(assistantStatus(deps.api));
  // Everything a shared page is kept under is known here: an anonymous GET of a page confirmed a moment ago is
  // answered now, without compression's hooks, the session lookup or the routers (render.ts).
  app.use(deps.render.sharedPageFastPath);
  app.use(compress);
  app.use(deps.csrf.verifyTokens);
  app.use(deps.users.middleware);

  app.use(catalogPages(deps), seatMapPages(deps), holdPages(deps), reservationPages(deps), accountPages(deps));
  app.use(waitingRoomPages(deps));
  app.use(assistantPages(deps));

  app.use((req: Request, res: Response) => {
    renderError(deps, req, res, 404, res.locals.t('error.notFound'));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (!res.locals.fmt) res.locals.fmt = helpers.ko;
    const fmt = res.locals.fmt as (typeof helpers)['ko'];
    if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
      renderError(deps, req, res, 403, fmt.t('error.csrf'));
      return;
    }
    if (error instanceof ApiError) {
      if (error.status === 401) {
        redirectToLogin(req, res, req.method === 'GET' ? req.originalUrl : (req.get('referer') ?? '/'));
        return;
      }
      const view = errorView(error, fmt);
      if (isRefusal(error)) {
        renderError(deps, req, res, view.status, view.status === 404 ? fmt.t('error.notFound') : view.message);
        return;
      }
      if (view.status === 503) {
        // The API did not answer, or shed the request: logged as a failure, but the page says "try again shortly"
        // with its 503 rather than "something broke" (a 500 would also tell clients a write may have failed here).
        deps.log('web request failed', error, { reqId: String(req.id) });
        renderError(deps, req, res, 503, view.message);
        return;
      }
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      renderError(deps, req, res, status, fmt.t('error.badRequest'));
      return;
    }
    deps.log('web request failed', error, { reqId: String(req.id) });
    renderError(deps, req, res, 500, fmt.t('error.server'));
  });
  return app;
}

/** The error page; an htmx request gets it swapped into the main region whatever it targeted. */
function renderError(deps: WebDeps, req: Request, res: Response, status: number, message: string): void {
  if (isHtmxRequest(req)) res.setHeader(HX.retarget, '#main').setHeader(HX.reswap, 'innerHTML');
  res.setHeader('Cache-Control', 'no-store');
  deps.render.page(req, res, 'error', { message, status }, { status });
}
