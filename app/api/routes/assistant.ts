import { Router } from 'express';
import { z } from 'zod';
import { checkMessage } from '../../assistant/message-rules.js';
import type { AssistantEvent } from '../../assistant/events.js';
import { textCoalescer } from '../../assistant/text-coalescer.js';
import { LOCALES } from '../../shared/i18n.js';
import { batchedWriter } from '../../shared/batched-writer.js';
import { DomainError } from '../../shared/errors.js';
import type { ApiDeps } from '../deps.js';
import { idSchema as id } from '../inputs.js';
import { currentUser, limit, parseInput, pathId } from '../http.js';
import { ttftMark } from '../../shared/ttft-trace.js';

const messageBody = z.object({
  conversationId: id.optional(),
  // The length rule with its own message is checkMessage's; this bound only keeps absurd bodies out.
  message: z.string().max(10_000),
  locale: z.enum(LOCALES).default('ko'),
  /** The turn of the last answer the page saw start (its `start` event's `turn`). */
  turn: z.number().int().min(0).max(1_000_000).optional(),
});

/**
 * The assistant over HTTP. `POST /v1/assistant/messages` answers with a stream of semantic events as server-sent
 * events (`event: <type>`, `data: <the event as JSON>`), which the web tier turns into escaped HTML fragments.
 * Refusals that happen before the answer starts (rate limit, message rules, a busy conversation) are ordinary JSON
 * errors.
 */
export function assistantRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/v1/assistant/messages', async (req, res) => {
    ttftMark('route');
    const user = currentUser(res);
    limit(deps.limits.chatIp, `chat:ip:${req.ip}`);
    if (user) limit(deps.limits.chatUser, `chat:user:${user.userId}`);
    const body = parseInput(messageBody, req.body, 'body');
    const message = checkMessage(body.message, deps.assistantMessageMaxChars);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const out = batchedWriter(res);
    const send = (event: AssistantEvent) => out.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    // Later text deltas travel together, at most one text event per window (see textCoalescer). The first words of
    // an answer are also written at once: a deferred write would wait for whatever the rest of the burst sets off
    // (the stream's end, metrics, the conversation's save), which is time added to the first token.
    let spoken = false;
    const stream = textCoalescer((event) => {
      send(event);
      if (event.type === 'text' && !spoken) {
        spoken = true;
        ttftMark('firstText');
        out.flush();
        ttftMark('firstTextWritten');
      }
    }, deps.assistantTextWindowMs);
    // The head goes out with the first event, in one write: the web tier waits for that event (the `start`, with the
    // conversation's id for its cookie) before it answers the browser, so a head flushed on its own was one more
    // socket write here and one more wake-up there, in the middle of the message's way to the model call.
    let started = false;
    const emit = (event: AssistantEvent) => {
      if (!started) {
        started = true;
        res.status(200).type('text/event-stream').setHeader('Cache-Control', 'no-store, no-transform');
      }
      stream.emit(event);
    };
    ttftMark('chat');
    await deps.assistant.chat(
      {
        conversationId: body.conversationId,
        message,
        user: user && { userId: user.userId },
        locale: body.locale,
        turn: body.turn,
      },
      emit,
      controller.signal,
    );
    stream.flush();
    out.flush();
    res.end();
  });

  router.get('/v1/assistant/conversations/:id', async (req, res) => {
    const view = await deps.assistant.conversation(pathId(req), currentUser(res));
    if (!view) throw new DomainError('NOT_FOUND', 'No such conversation.');
    res.json({ conversation: view });
  });

  router.get('/v1/assistant', (_req, res) => {
    res.json({ offline: deps.assistant.offline, maxChars: deps.assistantMessageMaxChars });
  });

  return router;
}
