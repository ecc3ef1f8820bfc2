import type { AssistantEvent } from './events.js';

/** Timers, injectable so tests can step time. */
export interface CoalescerTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: CoalescerTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TextCoalescer {
  /** Passes an event on: text at once or within `windowMs`, anything else at once after the pending text. */
  emit(event: AssistantEvent): void;
  /** Sends the pending text now (before the stream ends). */
  flush(): void;
}

/**
 * Text deltas on their way to the page, at most one text event per `windowMs`. A model writes a delta every few tens
 * of milliseconds, and each one crossing a tier costs a parse, an encode and a socket write on both tiers; the page
 * needs no more than a few updates a second to look like it is typing. So:
 *
 * - a delta that finds no text sent within the last `windowMs` (the first words of an answer, or of a model turn after
 *   a tool ran) goes out at once: time to first token is never traded for fewer writes;
 * - later deltas collect and go out together `windowMs` after the previous text event, in order, concatenated;
 * - every other event (tool progress, hold, model, done, error) first sends the pending text and is itself never
 *   delayed, so the order of what the page shows is the order the answer was written in.
 *
 * `windowMs` 0 passes every delta on as it comes.
 */
export function textCoalescer(
  send: (event: AssistantEvent) => void,
  windowMs: number,
  timers: CoalescerTimers = REAL_TIMERS,
): TextCoalescer {
  let pending = '';
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let timer: unknown;
  const flush = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    lastSentAt = timers.now();
    send({ type: 'text', text });
  };
  return {
    emit(event) {
      if (event.type !== 'text') {
        flush();
        send(event);
        return;
      }
      if (event.text === '') return;
      pending += event.text;
      if (timer !== undefined) return;
      const wait = lastSentAt + windowMs - timers.now();
      if (wait <= 0) flush();
      else timer = timers.setTimeout(flush, wait);
    },
    flush,
  };
}
