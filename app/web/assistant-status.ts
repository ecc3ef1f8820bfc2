import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';
import { KEEP_WARM_AFTER_USE_MS, warmValue } from '../shared/kept-warm.js';

export interface AssistantLocals {
  /** The offline model answers: the panel and the chat page say so. */
  readonly offline: boolean;
  readonly maxChars: number;
  /** On the full chat page the panel is not shown (one chat per page). */
  readonly page: boolean;
}

/**
 * Puts the assistant's status into every page (`res.locals.assistant`) for the panel. Asked of the API at most `ttlMs`
 * apart, refreshed in the background past half that (no page or chat message waits for it with steady traffic); when
 * the API cannot answer, pages render without the panel rather than fail, and the next request asks again. For
 * `warmForMs` after the last request it is also refreshed without one (see drStatus; 0: never).
 */
export function assistantStatus(api: ApiClient, ttlMs = 60_000, warmForMs = KEEP_WARM_AFTER_USE_MS): RequestHandler {
  const status = warmValue(
    async (): Promise<AssistantLocals> => {
      const s = await api.assistantStatus();
      return { offline: s.offline, maxChars: s.maxChars, page: false };
    },
    ttlMs,
    warmForMs,
  );
  return async (_req, res, next) => {
    res.locals.assistant = await status().catch(() => undefined);
    next();
  };
}
