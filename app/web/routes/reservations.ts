import { Router, type Request, type Response } from 'express';
import type { Reservation } from '../../api/contracts.js';
import { ApiError } from '../api-client.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { redirect } from '../htmx.js';
import { callContext, requireLogin } from '../session.js';

/** Completion, my reservations (newest first, DR-recovered holds awaiting payment on top), and cancellation. */
export function reservationPages(deps: WebDeps): Router {
  const router = Router();
  router.use('/reservations', requireLogin);

  /** Titles of the performances a list mentions (cached catalog reads, one per distinct performance). */
  async function titles(ids: readonly string[]) {
    const entries = await Promise.all(
      [...new Set(ids)].map(async (id) => [id, (await deps.reads.performance(id)).performance] as const),
    );
    return Object.fromEntries(entries);
  }

  router.get('/reservations', async (req, res) => {
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor.slice(0, 1000) : undefined;
    const list = await deps.api.reservations({ limit: 10, cursor }, callContext(req));
    const performances = await titles([
      ...list.reservations.items.map((r) => r.performanceId),
      ...list.awaitingPayment.map((h) => h.performanceId),
    ]);
    const cancelled = typeof req.query.cancelled === 'string' ? req.query.cancelled : undefined;
    deps.render.page(req, res, 'reservations', { ...list, performances, cancelled, cursor });
  });

  router.get('/reservations/:id/complete', async (req, res) => {
    const { reservation } = await deps.api.reservation(req.params.id, callContext(req));
    const performances = await titles([reservation.performanceId]);
    deps.render.page(req, res, 'complete', { reservation, performance: performances[reservation.performanceId] });
  });

  async function renderCancel(
    req: Request,
    res: Response,
    reservation: Reservation,
    extra: { message?: string; status?: number } = {},
  ) {
    const quote =
      reservation.status === 'CANCELLED'
        ? undefined
        : await deps.api.cancellationQuote(reservation.reservationId, callContext(req));
    const performances = await titles([reservation.performanceId]);
    deps.render.page(
      req,
      res,
      'cancel',
      { reservation, quote: quote?.quote, performance: performances[reservation.performanceId], ...extra },
      { status: extra.status, url: `/reservations/${reservation.reservationId}/cancel` },
    );
  }

  router.get('/reservations/:id/cancel', async (req, res) => {
    const { reservation } = await deps.api.reservation(req.params.id, callContext(req));
    await renderCancel(req, res, reservation);
  });

  router.post('/reservations/:id/cancel', async (req, res) => {
    const context = callContext(req);
    try {
      await deps.api.cancel(req.params.id, context);
      redirect(req, res, `/reservations?cancelled=${encodeURIComponent(req.params.id)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      const { reservation } = await deps.api.reservation(req.params.id, context);
      const view = errorView(error, res.locals.fmt);
      await renderCancel(req, res, reservation, { message: view.message, status: view.status });
    }
  });

  return router;
}
