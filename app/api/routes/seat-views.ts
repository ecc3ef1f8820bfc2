import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { MAX_SEATS_PER_HOLD } from '../../booking/pricing.js';
import type {
  RecommendationsResponse,
  ScheduleCalendarResponse,
  SeatLayoutResponse,
  SeatOverlayResponse,
} from '../contracts.js';
import type { ApiDeps } from '../deps.js';
import { currentUser, parseInput, pathId } from '../http.js';

const calendarQuery = z.object({ date: z.iso.date().optional() });
const recommendationQuery = z.object({
  count: z.coerce.number().int().min(1).max(MAX_SEATS_PER_HOLD),
  grade: z
    .string()
    .regex(/^[A-Z]{1,4}$/, 'not a grade code')
    .optional(),
});

/**
 * Read endpoints behind the booking pages, shaped for SPEC §8: a static layout per performance (cacheable), a
 * compact seat-state overlay with an ETag (unchanged → 304), a per-day schedule summary, and best-available
 * recommendations. Seat state comes from the booking service's shared per-slot view cache, never from a read per
 * viewer.
 */
export function seatViewRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/performances/:id/calendar', async (req, res) => {
    const { date } = parseInput(calendarQuery, req.query, 'query');
    const calendar = await deps.booking.calendar(pathId(req), date);
    res.json({ calendar } satisfies ScheduleCalendarResponse);
  });

  router.get('/v1/performances/:id/seat-layout', async (req, res) => {
    const body = JSON.stringify({
      layout: await deps.booking.seatLayout(pathId(req)),
    } satisfies SeatLayoutResponse);
    // Catalog data: clients may keep it for a while and revalidate by ETag.
    sendWithEtag(req, res, body, `"l.${digest(body)}"`, 'public, max-age=60');
  });

  router.get('/v1/schedules/:id/seat-state', async (req, res) => {
    const overlay = await deps.booking.seatOverlay(pathId(req), currentUser(res)?.userId);
    const etag = `"s.${overlay.version}.${digest(overlay.mine.join(','))}"`;
    if (req.get('if-none-match') === etag) {
      res.setHeader('ETag', etag).setHeader('Cache-Control', 'private, no-cache').status(304).end();
      return;
    }
    sendWithEtag(req, res, JSON.stringify({ overlay } satisfies SeatOverlayResponse), etag, 'private, no-cache');
  });

  router.get('/v1/schedules/:id/recommendations', async (req, res) => {
    const { count, grade } = parseInput(recommendationQuery, req.query, 'query');
    const options = await deps.booking.recommend(pathId(req), count, grade);
    res.json({ options } satisfies RecommendationsResponse);
  });

  return router;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 12);
}

function sendWithEtag(req: Request, res: Response, body: string, etag: string, cacheControl: string): void {
  res.setHeader('ETag', etag).setHeader('Cache-Control', cacheControl);
  if (req.get('if-none-match') === etag) {
    res.status(304).end();
    return;
  }
  res.type('json').send(body);
}
