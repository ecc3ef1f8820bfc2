import type { Session, SessionStore } from '../accounts/model.js';
import type { Clock } from '../shared/clock.js';
import { outsideRequest } from '../shared/request-context.js';

/**
 * Resolving a bearer token is a DynamoDB read on every API request; this keeps each session an instance has read
 * for at most `ttlMs`, so a user's requests (seat map, hold, pay) do not wait on that read. A session still in use
 * after half the window is read again in the background.
 *
 * The staleness window is `ttlMs` (SESSION_CACHE_SECONDS, default 10 s), and only one way round: a session deleted
 * (logout, or a password change deleting a user's sessions) stops working at once on the instance that deleted it,
 * and on other instances within `ttlMs`. A session's own expiry is checked on every use, cached or not. The cache
 * holds at most `maxEntries` sessions (the oldest go first).
 *
 * Unknown tokens are remembered too, briefly (`missingTtlMs`, 2 s by default, at most `maxEntries` of them): a client
 * retrying a dead token in a loop (a stale tab, a stampede of 401s) then costs one read per token per 2 s instead of
 * one per request. Nobody legitimate is refused by it: a token is 32 random bytes that only exists once its session
 * was written (`put` clears it here), so a token unknown now can only become known by replication from the other
 * region after a failover, and then within the 2 s.
 */
export class CachedSessionStore implements SessionStore {
  private readonly entries = new Map<string, { readonly at: number; readonly session: Session }>();
  /** Tokens deleted in the last `ttlMs`: a read that raced the delete must not put the session back. */
  private readonly deletedAt = new Map<string, number>();
  private readonly refreshing = new Set<string>();
  /** Tokens found to have no session, and when: answered without a read for `missingTtlMs`. */
  private readonly missingAt = new Map<string, number>();

  constructor(
    private readonly inner: SessionStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly missingTtlMs = 2_000,
  ) {}

  async put(session: Session): Promise<void> {
    await this.inner.put(session);
    this.missingAt.delete(session.tokenHash);
    this.remember(session.tokenHash, session, this.clock.now());
  }

  async get(tokenHash: string): Promise<Session | undefined> {
    const now = this.clock.now();
    const missing = this.missingAt.get(tokenHash);
    if (missing !== undefined && now - missing < this.missingTtlMs) return undefined;
    const hit = this.entries.get(tokenHash);
    if (hit && now - hit.at < this.ttlMs) {
      // Past half its window, an entry in use is read again in the background: an active user's requests never wait
      // on the sessions table, and what they are served is still never older than the window.
      if (now - hit.at >= this.ttlMs / 2 && !this.refreshing.has(tokenHash)) {
        this.refreshing.add(tokenHash);
        outsideRequest(() => this.read(tokenHash, now))
          .catch(() => undefined) // the entry simply ages out; the next request reads again
          .finally(() => this.refreshing.delete(tokenHash));
      }
      return hit.session;
    }
    this.entries.delete(tokenHash);
    return this.read(tokenHash, now);
  }

  private async read(tokenHash: string, startedAt: number): Promise<Session | undefined> {
    const session = await this.inner.get(tokenHash);
    if (session && !this.deletedAt.has(tokenHash)) this.remember(tokenHash, session, startedAt);
    else this.entries.delete(tokenHash);
    if (!session) this.rememberMissing(tokenHash, startedAt);
    return session;
  }

  private rememberMissing(tokenHash: string, at: number): void {
    if (this.missingTtlMs <= 0) return;
    this.missingAt.delete(tokenHash); // re-inserted last: oldest-first for eviction
    this.missingAt.set(tokenHash, at);
    for (const [oldest, seenAt] of this.missingAt) {
      if (this.missingAt.size <= this.maxEntries && at - seenAt < this.missingTtlMs) break;
      this.missingAt.delete(oldest);
    }
  }

  async delete(tokenHash: string): Promise<void> {
    this.entries.delete(tokenHash);
    this.deletedAt.delete(tokenHash); // re-inserted last, so the map stays in delete order for pruning
    this.deletedAt.set(tokenHash, this.clock.now());
    this.forgetOldDeletes();
    await this.inner.delete(tokenHash);
  }

  private remember(tokenHash: string, session: Session, at: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(tokenHash); // re-inserted last: Map order is then oldest-first for eviction
    this.entries.set(tokenHash, { at, session });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  private forgetOldDeletes(): void {
    const now = this.clock.now();
    for (const [tokenHash, at] of this.deletedAt) {
      if (now - at < this.ttlMs && this.deletedAt.size <= this.maxEntries) break;
      this.deletedAt.delete(tokenHash);
    }
  }
}
