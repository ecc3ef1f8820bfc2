import express, { type Express } from 'express';
import { DomainError } from '../shared/errors.js';
import type { ApiDeps } from './deps.js';
import { jsonErrors } from './http.js';
import { assistantRoutes } from './routes/assistant.js';
import { authRoutes } from './routes/auth.js';
import { bookingRoutes } from './routes/bookings.js';
import { catalogRoutes } from './routes/catalog.js';
import { systemRoutes } from './routes/system.js';

/** The API role: data, rules and (later) the assistant, as JSON. Built apart from `listen` so tests can mount it. */
export function createApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the web tier (a private address) calls the API; its X-Forwarded-For names the browser for rate limits.
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use((_req, res, next) => {
    res.setHeader('X-Api-Region', deps.region);
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: '16kb' }));
  app.use(async (req, res, next) => {
    const header = req.get('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    res.locals.token = token;
    res.locals.user = await deps.accounts.authenticate(token);
    next();
  });
  app.use(systemRoutes(deps), catalogRoutes(deps), authRoutes(deps), bookingRoutes(deps));
  app.use(assistantRoutes(deps));
  app.use(() => {
    throw new DomainError('NOT_FOUND', 'No such API route.');
  });
  app.use(jsonErrors(deps.log));
  return app;
}
