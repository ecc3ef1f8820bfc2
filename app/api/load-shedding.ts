import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import { DomainError } from '../shared/errors.js';
import type { LoadClass, OverloadGuard } from '../shared/overload-guard.js';
import { REQUEST_ID_HEADER, requestIdOf, requestLog } from '../http/request-log.js';
import type { ApiDeps } from './deps.js';
import { ticketPollAnswer } from './routes/queue-fast-paths.js';
import { QUEUE_TICKET_HEADER } from './routes/queues.js';

/**
 * The waiting room's request classes by method and path — the only requests the overload guard sheds: a join, a
 * waiter's poll (the entry or the queue's status), an admitted user's claim. Express matches paths case-insensitively
 * and with an optional trailing slash; so does this.
 */
const QUEUE_PATH = /^\/v1\/queues\/[^/?#]+(\/entry|\/admission)?\/?(?:[?#]|$)/i;

export function loadClassOf(method: string | undefined, url: string | undefined): LoadClass | undefined {
  const match = url === undefined ? null : QUEUE_PATH.exec(url);
  if (!match) return undefined;
  const tail = match[1]?.toLowerCase();
  if (tail === '/entry') return method === 'PUT' ? 'join' : method === 'GET' ? 'poll' : undefined;
  if (tail === '/admission') return method === 'POST' ? 'claim' : undefined;
  return method === 'GET' ? 'poll' : undefined;
}

/** Set on a request that already holds a slot of its class, so the guard is consulted once per request. */
const ADMITTED = Symbol('admitted by the overload guard');
type Guarded = IncomingMessage & { [ADMITTED]?: true };

/** Takes a slot for the request's class (freed when the response closes), or returns the refusal. */
function admit(guard: OverloadGuard, req: Guarded, res: ServerResponse): DomainError | undefined {
  if (req[ADMITTED]) return undefined;
  const cls = loadClassOf(req.method, req.url);
  if (!cls) return undefined;
  try {
    const release = guard.acquire(cls);
    req[ADMITTED] = true;
    res.once('close', release);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/** The headers every API answer carries (set in Express by `createApiApp` too). */
export function setApiHeaders(res: ServerResponse, region: string): void {
  res.setHeader('X-Api-Region', region);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * The API's request listener, for the stampede's two commonest answers: a shed join, poll or claim is refused here,
 * before Express builds its request and response or runs a single middleware, with the answer `jsonErrors` would give
 * (status 429, `Retry-After`, `{ error: { code, message, details, requestId } }`, the API's headers and a request id);
 * a waiter's poll with a genuine ticket is answered here from the ticket and the cached queue state (logged like any
 * request). Everything else, and every request the guard admits that is not such a poll, goes on to Express holding
 * its slot. Shed requests are not logged one by one: a storm of them would be a storm of log lines.
 */
export function apiRequestListener(
  app: Express,
  deps: Pick<ApiDeps, 'overload' | 'region' | 'queue' | 'log'>,
): RequestListener {
  const log = requestLog(deps.log);
  return (req, res) => {
    const refusal = admit(deps.overload, req, res);
    if (refusal) return refuse(req, res, refusal, deps.region);
    const poll = TICKET_POLL.exec(req.url ?? '');
    const ticket = req.headers[QUEUE_TICKET_HEADER];
    if (req.method !== 'GET' || !poll || typeof ticket !== 'string') return void app(req, res);
    log(req, res, () => {
      ticketPollAnswer(deps, decoded(poll[1]!), ticket).then(
        (answer) => {
          if (answer) sendJson(res, 200, answer, deps.region);
          else app(req, res);
        },
        // An unexpected failure (the queue state unreadable): Express answers it as it would any request.
        () => void app(req, res),
      );
    });
  };
}

/** `GET /v1/queues/:id/entry`, as Express would match it: the event id (still URL-encoded). */
const TICKET_POLL = /^\/v1\/queues\/([^/?#]+)\/entry\/?(?:[?#]|$)/i;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: DomainError, region: string): void {
  const requestId = requestIdOf(req);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.setHeader('Retry-After', String(refusal.details?.retryAfter ?? 60));
  const { code, message, details } = refusal;
  sendJson(res, refusal.status, { error: { code, message, details, requestId } }, region);
}

function sendJson(res: ServerResponse, status: number, answer: unknown, region: string): void {
  const body = JSON.stringify(answer);
  res.statusCode = status;
  setApiHeaders(res, region);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * The same decision inside Express, for an app mounted without `apiRequestListener` (tests serving `createApiApp`
 * alone): a request the listener already admitted passes straight through.
 */
export function shedInExpress(guard: OverloadGuard) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = admit(guard, req, res);
    if (refusal) throw refusal;
    next();
  };
}
