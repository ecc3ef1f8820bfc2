import type { RequestHandler } from 'express';
import type { ApiClient } from './api-client.js';

export interface AssistantLocals {
  /** The offline model answers: the panel and the chat page say so. */
  readonly offline: boolean;
  readonly maxChars: number;
  /** On the full chat page the panel is not shown (one chat per page). */
  readonly page: boolean;
}

/**
 * Puts the assistant's status into every page (`res.locals.assistant`) for the panel. Asked of the API once per
 * `ttlMs`; when the API cannot answer, pages render without the panel rather than fail.
 */
export function assistantStatus(api: ApiClient, ttlMs = 60_000): RequestHandler {
  let cached: { at: number; status: Promise<AssistantLocals | undefined> } | undefined;
  return async (_req, res, next) => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttlMs) {
      const status = api.assistantStatus().then(
        (s): AssistantLocals => ({ offline: s.offline, maxChars: s.maxChars, page: false }),
        () => undefined,
      );
      cached = { at: now, status };
      // A failed read is retried on the next page view, not served for a minute.
      void status.then((s) => {
        if (!s && cached?.status === status) cached = undefined;
      });
    }
    res.locals.assistant = await cached.status;
    next();
  };
}
