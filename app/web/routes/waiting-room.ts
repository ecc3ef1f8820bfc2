import { Router, type Request, type Response } from 'express';
import type { PlaceView, QueuePlaceResponse } from '../../api/contracts.js';
import { ApiError } from '../api-client.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { isHtmxRequest, redirect } from '../htmx.js';
import { clearQueueTicket, queueTicket, setAdmissionToken, setQueueTicket } from '../queue-cookies.js';
import { callContext, requireLogin } from '../session.js';
import type { ViewHelpers } from '../view-helpers.js';

/** Admission cookies outlive the admission by this much: a hold placed in its last minute can still be paid. */
const PAY_AFTER_ADMISSION_MS = 40 * 60_000;

interface RoomPage {
  readonly message?: string;
  readonly status?: number;
  /** Retry entering this soon (the admission budget was momentarily used up). */
  readonly retryEnterMs?: number;
}

/**
 * The waiting room page of a queued performance: the place, people ahead and ETA, refreshed by htmx at the interval
 * the API asks for (with a meta refresh for browsers without JavaScript), the lottery's commitment, and entering
 * when the turn comes. Korean and English like every page.
 */
export function waitingRoomPages(deps: WebDeps): Router {
  const router = Router();
  const roomUrl = (eventId: string) => `/queue/${encodeURIComponent(eventId)}`;

  /** The visitor's place, if they have joined; a place lost to a failover is re-joined on the spot. */
  async function placeOf(
    req: Request,
    res: Response,
    eventId: string,
  ): Promise<{ place?: PlaceView; notice?: string }> {
    const ticket = queueTicket(req, eventId);
    if (!res.locals.user || !ticket) return {};
    const context = callContext(req);
    let answer: QueuePlaceResponse;
    let notice: string | undefined;
    try {
      answer = await deps.api.queuePlace(eventId, context, ticket);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'NOT_IN_QUEUE') throw error;
      if (!error.details?.rejoin) {
        clearQueueTicket(res, eventId, deps.cookieSecure);
        return {};
      }
      // The join never reached the region now serving (replication lag during a failover): join again, behind.
      answer = await deps.api.joinQueue(eventId, context);
      notice = res.locals.t('queue.rejoined');
    }
    if (answer.ticket) setQueueTicket(res, eventId, answer.ticket, deps.cookieSecure);
    return { place: answer.place, notice };
  }

  async function render(req: Request, res: Response, eventId: string, page: RoomPage = {}) {
    const fmt: ViewHelpers = res.locals.fmt;
    const [{ performance }, { queue }] = await Promise.all([
      deps.reads.performance(eventId),
      deps.api.queueStatus(eventId, callContext(req)),
    ]);
    const { place, notice } = await placeOf(req, res, eventId);
    // A turn is entered (by htmx at once, or by the button), not polled; everything else refreshes at the API's pace.
    const autoEnter = place?.status === 'YOUR_TURN';
    const pollMs = autoEnter ? undefined : (place?.pollAfterMs ?? (place ? undefined : queuePollMs(queue.phase)));
    res.setHeader('Cache-Control', 'no-store');
    deps.render.page(
      req,
      res,
      'waiting-room',
      {
        performance,
        queue,
        place,
        pollMs,
        // Without JavaScript the page reloads itself at the same pace (noscript meta refresh in the layout).
        refreshSeconds: pollMs === undefined ? undefined : Math.max(2, Math.round(pollMs / 1000)),
        autoEnter,
        enterDelayMs: page.retryEnterMs ?? 300,
        message: page.message ?? notice,
        status: page.status,
        eta: place?.etaMs === undefined ? undefined : etaText(place.etaMs, fmt),
        title: fmt.t('queue.title'),
      },
      { status: page.status, fragments: { 'queue-status': 'partials/queue-status' }, url: roomUrl(eventId) },
    );
  }

  router.get('/queue/:eventId', (req, res) => render(req, res, req.params.eventId));

  /** The htmx poll: the same partial the page includes; without htmx, the page itself. */
  router.get('/queue/:eventId/status', async (req, res) => {
    if (!isHtmxRequest(req)) return res.redirect(303, roomUrl(req.params.eventId));
    await render(req, res, req.params.eventId);
  });

  router.post(['/queue/:eventId/join', '/queue/:eventId/enter'], requireLogin);

  router.post('/queue/:eventId/join', async (req, res) => {
    const { eventId } = req.params;
    try {
      const joined = await deps.api.joinQueue(eventId, callContext(req), queueTicket(req, eventId));
      if (joined.ticket) setQueueTicket(res, eventId, joined.ticket, deps.cookieSecure);
      redirect(req, res, roomUrl(eventId));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
      const view = errorView(error, res.locals.fmt);
      await render(req, res, eventId, { message: view.message, status: view.status });
    }
  });

  /** Claims the turn: the admission token goes into a cookie the hold and pay forms send along. */
  router.post('/queue/:eventId/enter', async (req, res) => {
    const { eventId } = req.params;
    try {
      const { admission } = await deps.api.claimAdmission(eventId, callContext(req), queueTicket(req, eventId));
      setAdmissionToken(res, eventId, admission.token, admission.expiresAt + PAY_AFTER_ADMISSION_MS, deps.cookieSecure);
      redirect(req, res, `/performances/${encodeURIComponent(eventId)}?admitted=1`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
      if (error.code === 'RATE_LIMITED') {
        // The door is momentarily full: still your turn; try again in a second or two.
        const retryEnterMs = Number(error.details?.retryAfter ?? 1) * 1000;
        return render(req, res, eventId, { message: res.locals.t('queue.entering'), retryEnterMs });
      }
      const view = errorView(error, res.locals.fmt);
      await render(req, res, eventId, { message: view.message, status: view.status });
    }
  });

  return router;
}

/** Before joining: how often the page looks at the queue's phase (it matters only around the opening). */
function queuePollMs(phase: string): number | undefined {
  return phase === 'SCHEDULED' || phase === 'PRE_QUEUE' ? 15_000 : undefined;
}

function etaText(ms: number, fmt: ViewHelpers): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return fmt.t('queue.eta.soon');
  if (minutes < 90) return fmt.t('queue.eta.minutes', { n: minutes });
  return fmt.t('queue.eta.hours', { n: Math.round(minutes / 60) });
}
