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

/** Places in line this instance took from the counter and has not handed out yet. */
interface Block {
  next: number;
  readonly last: number;
  readonly takenAt: number;
}

/** Places handed out per key in the current and the previous `blockMaxAgeMs` window: sizes the next block. */
interface Demand {
  windowStart: number;
  current: number;
  previous: number;
}

export interface AllocatorTuning {
  /** At most this many numbers per counter update. */
  readonly maxBatch: number;
  /**
   * Places in line are taken in blocks sized to this instance's recent joins and handed out for at most this long;
   * what is left of a block then is abandoned (holes, which the admitter treats like no-shows), so a join never gets
   * a number older than this — first come, first served holds across instances to within this much.
   */
  readonly blockMaxAgeMs: number;
}

/** Below this many joins per window an instance takes only the numbers it needs. */
const MIN_BLOCK_DEMAND = 16;

const DEFAULT_TUNING: AllocatorTuning = { maxBatch: 500, blockMaxAgeMs: 1_000 };

/**
 * Numbers from an on-sale's counter, one DynamoDB item per writer epoch (≈ 1,000 writes/s at most, whatever the
 * number of instances), so joins do not each write it:
 * - group commit: while one counter update is in flight, the joins arriving meanwhile wait and the next update takes
 *   all their numbers at once, handed out in arrival order;
 * - places in line (not lottery tickets) come in blocks sized to the places this instance handed out in the last
 *   `blockMaxAgeMs`, so at a steady stampede an instance writes the counter about once per `blockMaxAgeMs` instead of
 *   once per round trip. A lone join after a quiet spell still takes one number.
 * Numbers stay unique and are never reissued: every one comes from the counter's atomic ADD, and a block belongs to
 * one epoch's counter (a new writer epoch starts a new counter and new blocks). Lottery tickets are not taken ahead:
 * a ticket left over at the draw would let a late joiner into the lottery.
 */
export class NumberAllocator {
  private readonly pending = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();
  private readonly blocks = new Map<string, Block>();
  private readonly demand = new Map<string, Demand>();
  private readonly tuning: AllocatorTuning;

  constructor(
    private readonly store: Pick<QueueStore, 'allocate'>,
    tuning: Partial<AllocatorTuning> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  next(eventId: string, epoch: number, kind: NumberKind): Promise<number> {
    const key = `${eventId}\u0000${epoch}\u0000${kind}`;
    const fromBlock = this.fromBlock(key);
    if (fromBlock !== undefined) return Promise.resolve(fromBlock);
    return new Promise<number>((resolve, reject) => {
      const queue = this.pending.get(key) ?? [];
      queue.push({ resolve, reject });
      this.pending.set(key, queue);
      if (!this.inFlight.has(key)) void this.flush(key, eventId, epoch, kind);
    });
  }

  private fromBlock(key: string): number | undefined {
    const block = this.blocks.get(key);
    if (!block || block.next > block.last || this.now() - block.takenAt >= this.tuning.blockMaxAgeMs) return undefined;
    this.count(key, 1);
    return block.next++;
  }

  private count(key: string, handedOut: number): void {
    const now = this.now();
    const age = this.tuning.blockMaxAgeMs;
    const demand = this.demand.get(key) ?? { windowStart: now, current: 0, previous: 0 };
    if (now - demand.windowStart >= age) {
      demand.previous = now - demand.windowStart < 2 * age ? demand.current : 0;
      demand.current = 0;
      demand.windowStart = now;
    }
    demand.current += handedOut;
    this.demand.set(key, demand);
  }

  /**
   * Places to take beyond the joins waiting: a window's worth of recent demand once it is a stampede (at least
   * `MIN_BLOCK_DEMAND` a window), none for a trickle (no holes on a quiet day) or for lottery tickets.
   */
  private aheadFor(key: string, kind: NumberKind): number {
    const demand = this.demand.get(key);
    if (kind !== 'line' || !demand) return 0;
    const recent = Math.max(demand.current, demand.previous);
    return recent >= MIN_BLOCK_DEMAND ? recent : 0;
  }

  private async flush(key: string, eventId: string, epoch: number, kind: NumberKind): Promise<void> {
    this.inFlight.add(key);
    try {
      for (;;) {
        const queue = this.pending.get(key) ?? [];
        // Joins that arrived while the counter was being written are served from the block it just brought.
        for (let n = queue.length > 0 ? this.fromBlock(key) : undefined; n !== undefined;) {
          queue.shift()!.resolve(n);
          n = queue.length > 0 ? this.fromBlock(key) : undefined;
        }
        if (queue.length === 0) break;
        const batch = queue.splice(0, this.tuning.maxBatch);
        const count = Math.min(this.tuning.maxBatch, batch.length + this.aheadFor(key, kind));
        try {
          const last = await this.store.allocate(eventId, epoch, count, kind);
          if (last === 'WRONG_PHASE') throw new WrongPhase(kind);
          const first = last - count + 1;
          batch.forEach((waiter, i) => waiter.resolve(first + i));
          if (kind === 'line') {
            this.count(key, batch.length);
            this.blocks.set(key, { next: first + batch.length, last, takenAt: this.now() });
          }
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
