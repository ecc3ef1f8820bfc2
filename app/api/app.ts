import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { requestLog } from '../http/request-log.js';
import { DomainError } from '../shared/errors.js';
import type { ApiDeps } from './deps.js';
import { bearerToken, jsonErrors } from './http.js';
import { apiRequestListener, setApiHeaders, shedInExpress } from './load-shedding.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { assistantRoutes } from './routes/assistant.js';
import { authRoutes } from './routes/auth.js';
import { bookingRoutes } from './routes/bookings.js';
import { catalogRoutes } from './routes/catalog.js';
import { queueRoutes } from './routes/queues.js';
import { queueFastPaths } from './routes/queue-fast-paths.js';
import { seatViewRoutes } from './routes/seat-views.js';
import { systemRoutes } from './routes/system.js';
import { writeGuard } from './write-guard.js';

/** The API role: data, rules and (later) the assistant, as JSON. Built apart from `listen` so tests can mount it. */
export function createApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the web tier (a private address) calls the API; its X-Forwarded-For names the browser for rate limits.
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(requestLog(deps.log));
  app.use((_req, res, next) => {
    setApiHeaders(res, deps.region);
    next();
  });
  // Before the body parser: a shed join or poll costs no more than its refusal (when not already answered by
  // `createApiListener`, in front of Express).
  app.use(shedInExpress(deps.overload, deps.queue));
  app.use(queueFastPaths(deps));
  app.use(express.json({ limit: '16kb' }));
  app.use((req, _res, next) => {
    // A body the JSON parser skipped (text/plain, a form…) would otherwise reach the routes as "missing".
    const hasContent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
    if (hasContent && !req.is('application/json')) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'body: send it as application/json (UTF-8).');
    }
    next();
  });
  app.use(async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    res.locals.token = token;
    res.locals.user = await deps.accounts.authenticate(token);
    next();
  });
  const routers = [
    systemRoutes(deps),
    catalogRoutes(deps),
    seatViewRoutes(deps),
    authRoutes(deps),
    bookingRoutes(deps),
    queueRoutes(deps),
    assistantRoutes(deps),
  ];
  app.use(writeGuard(deps.writer));
  app.use(...routers);
  app.use(methodNotAllowed(routers));
  app.use(() => {
    throw new DomainError('NOT_FOUND', 'No such API route.');
  });
  app.use(jsonErrors(deps.log));
  return app;
}

/** The API as served: shed requests and ticket polls answered before Express (`apiRequestListener`), the rest by it. */
export function createApiListener(deps: ApiDeps): RequestListener {
  return apiRequestListener(createApiApp(deps), deps);
}
