import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ApiError } from './api-client.js';
import type { WebDeps } from './deps.js';
import { loadMessages, localeOf } from './i18n.js';
import { drStatus } from './dr-status.js';
import { catalogPages } from './routes/catalog.js';
import { healthRoutes } from './routes/health.js';
import { securityHeaders } from './security.js';

/** The web role: HTML pages enhanced with htmx. It reaches data only through the API client. */
export function createWebApp(deps: WebDeps): Express {
  const app = express();
  const messages = loadMessages(deps.viewsDir);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(securityHeaders({ hsts: deps.cookieSecure }));

  app.use(healthRoutes(deps));
  app.use('/assets', express.static(deps.publicDir, { maxAge: '1h', index: false }));
  app.use('/assets/htmx', express.static(deps.htmxDir, { maxAge: '1d', index: false }));

  app.use((req, res, next) => {
    const locale = localeOf(req, res);
    const t = messages[locale];
    res.locals.locale = locale;
    res.locals.t = (key: string) => t[key] ?? key;
    res.locals.region = deps.region;
    res.locals.regionName = t[`region.${deps.region}`] ?? deps.region;
    res.locals.path = req.path;
    next();
  });
  app.use(drStatus(deps.api));

  app.use(catalogPages(deps));

  app.use((req: Request, res: Response) => {
    deps.render.page(req, res, 'error', { message: res.locals.t('error.notFound'), status: 404 }, 404);
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = error instanceof ApiError && error.status === 404 ? 404 : 500;
    if (status === 500) deps.log('web request failed', error);
    const message = res.locals.t?.(status === 404 ? 'error.notFound' : 'error.server') ?? 'Error';
    deps.render.page(req, res, 'error', { message, status }, status);
  });
  return app;
}
