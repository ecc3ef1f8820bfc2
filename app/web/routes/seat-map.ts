import { Router, type Request, type Response } from 'express';
import type { SeatLayout } from '../../api/contracts.js';
import { MAX_SEATS_PER_HOLD } from '../../booking/pricing.js';
import { ApiError } from '../api-client.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { isHtmxRequest, redirect } from '../htmx.js';
import type { CompiledSeatMap } from '../seat-map.js';
import { admissionToken } from '../queue-cookies.js';
import { callContext, redirectToLogin } from '../session.js';
import { versionOf } from '../shared-pages.js';
import type { ViewHelpers } from '../view-helpers.js';

/** Seat ids from a form or query: `seat` may repeat; anything that is not a short string is dropped. */
function seatParam(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && v.length <= 20))].slice(0, 20);
}

interface SeatPage {
  readonly selected?: readonly string[];
  readonly justTaken?: readonly string[];
  readonly message?: string;
  readonly status?: number;
  readonly best?: { count: number; grade?: string };
}

export function seatMapPages(deps: WebDeps): Router {
  const router = Router();

  /** Everything a seat map render needs, from the public caches (and the viewer's own seats). */
  async function slotView(req: Request, res: Response, scheduleId: string) {
    const { schedule } = await deps.reads.schedule(scheduleId);
    const [detail, layout, overlay] = await Promise.all([
      deps.reads.performance(schedule.performanceId),
      deps.reads.seatLayout(schedule.performanceId),
      deps.reads.seatState(scheduleId, callContext(req)),
    ]);
    const map = deps.seatMaps.of(layout, res.locals.fmt);
    return { schedule, detail, layout, overlay, map };
  }

  async function renderMap(req: Request, res: Response, scheduleId: string, page: SeatPage) {
    const fmt: ViewHelpers = res.locals.fmt;
    const view = await slotView(req, res, scheduleId);
    // Without a selection or a recommendation the page is a function of the URL and these reads: anonymous
    // visitors share one rendering per seat state.
    const plain = !page.best && !page.selected?.length && !page.justTaken?.length && page.status === undefined;
    const shared = plain ? versionOf(view.schedule, view.detail, view.layout, view.overlay) : undefined;
    if (deps.render.sentShared(req, res, { shared })) return;
    const states = view.map.markTaken(view.map.statesOf(view.overlay), page.justTaken ?? []);
    let selected = (page.selected ?? []).filter((id) => isFree(view.map, states, id));
    let message = page.message;
    let options: readonly { seatIds: readonly string[] }[] = [];
    if (page.best) {
      options = (await deps.api.recommendations(scheduleId, page.best.count, page.best.grade, callContext(req)))
        .options;
      if (options[0]) selected = [...options[0].seatIds];
      else message = fmt.t('seatmap.best.none', { n: page.best.count });
    }
    const justTaken = new Set(page.justTaken ?? []);
    const token = view.map.token(states);
    deps.render.page(
      req,
      res,
      'seat-map',
      {
        ...view,
        // Signed-in visitors only: their pages are never shared, so a shared page always says "not admitted".
        admitted: res.locals.user !== undefined && !!admissionToken(req, view.detail.performance.id),
        token,
        selection: selectionOf(view.layout, view.map, selected, fmt),
        message,
        best: page.best,
        options,
        maxSeats: MAX_SEATS_PER_HOLD,
      },
      {
        status: page.status,
        fragments: { selection: 'partials/selection' },
        url: `/schedules/${scheduleId}`,
        splice: {
          html: () => view.map.html(states, new Set(selected), justTaken),
          // The grid depends only on the layout, language and seat states when nothing is preselected.
          key:
            selected.length === 0 && justTaken.size === 0
              ? `${view.layout.performanceId}|${fmt.locale}|${token}`
              : undefined,
        },
        shared,
      },
    );
  }

  router.get('/schedules/:id', async (req, res) => {
    const count = Number(req.query.best);
    const grade =
      typeof req.query.grade === 'string' && /^[A-Z]{1,4}$/.test(req.query.grade) ? req.query.grade : undefined;
    const best = Number.isInteger(count) && count >= 1 && count <= MAX_SEATS_PER_HOLD ? { count, grade } : undefined;
    const message = req.query.released === '1' ? res.locals.t('hold.released') : undefined;
    const selected = seatParam(req.query.seat);
    const fmt: ViewHelpers = res.locals.fmt;
    const tooMany = selected.length > MAX_SEATS_PER_HOLD ? fmt.t('seatmap.max', { n: MAX_SEATS_PER_HOLD }) : undefined;
    await renderMap(req, res, req.params.id, { selected, best, message: tooMany ?? message });
  });

  /**
   * The availability refresh of an open seat map (htmx polls it every few seconds). The page's refresh URL carries
   * the states it shows; the answer is 204 when nothing changed, otherwise only the seats that changed (plus the
   * selection summary), never the whole map.
   */
  router.get('/schedules/:id/availability', async (req, res) => {
    if (!isHtmxRequest(req)) return res.redirect(303, `/schedules/${encodeURIComponent(req.params.id)}`);
    const fmt: ViewHelpers = res.locals.fmt;
    const view = await slotView(req, res, req.params.id);
    const now = view.map.statesOf(view.overlay);
    const shown = view.map.fromToken(String(req.query.s ?? ''));
    const token = view.map.token(now);
    res.setHeader('Cache-Control', 'no-store');
    if (shown && view.map.token(shown) === token) return res.status(204).end();
    const selectedBefore = seatParam(req.query.seat);
    const selected = selectedBefore.filter((id) => isFree(view.map, now, id));
    const lost = selectedBefore.filter((id) => !selected.includes(id));
    const changed: { id: string; html: string }[] = [];
    for (let i = 0; i < now.length; i++) {
      if (!shown || shown[i] !== now[i]) {
        const html = view.map.seat(i, view.map.variantOf(i, now, new Set(selected), new Set(lost)));
        changed.push({ id: view.map.seats[i]!.id, html });
      }
    }
    deps.render.partial(res, 'partials/seat-changes', {
      scheduleId: req.params.id,
      token,
      changed,
      selection: selectionOf(view.layout, view.map, selected, fmt),
      maxSeats: MAX_SEATS_PER_HOLD,
      overlay: view.overlay,
      layout: view.layout,
      message: lost.length > 0 ? fmt.t('seatmap.justTaken', { seats: labelsOf(view.layout, lost, fmt) }) : undefined,
    });
  });

  router.post('/schedules/:id/hold', async (req, res) => {
    const scheduleId = req.params.id;
    const seats = seatParam((req.body as Record<string, unknown>).seat);
    const fmt: ViewHelpers = res.locals.fmt;
    const back = `/schedules/${encodeURIComponent(scheduleId)}?${seats.map((s) => `seat=${encodeURIComponent(s)}`).join('&')}`;
    if (!callContext(req).token || !res.locals.user) return redirectToLogin(req, res, back);
    if (seats.length === 0) {
      return renderMap(req, res, scheduleId, { status: 400, message: fmt.t('seatmap.chooseOne') });
    }
    if (seats.length > MAX_SEATS_PER_HOLD) {
      return renderMap(req, res, scheduleId, {
        selected: seats,
        status: 400,
        message: fmt.t('seatmap.max', { n: MAX_SEATS_PER_HOLD }),
      });
    }
    try {
      const { performanceId } = (await deps.reads.schedule(scheduleId)).schedule;
      const { hold } = await deps.api.hold(scheduleId, seats, callContext(req), admissionToken(req, performanceId));
      redirect(req, res, `/holds/${encodeURIComponent(hold.holdId)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401 || error.status === 404)
        throw error;
      const view = errorView(error, fmt);
      if (error.code === 'SEATS_UNAVAILABLE') {
        const taken = Array.isArray(error.details?.seatIds) ? (error.details.seatIds as string[]) : [];
        const layout = await deps.reads.seatLayout((await deps.reads.schedule(scheduleId)).schedule.performanceId);
        return renderMap(req, res, scheduleId, {
          selected: seats.filter((s) => !taken.includes(s)),
          justTaken: taken,
          status: 409,
          message: fmt.t('seatmap.justTaken', { seats: labelsOf(layout, taken, fmt) }),
        });
      }
      return renderMap(req, res, scheduleId, { selected: seats, status: view.status, message: view.message });
    }
  });

  return router;
}

function isFree(map: CompiledSeatMap, states: Uint8Array, id: string): boolean {
  const i = map.index.get(id);
  return i !== undefined && states[i] === 0;
}

/** "1층 B구역 7열 14번, …" for the seats a message names. */
function labelsOf(layout: SeatLayout, ids: readonly string[], fmt: ViewHelpers): string {
  return ids.map((id) => seatLabelOf(layout, id, fmt) ?? id).join(', ');
}

function seatLabelOf(layout: SeatLayout, id: string, fmt: ViewHelpers): string | undefined {
  const [floor, section, row, number] = id.split('-');
  const rowInfo = layout.floors
    .find((f) => `${f.floor}F` === floor)
    ?.sections.find((s) => s.id === section)
    ?.rows.find((r) => r.row === row);
  return rowInfo ? fmt.t('seat.label', { row: fmt.pick(rowInfo.label), n: number ?? '' }) : undefined;
}

/** The chosen seats with the server's prices (from the layout's grades) and their subtotal. */
function selectionOf(layout: SeatLayout, map: CompiledSeatMap, selected: readonly string[], fmt: ViewHelpers) {
  const prices = new Map(layout.grades.map((g) => [g.code, g]));
  const lines = selected.flatMap((seatId) => {
    const i = map.index.get(seatId);
    const grade = i === undefined ? undefined : prices.get(map.seats[i]!.grade);
    return grade ? [{ seatId, label: seatLabelOf(layout, seatId, fmt) ?? seatId, grade, price: grade.price }] : [];
  });
  return { lines, subtotal: lines.reduce((sum, l) => sum + l.price, 0) };
}
