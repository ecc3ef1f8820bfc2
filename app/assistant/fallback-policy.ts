import type { ModelFailure } from './model.js';

/** SPEC §5's primary/fallback policy as data; the values come from config. */
export interface FallbackPolicy {
  /** Switch to the next model at once (throttling, access, a model the account cannot use, …). */
  readonly fallbackStatuses: readonly number[];
  /** Transient server errors: retry the same model once per delay, then switch. */
  readonly retryStatuses: readonly number[];
  readonly retryDelaysMs: readonly number[];
  /** Time to the first stream event, per position in the chain. */
  readonly firstEventTimeoutMs: { readonly primary: number; readonly fallback: number };
  /** Silence allowed between two events once the stream has started. */
  readonly streamIdleMs: number;
}

export const DEFAULT_FALLBACK_POLICY: FallbackPolicy = {
  fallbackStatuses: [400, 401, 403, 404, 429, 503],
  retryStatuses: [500, 502, 504],
  retryDelaysMs: [1000, 1500],
  firstEventTimeoutMs: { primary: 10_000, fallback: 15_000 },
  streamIdleMs: 30_000,
};

export type Decision =
  { readonly action: 'retry'; readonly delayMs: number } | { readonly action: 'next' } | { readonly action: 'fail' };

/**
 * What to do after a failure that happened before any text reached the user (after that, nothing is retried).
 * `next` moves to the fallback model (or fails when there is none). Timeouts, network errors and a stream without
 * `messageStop` move on at once: waiting again on a model that just failed that way costs the person more than the
 * other model does. An HTTP status neither list names fails the answer: the policy is configuration, so removing a
 * status from both lists is how an operator says "do not fall back on this".
 */
export function decide(policy: FallbackPolicy, failure: ModelFailure, retriesSoFar: number): Decision {
  if (failure.kind !== 'http' || failure.status === undefined) return { action: 'next' };
  if (policy.retryStatuses.includes(failure.status)) {
    const delayMs = policy.retryDelaysMs[retriesSoFar];
    return delayMs === undefined ? { action: 'next' } : { action: 'retry', delayMs };
  }
  return policy.fallbackStatuses.includes(failure.status) ? { action: 'next' } : { action: 'fail' };
}
