import { Router } from 'express';
import { z } from 'zod';
import type { AdmissionResponse, QueuePlaceResponse, QueueStatusResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import { limit, parseInput, requireUser } from '../http.js';

/** The signed place a poll may present instead of a DynamoDB read (see queue/queue-ticket.ts). */
export const QUEUE_TICKET_HEADER = 'x-queue-ticket';
const ticket = z.string().max(1024).optional();

/** The waiting room: public status and lottery commitment, join (idempotent), poll, claim an admission. */
export function queueRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/queues/:eventId', async (req, res) => {
    res.json({ queue: await deps.queue.status(parseInput(id, req.params.eventId)) } satisfies QueueStatusResponse);
  });

  /** PUT: joining is idempotent per account; a repeat returns the same place. */
  router.put('/v1/queues/:eventId/entry', async (req, res) => {
    const user = requireUser(res);
    const eventId = parseInput(id, req.params.eventId);
    limit(deps.limits.joins, `joins:${user.userId}`);
    // Past the instance's in-flight limit the join was already refused before authentication (queue-fast-paths.ts).
    const joined = await deps.queue.join(user.userId, eventId, parseInput(ticket, req.get(QUEUE_TICKET_HEADER)));
    res.json(joined satisfies QueuePlaceResponse);
  });

  router.get('/v1/queues/:eventId/entry', async (req, res) => {
    const user = requireUser(res);
    const eventId = parseInput(id, req.params.eventId);
    const answer = await deps.queue.place(user.userId, eventId, parseInput(ticket, req.get(QUEUE_TICKET_HEADER)));
    res.json(answer satisfies QueuePlaceResponse);
  });

  router.post('/v1/queues/:eventId/admission', async (req, res) => {
    const user = requireUser(res);
    const eventId = parseInput(id, req.params.eventId);
    const admission = await deps.queue.claim(user.userId, eventId, parseInput(ticket, req.get(QUEUE_TICKET_HEADER)));
    res.status(201).json({ admission } satisfies AdmissionResponse);
  });

  return router;
}
