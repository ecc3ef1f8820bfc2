import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueuePlaceResponse } from '../contracts.js';
import type { DomainError } from '../../shared/errors.js';
import type { ApiDeps } from '../deps.js';
import { bearerToken } from '../http.js';
import { idSchema as id } from '../inputs.js';
import { QUEUE_TICKET_HEADER } from './queues.js';

/**
 * A waiter's poll answered from its signed ticket and the cached queue state alone (no session, no DynamoDB read), or
 * undefined when the ticket is missing, malformed or not genuine for this event, or the place needs the entry to be
 * told: the request then goes on to the authenticated route.
 */
export async function ticketPollAnswer(
  deps: Pick<ApiDeps, 'queue'>,
  rawEventId: unknown,
  ticket: string | undefined,
): Promise<QueuePlaceResponse | undefined> {
  const eventId = id.safeParse(rawEventId);
  if (!ticket || ticket.length > 1024 || !eventId.success) return undefined;
  const place = await deps.queue.placeByTicket(eventId.data, ticket);
  return place && { place };
}

/**
 * A claim refused for want of budget, told before Express from the signed ticket, the cached queue state and the
 * session (cached per instance): the same refusal `POST /v1/queues/:id/admission` would give, with nothing read from or
 * written to the queue's table. Undefined whenever the claim could be answered otherwise — budget left, a place not yet
 * released, a ticket missing, malformed or not for this event, no or unknown session or not the ticket's account, the
 * region not taking writes — and the request then goes on to Express, which checks it all again. The session is read
 * only for a refusal: a claim with budget left costs a ticket check here and nothing more.
 */
export async function claimBudgetRefusal(
  deps: Pick<ApiDeps, 'queue' | 'accounts' | 'writer'>,
  rawEventId: unknown,
  ticket: string | undefined,
  authorization: string | undefined,
): Promise<DomainError | undefined> {
  const eventId = id.safeParse(rawEventId);
  if (!ticket || ticket.length > 1024 || !eventId.success) return undefined;
  const budget = await deps.queue.budgetRefusal(eventId.data, ticket);
  if (!budget) return undefined;
  const user = await deps.accounts.authenticate(bearerToken(authorization));
  if (user?.userId !== budget.userId) return undefined;
  try {
    await deps.writer.assertMayWrite();
  } catch {
    return undefined;
  }
  return budget.refusal;
}

/**
 * The waiting room's hottest path inside Express, mounted before the body parser and authentication (and after the
 * overload guard, which has already given the request a slot or refused it). The served API answers these polls in
 * front of Express (`apiRequestListener`); this route serves an app mounted alone, and a poll the listener passed on.
 */
export function queueFastPaths(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/queues/:id/entry', async (req: Request, res: Response, next: NextFunction) => {
    const answer = await ticketPollAnswer(deps, req.params.id, req.get(QUEUE_TICKET_HEADER));
    if (!answer) return next();
    res.json(answer);
  });
  return router;
}
