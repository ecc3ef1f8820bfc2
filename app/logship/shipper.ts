import {
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { byTime, takeBatch, type LogEvent } from './batch.js';

export interface CursorStore {
  read(): Promise<string | undefined>;
  write(cursor: string): Promise<void>;
}

export interface ShipperOptions {
  readonly client: CloudWatchLogsClient;
  readonly logGroup: string;
  readonly logStream: string;
  readonly cursors: CursorStore;
  /** How long events wait to be batched; the app's EMF metrics tolerate far more. */
  readonly flushMs?: number;
  /** Beyond this many queued events (CloudWatch unreachable for long), the oldest are dropped and counted. */
  readonly maxQueued?: number;
  readonly warn?: (message: string) => void;
}

/**
 * Ships events to one log stream: batches per PutLogEvents' limits, retries a failed call (with backoff) without
 * losing the batch, and persists the source cursor only after CloudWatch accepted the events, so a restart resends at
 * most one batch and never skips one. The app's EMF lines become metrics in CloudWatch like the agent's would.
 */
export class LogShipper {
  private readonly queue: LogEvent[] = [];
  private dropped = 0;
  private streamReady = false;

  constructor(private readonly options: ShipperOptions) {}

  enqueue(event: LogEvent): void {
    this.queue.push(event);
    const max = this.options.maxQueued ?? 100_000;
    if (this.queue.length > max) {
      this.dropped += this.queue.splice(0, this.queue.length - max).length;
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Ships everything queued; throws (keeping the queue) when CloudWatch refuses or cannot be reached. */
  async flush(): Promise<void> {
    if (this.dropped > 0) {
      this.options.warn?.(`log shipper: dropped ${this.dropped} event(s) while CloudWatch Logs was unreachable`);
      this.dropped = 0;
    }
    while (this.queue.length > 0) {
      await this.ensureStream();
      const batch = takeBatch(this.queue);
      try {
        const answer = await this.options.client.send(
          new PutLogEventsCommand({
            logGroupName: this.options.logGroup,
            logStreamName: this.options.logStream,
            logEvents: byTime(batch).map((e) => ({ timestamp: e.timestamp, message: e.message })),
          }),
        );
        const rejected = answer.rejectedLogEventsInfo;
        if (rejected) this.options.warn?.(`log shipper: CloudWatch rejected events ${JSON.stringify(rejected)}`);
      } catch (error) {
        this.queue.unshift(...batch); // keep order for the retry; the cursor has not moved
        throw error;
      }
      const cursor = [...batch].reverse().find((e) => e.cursor)?.cursor;
      if (cursor) await this.options.cursors.write(cursor);
    }
  }

  private async ensureStream(): Promise<void> {
    if (this.streamReady) return;
    try {
      await this.options.client.send(
        new CreateLogStreamCommand({ logGroupName: this.options.logGroup, logStreamName: this.options.logStream }),
      );
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
    this.streamReady = true;
  }
}

/** Feeds `events` into the shipper and flushes every `flushMs`, backing off (up to a minute) while flushes fail. */
export async function runShipper(
  shipper: LogShipper,
  events: AsyncIterable<LogEvent>,
  options: { flushMs: number; warn: (message: string) => void; signal?: AbortSignal },
): Promise<void> {
  let delay = options.flushMs;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  const schedule = () => {
    if (options.signal?.aborted) return;
    timer = setTimeout(() => {
      flushing = shipper.flush().then(
        () => {
          delay = options.flushMs;
        },
        (error: unknown) => {
          delay = Math.min(delay * 2, 60_000);
          options.warn(`log shipper: PutLogEvents failed (${(error as Error).message}); retrying in ${delay} ms`);
        },
      );
      void flushing.then(schedule);
    }, delay);
  };
  schedule();
  try {
    for await (const event of events) {
      shipper.enqueue(event);
      if (options.signal?.aborted) break;
    }
  } finally {
    clearTimeout(timer);
    await flushing;
    await shipper.flush().catch((error: unknown) => options.warn(`log shipper: final flush failed: ${String(error)}`));
  }
}
