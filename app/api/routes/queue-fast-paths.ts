import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueuePlaceResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import type { LoadClass } from '../../shared/overload-guard.js';
import { QUEUE_TICKET_HEADER } from './queues.js';

/**
 * The waiting room's hottest paths, mounted first so a stampede costs as little as possible: each join, poll and
 * claim takes a slot of its class from the instance's overload guard or is refused at once (429 + Retry-After) —
 * before the body parser, authentication or any DynamoDB call; new joins are shed first, an admitted user's claim
 * last. A poll carrying a genuine ticket is then answered from the ticket and the cached queue state. Anything else
 * falls through to the authenticated routes.
 */
export function queueFastPaths(deps: ApiDeps): Router {
  const router = Router();
  const guarded = (cls: LoadClass) => (_req: Request, res: Response, next: NextFunction) => {
    const release = deps.overload.acquire(cls);
    res.once('close', release);
    next();
  };

  router.put('/v1/queues/:id/entry', guarded('join'));
  router.post('/v1/queues/:id/admission', guarded('claim'));
  router.get('/v1/queues/:id', guarded('poll'));
  router.get('/v1/queues/:id/entry', guarded('poll'), async (req: Request, res: Response, next: NextFunction) => {
    const ticket = req.get(QUEUE_TICKET_HEADER);
    const eventId = id.safeParse(req.params.id);
    if (!ticket || ticket.length > 1024 || !eventId.success) return next();
    const place = await deps.queue.placeByTicket(eventId.data, ticket);
    if (!place) return next();
    res.json({ place } satisfies QueuePlaceResponse);
  });

  return router;
}
