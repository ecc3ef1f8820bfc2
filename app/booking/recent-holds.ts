import type { EpochMs } from '../shared/time.js';
import type { Hold } from './model.js';

/**
 * The holds this instance created, as it created them, until their expiry: what a hold is (owner, slot, seats,
 * prices, expiry) never changes after creation, so the confirm that usually follows on the same instance can go
 * straight to its transaction, whose conditions check everything that can change (status, owner, expiry). Only a
 * hint: a hold ended here (paid, released, replaced) is forgotten at once, one ended elsewhere is caught by those
 * conditions. Bounded: past `maxEntries` the oldest entries go first.
 */
export class RecentHolds {
  private readonly holds = new Map<string, Hold>();
  /**
   * Per owner, the last hold paid on this instance, until its expiry. A confirm leaves the owner's active-hold pointer
   * naming the paid hold (one transaction item less per pair); this lets the owner's next hold here treat such a
   * pointer as "no live hold" at once, as the pointer's own expiry does after that.
   */
  private readonly paid = new Map<string, Pick<Hold, 'holdId' | 'expiresAt'>>();

  constructor(private readonly maxEntries = 10_000) {}

  remember(hold: Hold): void {
    this.holds.delete(hold.holdId); // re-insert at the end: Map order is the eviction order
    this.holds.set(hold.holdId, hold);
    if (this.holds.size > this.maxEntries) {
      const oldest = this.holds.keys().next().value;
      if (oldest !== undefined) this.holds.delete(oldest);
    }
  }

  forget(holdId: string): void {
    this.holds.delete(holdId);
  }

  /** `hold` was paid: its owner's pointer, if it still names it, names no live hold. */
  rememberPaid(hold: Pick<Hold, 'holdId' | 'userId' | 'expiresAt'>): void {
    this.paid.delete(hold.userId);
    this.paid.set(hold.userId, { holdId: hold.holdId, expiresAt: hold.expiresAt });
    if (this.paid.size > this.maxEntries) {
      const oldest = this.paid.keys().next().value;
      if (oldest !== undefined) this.paid.delete(oldest);
    }
  }

  /** The id of the owner's hold paid here whose pointer could still look live at `now` (before its expiry). */
  paidHoldOf(userId: string, now: EpochMs): string | undefined {
    const paid = this.paid.get(userId);
    if (paid && paid.expiresAt <= now) this.paid.delete(userId);
    return paid && paid.expiresAt > now ? paid.holdId : undefined;
  }

  /** The hold as this instance created it, if it is still HOLDING here and before its expiry at `now`. */
  recall(holdId: string, now: EpochMs): Hold | undefined {
    const hold = this.holds.get(holdId);
    if (hold && hold.expiresAt <= now) this.holds.delete(holdId);
    return hold && hold.expiresAt > now ? hold : undefined;
  }
}
