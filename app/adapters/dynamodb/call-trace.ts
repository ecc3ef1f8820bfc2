import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import { currentRequestId } from '../../shared/request-context.js';

/** One DynamoDB call as the SDK client sent it (retries of one call included in its time). */
export interface DynamoCall {
  readonly command: string;
  /** The table of a single-table call (GetItem, Query…); undefined for a transaction. */
  readonly table?: string;
  /** The API request it was made for, when made while serving one. */
  readonly requestId?: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

let traces = 0;

/**
 * Reports every call `client` sends (an SDK middleware), so round trips can be counted from the code that makes
 * them rather than asserted by hand: the hold benchmark and the tests use it. Returns the function that removes it.
 */
export function traceDynamoCalls(client: DynamoDBDocumentClient, onCall: (call: DynamoCall) => void): () => void {
  const name = `megaticket-trace-${++traces}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const startedAt = performance.now();
      const requestId = currentRequestId();
      try {
        return await next(args);
      } finally {
        const table = (args.input as { TableName?: unknown }).TableName;
        onCall({
          command: String(context.commandName),
          table: typeof table === 'string' ? table : undefined,
          requestId,
          startedAt,
          endedAt: performance.now(),
        });
      }
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
}

/**
 * How many of `calls` had to wait for one another: the longest chain in which each call started after the previous
 * one ended. Calls sent in parallel count once; this is the number of round trips the caller waited through.
 */
export function sequentialRoundTrips(calls: readonly DynamoCall[]): number {
  let chain = 0;
  let lastEnd = -Infinity;
  for (const call of [...calls].sort((a, b) => a.endedAt - b.endedAt)) {
    if (call.startedAt >= lastEnd) {
      chain++;
      lastEnd = call.endedAt;
    }
  }
  return chain;
}
