import { sequentialRoundTrips, type DynamoCall } from '../../app/adapters/dynamodb/call-trace.js';

/** The API requests of scenario A, named by the `X-Request-Id` the scenario sends: `bench-hold-…`, `bench-confirm-…`. */
export const BENCH_OPERATIONS = ['hold', 'confirm'] as const;
export type BenchOperation = (typeof BENCH_OPERATIONS)[number];

export const benchRequestId = (operation: BenchOperation, n: number): string => `bench-${operation}-${n}`;

/** For one operation: how many requests waited through n sequential round trips, and their usual calls. */
export interface RoundTripShare {
  readonly trips: number;
  readonly requests: number;
  readonly usualCalls: string;
}

/**
 * Counts, from the API's own DynamoDB client (an SDK middleware, app/adapters/dynamodb/call-trace.ts), the calls each
 * measured request made and how many of them ran one after another. Only measured rounds are recorded.
 */
export class RoundTripCounter {
  recording = false;
  private readonly byRequest = new Map<string, DynamoCall[]>();

  readonly record = (call: DynamoCall): void => {
    if (!this.recording || !call.requestId?.startsWith('bench-')) return;
    const calls = this.byRequest.get(call.requestId) ?? [];
    calls.push(call);
    this.byRequest.set(call.requestId, calls);
  };

  shares(operation: BenchOperation): RoundTripShare[] {
    const byTrips = new Map<number, Map<string, number>>();
    for (const [id, calls] of this.byRequest) {
      if (!id.startsWith(`bench-${operation}-`)) continue;
      const sequence = [...calls]
        .sort((a, b) => a.startedAt - b.startedAt)
        // e.g. GetItem(bookings): the logical table is the physical name's last part (`<prefix>-bookings`).
        .map((c) => `${c.command.replace(/Command$/, '')}${c.table ? `(${c.table.split('-').pop()})` : ''}`)
        .join(' → ');
      const sequences = byTrips.get(sequentialRoundTrips(calls)) ?? new Map<string, number>();
      sequences.set(sequence, (sequences.get(sequence) ?? 0) + 1);
      byTrips.set(sequentialRoundTrips(calls), sequences);
    }
    return [...byTrips]
      .sort((a, b) => a[0] - b[0])
      .map(([trips, sequences]) => ({
        trips,
        requests: [...sequences.values()].reduce((s, n) => s + n, 0),
        usualCalls: [...sequences].sort((a, b) => b[1] - a[1])[0]![0],
      }));
  }
}

export function roundTripLines(counter: RoundTripCounter): string {
  return BENCH_OPERATIONS.flatMap((operation) => {
    const shares = counter.shares(operation);
    const total = shares.reduce((s, share) => s + share.requests, 0);
    return [
      `sequential DynamoDB round trips per API ${operation} (${total} measured requests):`,
      ...shares.map(
        (s) =>
          `  ${s.trips}: ${((100 * s.requests) / Math.max(total, 1)).toFixed(1)}% (${s.requests}), usually ${s.usualCalls}`,
      ),
    ];
  }).join('\n');
}
