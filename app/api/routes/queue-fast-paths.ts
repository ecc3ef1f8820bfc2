import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueuePlaceResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
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
