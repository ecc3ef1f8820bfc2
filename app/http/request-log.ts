import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Log } from '../shared/log.js';
import { runInRequest } from '../shared/request-context.js';

/** The header that carries a request's id from the web tier to the API, and back to the caller on every answer. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A forwarded id is kept only when it is short and plain, so it cannot forge or break a log line. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Req = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

/** The matched route pattern (`/v1/holds/:id/confirm`), not the path: ids stay out of the aggregated logs. */
function routeOf(req: Req): string {
  return req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : '(no route)';
}

/**
 * Logs each request once, when it ends, as one JSON line: `reqId`, method, route, status, durationMs (pino-http;
 * level error for a 5xx). The id comes from `X-Request-Id` when the caller (the web tier) sent a plain one, otherwise
 * it is new; it is echoed in the response header and holds for everything run on the request's behalf.
 */
export function requestLog(log: Log) {
  const line = (req: Req, res: ServerResponse, base: { responseTime: number }) => ({
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    durationMs: base.responseTime,
  });
  const http = pinoHttp<Req, ServerResponse>({
    logger: log.logger ?? pino({ enabled: false }),
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && FORWARDED_ID.test(given) ? given : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    quietReqLogger: true,
    quietResLogger: true,
    // With both loggers quiet the one line per request comes from `line` below, and the `req` binding pino-http puts
    // on its per-request child logger is never printed: skip serialising it (a measurable share of a cached page's
    // CPU in bench:pages).
    wrapSerializers: false,
    serializers: { req: () => undefined },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, base) => line(req, res, base),
    customErrorObject: (req, res, _error, base) => line(req, res, base),
  });
  return (req: Req, res: ServerResponse, next: () => void): void =>
    http(req, res, () => runInRequest({ requestId: String(req.id) }, next));
}
