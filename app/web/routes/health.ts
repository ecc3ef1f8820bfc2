import { Router } from 'express';
import { DEEP_HEALTH_API_TIMEOUT_MS, DEEP_HEALTH_PATH, HEALTH_PATH } from '../../shared/load-balancing.js';
import { ApiClient } from '../api-client.js';

interface Probe {
  readonly ok: boolean;
  readonly body: Record<string, unknown>;
}

/**
 * Health of the web tier. `/health` is this process only (target-group health). `/health/deep` is what Route53 checks:
 * this web process answers and its region-local API answers its own liveness path within 1 s, from the same region.
 * Neither touches DynamoDB. The deep probe runs at most once per second per instance however many checkers (or
 * strangers) ask, so it cannot be used to load the API.
 */
export function healthRoutes(deps: { api: ApiClient; region: string }, cacheMs = 1000): Router {
  const router = Router();
  const api = new ApiClient(deps.api.baseUrl, DEEP_HEALTH_API_TIMEOUT_MS);
  let last: { at: number; probe: Promise<Probe> } | undefined;

  const probe = async (): Promise<Probe> => {
    const base = { role: 'web', region: deps.region };
    try {
      const answer = await api.health();
      // An API of another region means this web tier is wired to the wrong NLB: never report that as healthy.
      if (answer.status !== 'ok' || answer.region !== deps.region) {
        return { ok: false, body: { ...base, status: 'unavailable', reason: 'api-mismatch', api: answer } };
      }
      return { ok: true, body: { ...base, status: 'ok', api: { status: 'ok', region: answer.region } } };
    } catch {
      // No error text in a public answer: operators read the web tier's log and the API's own health.
      return { ok: false, body: { ...base, status: 'unavailable', reason: 'api-unreachable' } };
    }
  };

  router.get(HEALTH_PATH, (_req, res) => {
    res.json({ status: 'ok', role: 'web', region: deps.region });
  });

  router.get(DEEP_HEALTH_PATH, async (_req, res) => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, probe: probe() };
    const { ok, body } = await last.probe;
    res.setHeader('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json(body);
  });

  return router;
}
