import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueuePlaceResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import { QUEUE_TICKET_HEADER } from './queues.js';

/**
 * The waiting room's two hottest paths, mounted before authentication so a stampede costs no session read where it
 * need not: a join past the instance's in-flight limit is refused at once (429 + Retry-After), and a poll carrying a
 * genuine ticket is answered from the ticket and the cached queue state. Anything else falls through to the
 * authenticated routes.
 */
export function queueFastPaths(deps: ApiDeps): Router {
  const router = Router();

  router.put('/v1/queues/:id/entry', (_req: Request, res: Response, next: NextFunction) => {
    const release = deps.joinShedder.acquire();
    res.once('close', release);
    next();
  });

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
