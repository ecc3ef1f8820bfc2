import type { NumberKind, QueueStore } from './ports.js';

/** The counter refused the kind asked for: the pre-queue has closed (lottery) or not yet (line). */
export class WrongPhase extends Error {
  constructor(readonly kind: NumberKind) {
    super(`no ${kind} numbers now`);
    this.name = 'WrongPhase';
  }
}

interface Waiter {
  resolve(number: number): void;
  reject(error: unknown): void;
}

/**
 * Group commit for queue numbers. An on-sale's counter is one DynamoDB item (≈ 1,000 writes/s at most), so joins
 * do not each write it: while one counter update is in flight, the joins arriving meanwhile wait and the next update
 * takes all their numbers at once, handed out in arrival order. At low load a join costs one update as before; at
 * 10,000 joins/s an instance still writes the counter only a few dozen times a second.
 */
export class NumberAllocator {
  private readonly pending = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly store: Pick<QueueStore, 'allocate'>,
    private readonly maxBatch = 500,
  ) {}

  next(eventId: string, epoch: number, kind: NumberKind): Promise<number> {
    const key = `${eventId}\u0000${epoch}\u0000${kind}`;
    return new Promise<number>((resolve, reject) => {
      const queue = this.pending.get(key) ?? [];
      queue.push({ resolve, reject });
      this.pending.set(key, queue);
      if (!this.inFlight.has(key)) void this.flush(key, eventId, epoch, kind);
    });
  }

  private async flush(key: string, eventId: string, epoch: number, kind: NumberKind): Promise<void> {
    this.inFlight.add(key);
    try {
      for (;;) {
        const queue = this.pending.get(key) ?? [];
        if (queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        try {
          const last = await this.store.allocate(eventId, epoch, batch.length, kind);
          if (last === 'WRONG_PHASE') throw new WrongPhase(kind);
          const first = last - batch.length + 1;
          batch.forEach((waiter, i) => waiter.resolve(first + i));
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      this.inFlight.delete(key);
      this.pending.delete(key);
    }
  }
}
