import { Router, type Request, type Response } from 'express';
import type { AssistantEvent, ConversationView, HoldView } from '../../api/contracts.js';
import { ApiError } from '../api-client.js';
import { fragmentOf, sseMessage, type RelayContext } from '../assistant-relay.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { HX, isHtmxRequest } from '../htmx.js';
import { batchedWriter } from '../../shared/batched-writer.js';
import { callContext } from '../session.js';
import { cancellationTerms } from '../cancellation-terms.js';
import type { ViewHelpers } from '../view-helpers.js';
import { randomBytes } from 'node:crypto';
import { ttftMark } from '../../shared/ttft-trace.js';

/**
 * The conversation id and the turn of its last answer this browser saw start (`<id>.<turn>`); HttpOnly, so only this
 * site's pages continue the conversation. The turn lets the API instance that saved that turn answer from its own
 * copy without reading the conversation first; a stale or missing turn only costs that read.
 */
const CHAT_COOKIE = 'mt_chat';
const CHAT_COOKIE_MS = 24 * 60 * 60 * 1000;

/**
 * The assistant's pages: the full chat page, and the relay that turns the API's semantic events into escaped HTML
 * fragments streamed as server-sent events in the response to the htmx POST (htmx 4 + hx-sse). Without JavaScript
 * the same form posts, the answer is awaited, and the chat page shows it (POST → 303 → GET).
 */
export function assistantPages(deps: WebDeps): Router {
  const router = Router();
  const fmtOf = (res: Response) => res.locals.fmt as ViewHelpers;
  /**
   * Fragments rendered with the page's locals. The CSRF token is taken once, before any output: csrf-csrf sets its
   * cookie when asked for a token, which a response that is already streaming can no longer do.
   */
  const partial = (req: Request, res: Response) => {
    const csrfToken = req.csrfToken?.() ?? '';
    return (template: string, data: Record<string, unknown>) =>
      deps.render.render(template, { ...res.locals, csrfToken, ...data });
  };

  async function showContext(hold: HoldView) {
    const [{ performance }, slot] = await Promise.all([
      deps.reads.performance(hold.performanceId),
      deps.reads.schedule(hold.scheduleId),
    ]);
    return { performance, schedule: slot.schedule, cancellation: cancellationTerms(slot, deps.clock.now()) };
  }

  async function holdCard(req: Request, res: Response, hold: HoldView, extra: Record<string, unknown> = {}) {
    return partial(req, res)('partials/assistant/hold-card', { hold, ...(await showContext(hold)), ...extra });
  }

  router.get('/assistant', async (req, res) => {
    res.locals.assistant = { ...res.locals.assistant, page: true };
    const conversation = await conversationOf(req);
    const show = conversation?.hold ? await showContext(conversation.hold) : {};
    const message =
      typeof req.query.error === 'string' ? fmtOf(res).t(`assistant.refused.${req.query.error}`) : undefined;
    deps.render.page(req, res, 'assistant', {
      conversation,
      ...show,
      title: fmtOf(res).t('assistant.label'),
      message: message && !message.startsWith('assistant.') ? message : undefined,
      status: message ? 400 : undefined,
    });
  });

  router.post('/assistant/messages', async (req, res) => {
    ttftMark('route');
    const message = typeof req.body?.message === 'string' ? req.body.message : '';
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const chat = chatCookie(req);
    const events = deps.api.assistantMessage(
      { conversationId: chat?.id, turn: chat?.turn, message, locale: fmtOf(res).locale },
      callContext(req),
      controller.signal,
    );
    let first: IteratorResult<AssistantEvent>;
    try {
      first = await events.next();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      return refuse(req, res, error);
    }
    if (first.done) throw new Error('the assistant answered without events');
    if (first.value.type === 'start') {
      res.cookie(CHAT_COOKIE, `${first.value.conversationId}.${first.value.turn}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.cookieSecure,
        path: '/',
        maxAge: CHAT_COOKIE_MS,
      });
    }
    if (!isHtmxRequest(req)) {
      for await (const _ of events); // the answer is saved by the API; the chat page shows it
      return res.redirect(303, '/assistant');
    }
    const render = partial(req, res);
    res
      .status(200)
      .setHeader('Content-Type', 'text/event-stream; charset=utf-8')
      // no-transform: compression (and any proxy) must pass each event through as it is written.
      .setHeader('Cache-Control', 'no-store, no-transform')
      .setHeader('X-Accel-Buffering', 'no')
      .setHeader('Vary', HX.request);
    // No head flushed on its own: it leaves with the turn's first fragment (the `start` event's, written below at the
    // end of this turn of the event loop), one socket write instead of two.
    const ctx: RelayContext = {
      id: `a-${randomBytes(6).toString('hex')}`,
      message,
      t: fmtOf(res).t,
      render,
      holdCard: async (hold) => render('partials/assistant/hold-card', { hold, ...(await showContext(hold)) }),
    };
    const out = batchedWriter(res);
    let spoken = false;
    try {
      for (let event: AssistantEvent | undefined = first.value; event;) {
        const html = await fragmentOf(event, ctx);
        if (html) out.write(sseMessage(html));
        // The first words are not held for the rest of this turn (time to first token); later writes coalesce.
        if (event.type === 'text' && !spoken) {
          spoken = true;
          ttftMark('firstText');
          out.flush();
          ttftMark('firstTextWritten');
        }
        const next = await events.next();
        event = next.done ? undefined : next.value;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      deps.log('assistant relay failed', error);
      const failed = await fragmentOf({ type: 'error', code: 'INTERNAL', message: 'relay', retryable: true }, ctx);
      out.write(sseMessage(failed!));
    }
    out.flush();
    res.end();
  });

  /** The hold card again: asked by its countdown at 0 (an expired hold is released and the card says so). */
  router.get('/assistant/holds/:id', async (req, res) => {
    const context = callContext(req);
    const { hold } = await deps.api.getHold(req.params.id, context);
    const expired = !hold.live && hold.status === 'HOLDING';
    if (expired) await deps.api.release(hold.holdId, context).catch(() => undefined);
    res
      .setHeader('Vary', HX.request)
      .type('html')
      .send(await holdCard(req, res, hold, { expired }));
  });

  router.post('/assistant/holds/:id/release', async (req, res) => {
    const context = callContext(req);
    await deps.api.release(req.params.id, context);
    if (!isHtmxRequest(req)) return res.redirect(303, '/assistant');
    const { hold } = await deps.api.getHold(req.params.id, context);
    res
      .setHeader('Vary', HX.request)
      .type('html')
      .send(await holdCard(req, res, hold));
  });

  router.post('/assistant/new', (_req, res) => {
    res.clearCookie(CHAT_COOKIE, { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure, path: '/' });
    res.redirect(303, '/assistant');
  });

  async function conversationOf(req: Request): Promise<ConversationView | undefined> {
    const id = chatCookie(req)?.id;
    if (!id) return undefined;
    try {
      return (await deps.api.assistantConversation(id, callContext(req))).conversation;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** A refusal before the answer started: a notice in the log (htmx), or the chat page saying why. */
  function refuse(req: Request, res: Response, error: ApiError): void {
    const fmt = fmtOf(res);
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
    const specific = reason ? fmt.t(`assistant.refused.${reason}`, { max: Number(error.details?.max ?? 0) }) : '';
    const text = specific && !specific.startsWith('assistant.') ? specific : errorView(error, fmt).message;
    if (isHtmxRequest(req)) {
      res
        .status(error.status)
        .type('html')
        .send(partial(req, res)('partials/assistant/refusal', { message: text }));
      return;
    }
    res.locals.assistant = { ...res.locals.assistant, page: true };
    deps.render.page(
      req,
      res,
      'assistant',
      { title: fmt.t('assistant.label'), message: text },
      { status: error.status },
    );
  }

  return router;
}

/** The chat cookie: `<id>.<turn>`, or a bare id as set before the turn was added. */
export function chatCookie(req: Pick<Request, 'cookies'>): { id: string; turn?: number } | undefined {
  const value = (req.cookies as Record<string, string> | undefined)?.[CHAT_COOKIE];
  const found = typeof value === 'string' ? /^([A-Za-z0-9_-]{1,120})(?:\.(\d{1,7}))?$/.exec(value) : null;
  if (!found) return undefined;
  return found[2] === undefined ? { id: found[1]! } : { id: found[1]!, turn: Number(found[2]) };
}
