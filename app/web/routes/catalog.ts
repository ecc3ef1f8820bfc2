import { Router } from 'express';
import { posterSvg } from '../../catalog/poster.js';
import type { Performance } from '../../catalog/types.js';
import type { WebDeps } from '../deps.js';

type Listed = Performance & { startingPrice?: number };

export function catalogPages(deps: WebDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const params = new URLSearchParams();
    for (const key of ['q', 'genre', 'date'] as const) {
      const value = req.query[key];
      if (typeof value === 'string' && value !== '') params.set(key, value);
    }
    const { performances } = await deps.api.get<{ performances: Listed[] }>(`/v1/performances?${params}`);
    deps.render.page(req, res, 'home', { performances, query: Object.fromEntries(params) });
  });

  router.get('/posters/:id.svg', async (req, res) => {
    const { performance } = await deps.api.get<{ performance: Performance }>(
      `/v1/performances/${encodeURIComponent(req.params.id)}`,
    );
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(posterSvg(performance, res.locals.locale));
  });

  return router;
}
