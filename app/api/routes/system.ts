import { Router } from 'express';
import { HEALTH_PATH } from '../../shared/load-balancing.js';
import type { DrStatusResponse, HealthResponse } from '../contracts.js';
import type { ApiDeps } from '../deps.js';

export function systemRoutes(deps: ApiDeps): Router {
  const router = Router();

  /** Liveness: the process answers. It never touches DynamoDB, so a DynamoDB hiccup cannot trigger a failover. */
  router.get(HEALTH_PATH, (_req, res) => {
    res.json({ status: 'ok', role: 'api', region: deps.region } satisfies HealthResponse);
  });

  /** Readiness: the data plane is reachable from this instance. */
  router.get('/health/ready', async (_req, res) => {
    try {
      await deps.ready();
      res.json({ status: 'ready', region: deps.region });
    } catch (error) {
      deps.log('readiness check failed', error);
      res.status(503).json({ status: 'unavailable', region: deps.region });
    }
  });

  router.get('/v1/dr', async (_req, res) => {
    const state = await deps.drState.current();
    const { writer, writerRegion, acceptsWrites } = await deps.writer.status(state);
    res.json({
      region: deps.region,
      active: state.active,
      since: state.since,
      graceUntil: state.active && state.since !== undefined ? state.since + deps.drGraceMs : undefined,
      failbackStartedAt: state.failbackStartedAt,
      writer,
      writerRegion,
      acceptsWrites,
    } satisfies DrStatusResponse);
  });

  return router;
}
