import { Router, type Request } from 'express';
import { z } from 'zod';
import { cancellationDeadline, describeCancellationPolicy } from '../../booking/cancellation-policy.js';
import { priceTable, startingPrice } from '../../catalog/grades.js';
import { findPerformances } from '../../catalog/search.js';
import { totalSeats } from '../../catalog/seats.js';
import { GENRES, type Performance } from '../../catalog/types.js';
import { DomainError } from '../../shared/errors.js';
import type { ApiDeps } from '../deps.js';
import { currentUser, parseInput, pathId } from '../http.js';
import type { PerformanceListResponse, ScheduleResponse } from '../contracts.js';

const listQuery = z.object({
  q: z.string().max(100).optional(),
  genre: z.enum(GENRES).optional(),
  date: z.iso.date().optional(),
});

export function catalogRoutes(deps: ApiDeps): Router {
  const router = Router();
  const performanceOr404 = async (req: Request): Promise<Performance> => {
    const performance = await deps.catalog.getPerformance(pathId(req));
    if (!performance) throw new DomainError('NOT_FOUND', 'No such performance.');
    return performance;
  };

  router.get('/v1/performances', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const found = await findPerformances(deps.catalog, query, deps.clock.now());
    // Each item names its venue, so a list page needs no call per performance (the catalog cache serves these).
    const venues = new Map(
      await Promise.all(
        [...new Set(found.map((p) => p.venueId))].map(async (v) => [v, await deps.catalog.getVenue(v)] as const),
      ),
    );
    res.json({
      performances: found.map((p) => ({
        ...p,
        startingPrice: startingPrice(p),
        venue: { id: p.venueId, name: venues.get(p.venueId)?.name },
      })),
    } satisfies PerformanceListResponse);
  });

  router.get('/v1/performances/:id', async (req, res) => {
    const performance = await performanceOr404(req);
    const venue = await deps.catalog.getVenue(performance.venueId);
    res.json({
      performance: { ...performance, startingPrice: startingPrice(performance) },
      venue: venue && { id: venue.id, name: venue.name, address: venue.address, totalSeats: totalSeats(venue) },
      priceTable: venue ? priceTable(performance, venue) : priceTable(performance),
      cancellationPolicy: {
        ko: describeCancellationPolicy(deps.cancellationPolicy, 'ko', performance.genre),
        en: describeCancellationPolicy(deps.cancellationPolicy, 'en', performance.genre),
      },
    });
  });

  router.get('/v1/performances/:id/schedules', async (req, res) => {
    const performance = await performanceOr404(req);
    res.json({ schedules: await deps.booking.schedulesWithAvailability(performance.id) });
  });

  router.get('/v1/venues/:id', async (req, res) => {
    const venue = await deps.catalog.getVenue(pathId(req));
    if (!venue) throw new DomainError('NOT_FOUND', 'No such venue.');
    res.json({ venue: { ...venue, totalSeats: totalSeats(venue) } });
  });

  router.get('/v1/schedules/:id', async (req, res) => {
    const schedule = await deps.catalog.getSchedule(pathId(req));
    if (!schedule) throw new DomainError('NOT_FOUND', 'No such show slot.');
    const answer: ScheduleResponse = {
      schedule,
      cancellationClosesAt: cancellationDeadline(deps.cancellationPolicy, schedule.startsAt),
    };
    res.json(answer);
  });

  router.get('/v1/schedules/:id/seats', async (req, res) => {
    res.json({ seatMap: await deps.booking.seatMap(pathId(req), currentUser(res)?.userId) });
  });

  return router;
}
