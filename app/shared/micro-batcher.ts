/**
 * Coalesces calls made close together into one call of `run`, so a burst of single-item DynamoDB requests (the
 * session reads and entry writes of a stampede's joins) costs one SDK call per batch instead of one per request: the
 * client's per-call work (serialisation, signing, middleware) is most of an API instance's CPU per join.
 *
 * Bounded both ways: a batch is sent once it holds `maxSize` items, or `maxWaitMs` after its first item arrived,
 * whichever comes first; a lone call therefore waits at most `maxWaitMs`. With `sendAtOnceWhenIdle` (what the served
 * API uses) a call that finds no batch in flight waits only for the calls of the same event-loop turn: a quiet
 * instance adds no latency to a hold's session read, and a busy one batches what arrives while a call is out. Keys are unique within a batch (DynamoDB
 * refuses two operations on one item in one request): a second call for a key already waiting goes in the next batch.
 * Every call is answered: what `run` leaves unsettled, or everything when `run` throws, is rejected with its error.
 */
export interface MicroBatchTuning {
  readonly maxSize: number;
  readonly maxWaitMs: number;
  readonly sendAtOnceWhenIdle?: boolean;
}

/** One call in a batch: `run` settles each, once. */
export interface BatchItem<T, V> {
  readonly input: T;
  resolve(value: V): void;
  reject(error: unknown): void;
}

interface Pending<T, V> extends BatchItem<T, V> {
  readonly key: string;
  settled: boolean;
}

export class MicroBatcher<T, V> {
  private waiting: Pending<T, V>[] = [];
  private keys = new Set<string>();
  /** Calls whose key was already waiting: they start the next batch. */
  private deferred: Pending<T, V>[] = [];
  private cancelWait: (() => void) | undefined;
  /** Batches sent and not yet answered. */
  private inFlight = 0;

  constructor(
    private readonly keyOf: (input: T) => string,
    private readonly run: (batch: readonly BatchItem<T, V>[]) => Promise<void>,
    private readonly tuning: MicroBatchTuning,
  ) {
    if (tuning.maxSize < 1 || tuning.maxWaitMs < 0) throw new Error('MicroBatcher: maxSize ≥ 1, maxWaitMs ≥ 0');
  }

  submit(input: T): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const item: Pending<T, V> = { key: this.keyOf(input), input, settled: false, resolve, reject };
      item.resolve = (value) => {
        if (item.settled) return;
        item.settled = true;
        resolve(value);
      };
      item.reject = (error) => {
        if (item.settled) return;
        item.settled = true;
        reject(error);
      };
      this.add(item);
    });
  }

  private add(item: Pending<T, V>): void {
    if (this.keys.has(item.key)) {
      this.deferred.push(item);
      return;
    }
    this.keys.add(item.key);
    this.waiting.push(item);
    if (this.waiting.length >= this.tuning.maxSize) this.flush();
    else if (!this.cancelWait) this.wait();
  }

  private wait(): void {
    if (this.tuning.sendAtOnceWhenIdle && this.inFlight === 0) {
      const immediate = setImmediate(() => this.flush());
      this.cancelWait = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.flush(), this.tuning.maxWaitMs);
      this.cancelWait = () => clearTimeout(timer);
    }
  }

  private flush(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
    const batch = this.waiting;
    this.waiting = [];
    this.keys = new Set();
    const deferred = this.deferred;
    this.deferred = [];
    if (batch.length > 0) {
      this.inFlight++;
      void this.send(batch).finally(() => this.inFlight--);
    }
    for (const item of deferred) this.add(item);
  }

  private async send(batch: Pending<T, V>[]): Promise<void> {
    let failure: unknown = new Error('MicroBatcher: the batch left this call unanswered');
    try {
      await this.run(batch);
    } catch (error) {
      failure = error;
    }
    for (const item of batch) item.reject(failure);
  }
}
