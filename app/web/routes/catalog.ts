import { Router } from 'express';
import type { PerformanceListResponse } from '../../api/contracts.js';
import { posterSvg } from '../../catalog/poster.js';
import { GENRES } from '../../catalog/types.js';
import { ApiError } from '../api-client.js';
import { calendarMonth } from '../calendar.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { versionOf } from '../shared-pages.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function catalogPages(deps: WebDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const params = new URLSearchParams();
    for (const key of ['q', 'genre', 'date'] as const) {
      const value = req.query[key];
      if (typeof value === 'string' && value !== '') params.set(key, value.slice(0, 100));
    }
    let listing: PerformanceListResponse = { performances: [] };
    let message: string | undefined;
    let status = 200;
    try {
      listing = await deps.reads.performances(params);
    } catch (error) {
      // A bad filter (unknown genre, impossible date) is the visitor's mistake: say so on the page, not a 500.
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      message = errorView(error, res.locals.fmt).message;
      status = 400;
    }
    deps.render.page(
      req,
      res,
      'home',
      { performances: listing.performances, query: Object.fromEntries(params), genres: GENRES, message },
      { status, fragments: { results: 'partials/catalog-results' }, shared: versionOf(listing) },
    );
  });

  router.get('/performances/:id', async (req, res) => {
    const date = typeof req.query.date === 'string' && ISO_DATE.test(req.query.date) ? req.query.date : undefined;
    const [detail, schedules] = await Promise.all([
      deps.reads.performance(req.params.id),
      deps.reads.calendar(req.params.id, date),
    ]);
    const { calendar } = schedules;
    const month = calendar.date ? calendarMonth(calendar.days, calendar.date) : undefined;
    deps.render.page(
      req,
      res,
      'performance',
      { ...detail, calendar, month },
      { fragments: { 'schedule-picker': 'partials/schedule-picker' }, shared: versionOf(detail, schedules) },
    );
  });

  router.get('/posters/:file', async (req, res) => {
    const id = /^([A-Za-z0-9_.-]{1,120})\.svg$/.exec(req.params.file)?.[1];
    if (!id) throw new ApiError(404, 'NOT_FOUND', 'No such poster.');
    const { performance } = await deps.reads.performance(id).catch((error: unknown) => {
      throw error instanceof ApiError && error.status === 400
        ? new ApiError(404, 'NOT_FOUND', 'No such poster.')
        : error;
    });
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(posterSvg(performance, res.locals.locale));
  });

  return router;
}
