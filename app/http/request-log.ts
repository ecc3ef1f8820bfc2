import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../shared/log.js';
import { runInRequest } from '../shared/request-context.js';
import { ttftMark, ttftMarkNewSocket } from '../shared/ttft-trace.js';

/** The header that carries a request's id from the web tier to the API, and back to the caller on every answer. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A forwarded id is kept only when it is short and plain, so it cannot forge or break a log line. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id (`requestLog`): in its log line, its `X-Request-Id` header and the API calls made for it. */
    id?: string;
  }
}

type Req = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

const LOGGED_ROUTE = Symbol('logged route');

/** The matched route pattern (`/v1/holds/:id/confirm`), not the path: ids stay out of the aggregated logs. */
export function routePattern(req: Req): string | undefined {
  return req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
}

/** For a response sent before the router ran (the web tier's shared-page fast path): the route it stands for. */
export function logRouteAs(res: ServerResponse, route: string | undefined): void {
  (res as ServerResponse & { [LOGGED_ROUTE]?: string })[LOGGED_ROUTE] = route;
}

/** The caller's `X-Request-Id` when it is plain, otherwise a new id. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && FORWARDED_ID.test(given) ? given : randomUUID();
}

function routeOf(req: Req, res: ServerResponse): string {
  return routePattern(req) ?? (res as ServerResponse & { [LOGGED_ROUTE]?: string })[LOGGED_ROUTE] ?? '(no route)';
}

/**
 * Logs each request once, when its response closes (sent, or the connection dropped), as one JSON line: `reqId`,
 * method, route, status, durationMs; level error for a 5xx. The id comes from `X-Request-Id` when the caller (the
 * web tier) sent a plain one, otherwise it is new; it is echoed in the response header and holds for everything run
 * on the request's behalf. A request seen twice (answered in front of Express, or handed on to it) keeps its first id
 * and line.
 *
 * Written directly on the process's pino logger: one listener and one `info` call per request. (pino-http, used
 * before, built two child loggers per request even when nothing was printed: ~7 % of a cached page's CPU.)
 */
export function requestLog(log: Log) {
  const logger = log.logger;
  // Only 5xx lines are printed at warn/error, nothing at silent: then no listener is needed at all.
  const logs = (level: 'info' | 'error') => logger !== undefined && logger.isLevelEnabled(level);
  return (req: Req, res: ServerResponse, next: () => void): void => {
    // Already logged in front of Express (`apiRequestListener` passed it on): one line per request, one id.
    if (req.id !== undefined) return next();
    const id = requestIdOf(req);
    req.id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    if (logs('error')) {
      const start = Date.now();
      res.once('close', () => {
        const level = res.statusCode >= 500 ? 'error' : 'info';
        if (!logs(level)) return;
        const line: Record<string, unknown> = {
          reqId: id,
          method: req.method,
          route: routeOf(req, res),
          status: res.statusCode,
          durationMs: Date.now() - start,
        };
        if (!res.writableFinished) line.aborted = true; // the connection closed before the response was sent
        logger![level](line, 'request');
      });
    }
    ttftMark('in', id);
    ttftMarkNewSocket(req.socket, 'newSocket', id);
    runInRequest({ requestId: id }, next);
  };
}
