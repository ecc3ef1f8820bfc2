/**
 * What CloudWatch Logs' PutLogEvents accepts in one call, and the pure batching that respects it: at most 10,000
 * events and 1,048,576 bytes (each event's UTF-8 message plus 26 bytes), events sorted by time within 24 hours. One
 * event is capped well under the service's limit and truncated visibly, never dropped.
 */
export const PUT_LOG_EVENTS_LIMITS = {
  maxEvents: 10_000,
  maxBatchBytes: 1_048_576,
  perEventOverheadBytes: 26,
  maxMessageBytes: 256 * 1024,
  maxSpanMs: 24 * 60 * 60 * 1000,
} as const;

export interface LogEvent {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly message: string;
  /** Where this event is in its source (the journal cursor), persisted once the event is shipped. */
  readonly cursor?: string;
}

const TRUNCATED = ' …[truncated]';

export function capMessage(message: string, maxBytes: number = PUT_LOG_EVENTS_LIMITS.maxMessageBytes): string {
  if (Buffer.byteLength(message) <= maxBytes) return message;
  const room = maxBytes - Buffer.byteLength(TRUNCATED);
  // Cut on a character boundary: decode the allowed bytes and drop a trailing partial character.
  const cut = Buffer.from(message)
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return cut + TRUNCATED;
}

/**
 * Removes from the front of `queue` the longest run of events that fits one PutLogEvents call, in queue (journal)
 * order, so the last event's cursor is how far the source has been shipped. Sort it with `byTime` for the call.
 */
export function takeBatch(queue: LogEvent[]): LogEvent[] {
  const l = PUT_LOG_EVENTS_LIMITS;
  let bytes = 0;
  let count = 0;
  let earliest = Infinity;
  let latest = -Infinity;
  for (const event of queue) {
    const size = Buffer.byteLength(event.message) + l.perEventOverheadBytes;
    const low = Math.min(earliest, event.timestamp);
    const high = Math.max(latest, event.timestamp);
    if (count === l.maxEvents || (count > 0 && (bytes + size > l.maxBatchBytes || high - low > l.maxSpanMs))) break;
    bytes += size;
    count++;
    earliest = low;
    latest = high;
  }
  return queue.splice(0, count);
}

/** PutLogEvents wants events in time order; a stable sort keeps the journal's order for equal times. */
export function byTime(batch: readonly LogEvent[]): LogEvent[] {
  return [...batch].sort((a, b) => a.timestamp - b.timestamp);
}
