import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueuePlaceResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import { QUEUE_TICKET_HEADER } from './queues.js';

/**
 * The waiting room's hottest path, mounted before the body parser and authentication (and after the overload guard,
 * `load-shedding.ts`, which has already given the request a slot or refused it): a poll carrying a genuine ticket is
 * answered from the ticket and the cached queue state, with no DynamoDB read. Anything else falls through to the
 * authenticated routes.
 */
export function queueFastPaths(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/queues/:id/entry', async (req: Request, res: Response, next: NextFunction) => {
    const ticket = req.get(QUEUE_TICKET_HEADER);
    const eventId = id.safeParse(req.params.id);
    if (!ticket || ticket.length > 1024 || !eventId.success) return next();
    const place = await deps.queue.placeByTicket(eventId.data, ticket);
    if (!place) return next();
    res.json({ place } satisfies QueuePlaceResponse);
  });

  return router;
}
