import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AdmissionResponse, QueuePlaceResponse, QueueStatusResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { limit, parseInput, pathId, requireUser } from '../http.js';

/** The signed place a poll may present instead of a DynamoDB read (see queue/queue-ticket.ts). */
export const QUEUE_TICKET_HEADER = 'x-queue-ticket';
const ticket = z.string().max(1024).optional();
const ticketOf = (req: Request) => parseInput(ticket, req.get(QUEUE_TICKET_HEADER), 'header');

/** The waiting room: public status and lottery commitment, join (idempotent), poll, claim an admission. */
export function queueRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/queues/:id', async (req, res) => {
    res.json({ queue: await deps.queue.status(pathId(req)) } satisfies QueueStatusResponse);
  });

  /** PUT: joining is idempotent per account; a repeat returns the same place. */
  router.put('/v1/queues/:id/entry', async (req, res) => {
    const user = requireUser(res);
    const eventId = pathId(req);
    limit(deps.limits.joins, `joins:${user.userId}`);
    // Past the instance's in-flight limit the join was already refused before authentication (queue-fast-paths.ts).
    const joined = await deps.queue.join(user.userId, eventId, ticketOf(req));
    res.json(joined satisfies QueuePlaceResponse);
  });

  router.get('/v1/queues/:id/entry', async (req, res) => {
    const user = requireUser(res);
    const eventId = pathId(req);
    const answer = await deps.queue.place(user.userId, eventId, ticketOf(req));
    res.json(answer satisfies QueuePlaceResponse);
  });

  router.post('/v1/queues/:id/admission', async (req, res) => {
    const user = requireUser(res);
    const eventId = pathId(req);
    const admission = await deps.queue.claim(user.userId, eventId, ticketOf(req));
    res.status(201).json({ admission } satisfies AdmissionResponse);
  });

  return router;
}
