import { Router, type Request, type Response } from 'express';
import type { HoldView } from '../../api/contracts.js';
import { ApiError } from '../api-client.js';
import type { WebDeps } from '../deps.js';
import { cancellationTerms } from '../cancellation-terms.js';
import { errorView } from '../errors.js';
import { redirect } from '../htmx.js';
import { admissionToken } from '../queue-cookies.js';
import { callContext, requireLogin } from '../session.js';

/** Hold → payment: seats, prices, fee, total, a countdown from the API's clock, pay (demo provider) or release. */
export function holdPages(deps: WebDeps): Router {
  const router = Router();
  router.use('/holds', requireLogin);

  async function renderHold(
    req: Request,
    res: Response,
    hold: HoldView,
    extra: { message?: string; status?: number; expired?: boolean } = {},
  ) {
    const { performance } = await deps.reads.performance(hold.performanceId);
    const slot = await deps.reads.schedule(hold.scheduleId);
    const { schedule } = slot;
    const cancellation = cancellationTerms(slot, deps.clock.now());
    deps.render.page(
      req,
      res,
      'payment',
      { hold, performance, schedule, cancellation, ...extra },
      { status: extra.status, fragments: { countdown: 'partials/countdown' }, url: `/holds/${hold.holdId}` },
    );
  }

  router.get('/holds/:id', async (req, res) => {
    const { hold } = await deps.api.getHold(req.params.id, callContext(req));
    if (hold.status === 'CONFIRMED' && hold.reservationId) {
      return redirect(req, res, `/reservations/${encodeURIComponent(hold.reservationId)}/complete`);
    }
    await renderHold(req, res, hold);
  });

  /** Asked by the countdown when it reaches 0: an expired hold is released and the page says so. */
  router.get('/holds/:id/status', async (req, res) => {
    const context = callContext(req);
    const { hold } = await deps.api.getHold(req.params.id, context);
    const expired = !hold.live && hold.status === 'HOLDING';
    if (expired) await deps.api.release(hold.holdId, context).catch(() => undefined);
    await renderHold(req, res, hold, { expired });
  });

  router.post('/holds/:id/pay', async (req, res) => {
    const context = callContext(req);
    try {
      // The form names the hold's performance, so the admission of its waiting room (if any) goes along.
      const event = (req.body as Record<string, unknown>).event;
      const token =
        typeof event === 'string' && /^[A-Za-z0-9_.-]{1,120}$/.test(event) ? admissionToken(req, event) : undefined;
      const { reservation } = await deps.api.confirm(req.params.id, context, token);
      redirect(req, res, `/reservations/${encodeURIComponent(reservation.reservationId)}/complete`);
    } catch (error) {
      // 403: the waiting room's admission is missing or was refused; the page says so and the hold stays payable.
      if (!(error instanceof ApiError) || ![402, 403, 409].includes(error.status)) throw error;
      const { hold } = await deps.api.getHold(req.params.id, context);
      const view = errorView(error, res.locals.fmt);
      await renderHold(req, res, hold, { message: view.message, status: view.status });
    }
  });

  router.post('/holds/:id/release', async (req, res) => {
    const context = callContext(req);
    const { hold } = await deps.api.getHold(req.params.id, context);
    try {
      await deps.api.release(hold.holdId, context);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      return renderHold(req, res, hold, { message: errorView(error, res.locals.fmt).message, status: 409 });
    }
    redirect(req, res, `/schedules/${encodeURIComponent(hold.scheduleId)}?released=1`);
  });

  return router;
}
