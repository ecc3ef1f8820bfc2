import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import { limit, parseInput, pathId, requireUser } from '../http.js';

/** Only seat ids are read: any price or total a client sends is dropped here and never reaches the domain. */
const holdBody = z.object({
  scheduleId: id,
  seatIds: z.array(z.string().max(64)).max(50, 'Choose at most 4 seats.'),
});
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).optional(),
  cursor: z.string().max(1000).optional(),
});

export function bookingRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/v1/holds', async (req, res) => {
    const user = requireUser(res);
    limit(deps.limits.holds, `holds:${user.userId}`);
    const { scheduleId, seatIds } = parseInput(holdBody, req.body, 'body');
    res.status(201).json({ hold: await deps.booking.hold(user.userId, scheduleId, seatIds) });
  });

  router.get('/v1/holds/:id', async (req, res) => {
    res.json({ hold: await deps.booking.getHold(requireUser(res).userId, pathId(req)) });
  });

  router.delete('/v1/holds/:id', async (req, res) => {
    await deps.booking.release(requireUser(res).userId, pathId(req));
    res.status(204).end();
  });

  router.post('/v1/holds/:id/confirm', async (req, res) => {
    const reservation = await deps.booking.confirm(requireUser(res).userId, pathId(req));
    res.status(201).json({ reservation });
  });

  router.get('/v1/reservations', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    res.json(await deps.booking.myReservations(requireUser(res).userId, query));
  });

  router.get('/v1/reservations/:id', async (req, res) => {
    res.json({
      reservation: await deps.booking.getReservation(requireUser(res).userId, pathId(req)),
    });
  });

  router.get('/v1/reservations/:id/cancellation-quote', async (req, res) => {
    res.json(await deps.booking.quote(requireUser(res).userId, pathId(req)));
  });

  router.post('/v1/reservations/:id/cancel', async (req, res) => {
    const reservation = await deps.booking.cancel(requireUser(res).userId, pathId(req));
    res.json({ reservation });
  });

  return router;
}
