import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import { DomainError } from '../shared/errors.js';
import type { LoadClass, OverloadGuard } from '../shared/overload-guard.js';
import { logRouteAs, REQUEST_ID_HEADER, requestIdOf, requestLog } from '../http/request-log.js';
import type { ApiDeps } from './deps.js';
import { claimBudgetRefusal, ticketPollAnswer } from './routes/queue-fast-paths.js';
import { QUEUE_TICKET_HEADER } from './routes/queues.js';

/**
 * The waiting room's request classes by method and path — the only requests the overload guard sheds: a join, a
 * waiter's poll (the entry or the queue's status), an admitted user's claim. Express matches paths case-insensitively
 * and with an optional trailing slash; so does this.
 */
const QUEUE_PATH = /^\/v1\/queues\/([^/?#]+)(\/entry|\/admission)?\/?(?:[?#]|$)/i;

/** The route pattern a waiting-room request answered in front of Express is logged under (ids stay out of logs). */
function queueRouteOf(url: string | undefined): string | undefined {
  const match = url === undefined ? null : QUEUE_PATH.exec(url);
  return match ? `/v1/queues/:id${match[2]?.toLowerCase() ?? ''}` : undefined;
}

export function loadClassOf(method: string | undefined, url: string | undefined): LoadClass | undefined {
  const match = url === undefined ? null : QUEUE_PATH.exec(url);
  if (!match) return undefined;
  const tail = match[2]?.toLowerCase();
  if (tail === '/entry') return method === 'PUT' ? 'join' : method === 'GET' ? 'poll' : undefined;
  if (tail === '/admission') return method === 'POST' ? 'claim' : undefined;
  return method === 'GET' ? 'poll' : undefined;
}

/** Set on a request that already holds a slot of its class, so the guard is consulted once per request. */
const ADMITTED = Symbol('admitted by the overload guard');
type Guarded = IncomingMessage & { [ADMITTED]?: true };

/** Whether a join to the event may yield to claims and polls (`QueueService.joinMayYield`: no I/O). */
type JoinMayYield = (eventId: string) => boolean;

/**
 * Takes a slot for the request's class (freed when the response closes), or returns the refusal. A join to a line too
 * short to admit from does not yield to claims and polls (`OverloadGuard.acquire`'s `mayYield`).
 */
function admit(
  guard: OverloadGuard,
  joinMayYield: JoinMayYield,
  req: Guarded,
  res: ServerResponse,
): DomainError | undefined {
  if (req[ADMITTED]) return undefined;
  const cls = loadClassOf(req.method, req.url);
  if (!cls) return undefined;
  try {
    const eventId = cls === 'join' ? decoded(QUEUE_PATH.exec(req.url!)![1]!) : undefined;
    const mayYield = eventId === undefined || joinMayYield(eventId);
    const release = guard.acquire(cls, { mayYield });
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
 * The API's request listener, for the stampede's commonest answers: a shed join, poll or claim is refused here, before
 * Express builds its request and response or runs a single middleware, with the answer `jsonErrors` would give
 * (status 429, `Retry-After`, `{ error: { code, message, details, requestId } }`, the API's headers and a request id);
 * a waiter's poll with a genuine ticket is answered here from the ticket and the cached queue state, and a released
 * waiter's claim refused for want of budget from the session, the ticket and that state (`claimBudgetRefusal`).
 * Everything else, and every request the guard admits that is not answered here, goes on to Express holding its
 * slot. Each request is logged once, as one JSON line, whoever answers it (`requestLog`: a request passed on keeps its
 * id and line).
 */
export function apiRequestListener(
  app: Express,
  deps: Pick<ApiDeps, 'overload' | 'region' | 'queue' | 'log' | 'accounts' | 'writer'>,
): RequestListener {
  const log = requestLog(deps.log);
  const joinMayYield: JoinMayYield = (eventId) => deps.queue.joinMayYield(eventId);
  return (req, res) => {
    const refusal = admit(deps.overload, joinMayYield, req, res);
    if (refusal) return log(req, res, () => refuse(req, res, refusal, deps.region));
    const ticket = req.headers[QUEUE_TICKET_HEADER];
    if (typeof ticket !== 'string') return void app(req, res);
    const poll = req.method === 'GET' ? TICKET_POLL.exec(req.url ?? '') : null;
    if (poll) {
      return log(req, res, () => {
        ticketPollAnswer(deps, decoded(poll[1]!), ticket).then(
          (answer) => {
            if (!answer) return app(req, res);
            logRouteAs(res, queueRouteOf(req.url));
            sendJson(res, 200, answer, deps.region);
          },
          // An unexpected failure (the queue state unreadable): Express answers it as it would any request.
          () => void app(req, res),
        );
      });
    }
    const claim = req.method === 'POST' && !hasBody(req) ? CLAIM.exec(req.url ?? '') : null;
    if (!claim) return void app(req, res);
    log(req, res, () => {
      claimBudgetRefusal(deps, decoded(claim[1]!), ticket, req.headers.authorization).then(
        (budget) => (budget ? refuse(req, res, budget, deps.region) : app(req, res)),
        () => void app(req, res),
      );
    });
  };
}

/** `GET /v1/queues/:id/entry`, as Express would match it: the event id (still URL-encoded). */
const TICKET_POLL = /^\/v1\/queues\/([^/?#]+)\/entry\/?(?:[?#]|$)/i;
/** `POST /v1/queues/:id/admission`, likewise. */
const CLAIM = /^\/v1\/queues\/([^/?#]+)\/admission\/?(?:[?#]|$)/i;

/** A request with a body goes to Express, whose body parser and media-type check answer it. */
const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: DomainError, region: string): void {
  logRouteAs(res, queueRouteOf(req.url));
  const requestId = req.id ?? requestIdOf(req);
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
export function shedInExpress(guard: OverloadGuard, queue: Pick<ApiDeps['queue'], 'joinMayYield'>) {
  const joinMayYield: JoinMayYield = (eventId) => queue.joinMayYield(eventId);
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = admit(guard, joinMayYield, req, res);
    if (refusal) throw refusal;
    next();
  };
}
