import { randomUUID } from 'node:crypto';
import type { AdmissionGate, AdmissionUse, CatalogReader, DrStateSource } from '../booking/ports.js';
import type { OnSaleConfig, Performance } from '../catalog/types.js';
import type { Clock } from '../shared/clock.js';
import { retryOnRace, WriteRaced } from '../shared/concurrency.js';
import { DomainError } from '../shared/errors.js';
import { formatKst, type EpochMs } from '../shared/time.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { checkAdmission, signAdmission } from './admission-token.js';
import { LotteryCache, newSeed } from './lottery.js';
import { armedQueueState } from './model.js';
import type { Admission, QueueControl, QueueEntry, QueueEntryRef, QueuePhase, QueueState } from './model.js';
import { NumberAllocator, WrongPhase } from './number-allocator.js';
import type { NumberKind, QueueStore } from './ports.js';
import { openTicket, signTicket } from './queue-ticket.js';
import {
  admissionMinuteAt,
  applyPlan,
  budgetRetryAfterSeconds,
  claimFits,
  perMinuteCap,
  planTick,
  takeoverState,
} from './release.js';
import { bucketOf, joinsMayYield, phaseOf, resolvePlace } from './rules.js';
import { mayWrite } from '../booking/writer.js';
import type { TokenSigner } from './signed-token.js';
import { placeView, statsView, statusView, type PlaceView, type QueueStats, type QueueStatusView } from './views.js';

export interface QueueSettings {
  /** The region this process serves from, and the primary: together with the DR state they say who writes. */
  readonly region: string;
  readonly primaryRegion: string;
}

export interface QueueDeps {
  readonly catalog: CatalogReader;
  readonly store: QueueStore;
  readonly clock: Clock;
  readonly drState: DrStateSource;
  readonly signer: TokenSigner;
  readonly settings: QueueSettings;
  /** How stale a poll's view of the queue state may be (one read per event per instance per interval). */
  readonly stateCacheMs?: number;
  /** Jitter of Retry-After (tests pin it). */
  readonly random?: () => number;
}

export interface AdmissionGrant {
  readonly eventId: string;
  readonly token: string;
  readonly position: number;
  readonly expiresAt: EpochMs;
  readonly holdsLeft: number;
}

export interface Joined {
  readonly place: PlaceView;
  readonly ticket: string;
}

interface Context {
  readonly performance: Performance;
  readonly onSale: OnSaleConfig;
  readonly state: QueueState | undefined;
  readonly writer: boolean;
  readonly phase: QueuePhase;
  readonly now: EpochMs;
}

/** The writer ticks at most this often, whatever the number of instances running the loop. */
const MIN_TICK_MS = 900;

/**
 * The waiting room: join (idempotent per account), poll, claim an admission, the gate the booking transactions use,
 * the writer's tick, and the operator's switches. Against ports only (no AWS, no Express).
 */
export class QueueService implements AdmissionGate {
  private readonly states: TtlCache<QueueState | undefined>;
  private readonly lottery = new LotteryCache();
  private readonly allocator: NumberAllocator;
  /** In-process single flight per account: N tabs on one instance cost one join and one counted claim. */
  private readonly joins = new Map<string, Promise<Joined>>();
  private readonly claims = new Map<string, Promise<AdmissionGrant>>();
  /**
   * Per event, the writer tick (`tickAt`) of the state at which a claim was last refused for want of budget, and the
   * admission minute it was refused in (a new minute may have room before the writer ticks again).
   */
  private readonly budgetSpentAt = new Map<string, { readonly tickAt: EpochMs; readonly minute: number }>();
  private readonly random: () => number;
  /**
   * Per event, the line as this instance last saw it (the queue state it last loaded or wrote, and the rate): the
   * front of the API asks it, without I/O, whether a join may yield to claims and polls (`joinsMayYield`).
   */
  private readonly lines = new Map<string, { state?: QueueState; admitPerMinute?: number }>();

  constructor(private readonly deps: QueueDeps) {
    this.states = new TtlCache(deps.clock, deps.stateCacheMs ?? 1_000);
    // Block ages on the service clock (not the wall clock), like every other time rule of the waiting room.
    this.allocator = new NumberAllocator(deps.store, {}, () => deps.clock.now());
    this.random = deps.random ?? Math.random;
  }

  /** Public facts, the lottery commitment included; answers from the cached state. */
  async status(eventId: string): Promise<QueueStatusView> {
    const ctx = await this.context(eventId);
    return statusView(eventId, ctx.onSale, ctx.state, ctx.phase, ctx.now);
  }

  async stats(eventId: string): Promise<QueueStats> {
    const ctx = await this.context(eventId, { fresh: true });
    return statsView(statusView(eventId, ctx.onSale, ctx.state, ctx.phase, ctx.now), ctx.onSale, ctx.state, ctx.now);
  }

  /**
   * Whether a join to this event may give way to claims and polls now (see `joinsMayYield`), from the state and rate
   * this instance last saw (no I/O): yes while the line ahead of the serving position holds `LINE_FLOOR_SECONDS` of the rate,
   * and when the event has not been seen yet (the yield rule then applies as to any join).
   */
  joinMayYield(eventId: string): boolean {
    const line = this.lines.get(eventId);
    if (!line?.state || line.admitPerMinute === undefined) return true;
    return joinsMayYield(line.state, line.admitPerMinute);
  }

  /**
   * Joins the line once per account: a repeat (another tab, a reload, a retry after 429) returns the same place.
   * An entry whose turn ran out, whose purchase is done, or that a new writer never saw gets a new place at the back.
   */
  join(userId: string, eventId: string, ticket?: string): Promise<Joined> {
    return singleFlight(this.joins, `${eventId}\u0000${userId}`, () => this.joinOnce(userId, eventId, ticket));
  }

  /**
   * One conditional write: the number is taken first (group commit) and the entry written only if the account has
   * none; a refused write returns the entry that stood in the way, whose place then stands (the number taken is left
   * unused: a hole the admitter treats like a no-show). A reload that presents its ticket writes nothing at all.
   */
  private async joinOnce(userId: string, eventId: string, ticket?: string): Promise<Joined> {
    let ctx = await this.context(eventId);
    if (!ctx.state && ctx.writer) {
      await this.arm(eventId);
      ctx = await this.context(eventId, { fresh: true });
    }
    this.requireWriter(ctx);
    if (ctx.phase === 'CLOSED') throw queueClosed();
    if (ctx.phase === 'SCHEDULED') throw notOpenYet(ctx);
    const ref = ticket ? openTicket(this.deps.signer, ticket, { eventId, userId, now: ctx.now }) : undefined;
    const fromTicket = ref && this.ticketView(ctx, ref);
    if (fromTicket) return { place: fromTicket, ticket: ticket! };
    return retryOnRace(async () => {
      const state = ctx.state!;
      const { number, lottery } = await this.nextNumber(ctx, state.epoch);
      const entry: QueueEntry = {
        eventId,
        userId,
        epoch: state.epoch,
        number,
        lottery,
        joinedAt: ctx.now,
        state: 'WAITING',
      };
      const first = await this.deps.store.putEntry(entry);
      if (first.written) return this.joined(this.view(ctx, entry), entry);
      const existing = first.existing;
      if (!existing) throw new WriteRaced('queue entry');
      const place = this.view(ctx, existing);
      if (!['TURN_EXPIRED', 'DONE', 'LOST'].includes(place.status)) return this.joined(place, existing);
      // The account's turn has passed, was used or was lost to a new writer: a new place at the back.
      if (!(await this.deps.store.putEntry(entry, existing)).written) throw new WriteRaced('queue entry');
      return this.joined(this.view(ctx, entry), entry);
    });
  }

  /**
   * A waiter's place. With a genuine ticket it is answered from the cached queue state alone (no DynamoDB read);
   * otherwise from the entry. A LOST entry answers NOT_IN_QUEUE with `rejoin`, which the page acts on by itself.
   */
  async place(userId: string, eventId: string, ticket?: string): Promise<{ place: PlaceView; ticket?: string }> {
    const ctx = await this.context(eventId);
    if (!ctx.state) throw notInQueue(false);
    const ref = ticket ? openTicket(this.deps.signer, ticket, { eventId, userId, now: ctx.now }) : undefined;
    const fromTicket = ref && this.ticketView(ctx, ref);
    if (fromTicket) return { place: fromTicket };
    const entry = await this.entryOrRestored(ctx, userId, ref);
    if (!entry) throw notInQueue(false);
    const place = this.view(ctx, entry);
    if (place.status === 'LOST') throw notInQueue(true);
    return { place, ticket: signTicket(this.deps.signer, entry, ctx.now) };
  }

  /**
   * A poll answered from a signed ticket alone (no session, no entry read): the place it names, or undefined when the
   * ticket is not genuine for this event or its place needs the entry to be told (lost, turn passed).
   */
  async placeByTicket(eventId: string, ticket: string): Promise<PlaceView | undefined> {
    const ctx = await this.context(eventId);
    if (!ctx.state) return undefined;
    const ref = openTicket(this.deps.signer, ticket, { eventId, now: ctx.now });
    return ref && this.ticketView(ctx, ref);
  }

  /**
   * The ticket alone tells a waiter's place; at the door (their turn), after it, or when it was lost, the entry must
   * be read: whether they were admitted or bought only it knows.
   */
  private ticketView(ctx: Context, ref: QueueEntryRef): PlaceView | undefined {
    const place = this.view(ctx, ref);
    return place.status === 'WAITING' || place.status === 'PENDING_DRAW' ? place : undefined;
  }

  /**
   * The account's entry; if it is missing but the account presents a genuine ticket whose place is still valid here
   * (the counter reached this writer, the entry did not), the entry is restored from the ticket so the place stands.
   * A ticket whose place is LOST (beyond what this writer saw) restores nothing: that waiter re-joins behind.
   */
  private async entryOrRestored(ctx: Context, userId: string, ref?: QueueEntryRef): Promise<QueueEntry | undefined> {
    const eventId = ctx.performance.id;
    const entry = await this.deps.store.getEntry(eventId, userId);
    if (entry || !ref) return entry;
    if (resolvePlace(ref, ctx.state!, this.lottery).kind === 'LOST') throw notInQueue(true);
    const restored: QueueEntry = { ...ref, joinedAt: ctx.now, state: 'WAITING' };
    const put = await this.deps.store.putEntry(restored);
    return put.written ? restored : put.existing;
  }

  /**
   * Turns a released place into an admission token; idempotent per account (one claim counted per admission). The
   * ticket, when given, restores an entry that never reached this writer (see `entryOrRestored`).
   */
  claim(userId: string, eventId: string, ticket?: string): Promise<AdmissionGrant> {
    return singleFlight(this.claims, `${eventId}\u0000${userId}`, () => this.claimOnce(userId, eventId, ticket));
  }

  private async claimOnce(userId: string, eventId: string, ticket?: string): Promise<AdmissionGrant> {
    let ctx = await this.context(eventId);
    this.requireWriter(ctx);
    if (ctx.phase === 'CLOSED') throw queueClosed();
    const ref = ticket ? openTicket(this.deps.signer, ticket, { eventId, userId, now: ctx.now }) : undefined;
    const refusal = ref && this.refusedForBudget(ctx, ref);
    if (refusal) throw refusal;
    const entry = await this.entryOrRestored(ctx, userId, ref);
    if (!entry) throw notInQueue(false);
    if (entry.state === 'ADMITTED' && entry.admission && entry.admission.expiresAt > ctx.now) {
      return this.grant(ctx.onSale, entry, entry.admission);
    }
    if (entry.state === 'DONE') {
      throw new DomainError('TURN_EXPIRED', 'This turn has been used for a purchase. Join again to buy more.', {
        reason: 'USED',
      });
    }
    let resolved = resolvePlace(entry, ctx.state!, this.lottery);
    let state = ctx.state!;
    if (resolved.kind === 'LINE' && resolved.position > state.serving) {
      // The cached state may be up to a second old: look at the current one before saying "not yet".
      ctx = await this.context(eventId, { fresh: true });
      state = ctx.state!;
      resolved = resolvePlace(entry, state, this.lottery);
    }
    if (resolved.kind === 'LOST') throw notInQueue(true);
    if (resolved.kind === 'PENDING_DRAW' || resolved.position > state.serving) throw notYourTurn(ctx, resolved);
    const bucket = bucketOf(state, resolved.position);
    if (!bucket || bucket.expiresAt <= ctx.now) throw turnExpired();
    if (ctx.phase !== 'OPEN') throw paused();
    if (this.budgetSpent(ctx, state)) throw this.noBudget(ctx);
    const admission: Admission = {
      tokenId: randomUUID(),
      position: resolved.position,
      epoch: state.epoch,
      admittedAt: ctx.now,
      expiresAt: ctx.now + ctx.onSale.admissionWindowMinutes * 60_000,
      holdsUsed: 0,
    };
    const outcome = await this.deps.store.claim({
      entry,
      position: resolved.position,
      bucketAt: bucket.at,
      region: this.deps.settings.region,
      epoch: state.epoch,
      tokenId: admission.tokenId,
      now: ctx.now,
      expiresAt: admission.expiresAt,
      minute: admissionMinuteAt(ctx.onSale.opensAt, ctx.now),
      perMinute: perMinuteCap(ctx.onSale.admitPerMinute),
    });
    switch (outcome) {
      case 'ADMITTED':
        return this.grant(ctx.onSale, entry, admission);
      case 'NO_BUDGET':
        // Until this instance sees the writer's next tick or a new minute, every claim would be refused the same way.
        this.budgetSpentAt.set(eventId, {
          tickAt: state.tickAt,
          minute: admissionMinuteAt(ctx.onSale.opensAt, ctx.now),
        });
        throw this.noBudget(ctx);
      case 'TURN_EXPIRED':
        throw turnExpired();
      case 'NOT_ADMITTING':
        throw paused();
      case 'NOT_RELEASED':
        throw notYourTurn(ctx, resolved);
      case 'CHANGED': {
        const current = await this.deps.store.getEntry(eventId, userId);
        if (current?.state === 'ADMITTED' && current.admission)
          return this.grant(ctx.onSale, current, current.admission);
        throw new DomainError('CONCURRENT_UPDATE', 'Your place changed meanwhile; please look again.');
      }
    }
  }

  /**
   * A claim refused for want of budget, told from a ticket and the cached queue state alone (no read, nothing
   * written), so that it can be answered before the request is handed to Express: the refusal `claim` would give the
   * ticket's account (`userId`: the caller must be that account), or undefined when it would not be that one (not the
   * writer, queue closed, ticket not genuine for this event, place not yet released, or budget left) and the claim
   * must go through `claim`. The session is the caller's to check, and only when a refusal is returned.
   */
  async budgetRefusal(eventId: string, ticket: string): Promise<{ userId: string; refusal: DomainError } | undefined> {
    const ctx = await this.context(eventId);
    if (!ctx.writer || ctx.phase === 'CLOSED' || !ctx.state || !this.budgetSpent(ctx, ctx.state)) return undefined;
    const ref = openTicket(this.deps.signer, ticket, { eventId, now: ctx.now });
    const refusal = ref && this.refusedForBudget(ctx, ref);
    return refusal && { userId: ref.userId, refusal };
  }

  /** Budget already spent this tick and the ticket's place released: the waiter retries later, nothing read or written. */
  private refusedForBudget(ctx: Context, ref: QueueEntryRef): DomainError | undefined {
    const state = ctx.state;
    if (!state || !this.budgetSpent(ctx, state)) return undefined;
    const resolved = resolvePlace(ref, state, this.lottery);
    return resolved.kind === 'LINE' && resolved.position <= state.serving ? this.noBudget(ctx) : undefined;
  }

  /**
   * Whether the claims budget is known to be used up until the writer's next tick: the state says a claim would not
   * fit (all claimed, or the claim's admission minute holds the rate), or a claim was refused for budget at the tick
   * this state comes from, in this minute. Claims then need no DynamoDB call to be told to wait.
   */
  private budgetSpent(ctx: Context, state: QueueState): boolean {
    const spent = this.budgetSpentAt.get(ctx.performance.id);
    return (
      !claimFits(state, ctx.onSale, ctx.now) ||
      (spent !== undefined &&
        spent.tickAt >= state.tickAt &&
        spent.minute === admissionMinuteAt(ctx.onSale.opensAt, ctx.now))
    );
  }

  private noBudget(ctx: Context): DomainError {
    return new DomainError('RATE_LIMITED', 'It is your turn: letting you in within a few seconds.', {
      retryAfter: budgetRetryAfterSeconds(ctx.state!, ctx.onSale, ctx.now, this.random),
      reason: 'ADMISSION_BUDGET',
    });
  }

  /**
   * The hold/confirm gate, without I/O beyond the shared ≤ 1 s queue-state cache: undefined for a performance sold
   * without a queue; otherwise the token must be genuine, this account's, this event's and unexpired, and the queue
   * open and not closed. What it returns becomes a condition inside the booking transaction itself.
   * `graceMs` lets a confirm pay a hold placed late in the admission while the hold (or its DR grace) is live.
   */
  async admissionFor(
    performance: Performance,
    userId: string,
    token: string | undefined,
    graceMs = 0,
  ): Promise<AdmissionUse | undefined> {
    const onSale = performance.onSale;
    if (!onSale?.queue) return undefined;
    if (performance.status !== 'ACTIVE') throw noWaitingRoom(performance.id);
    // On every hold and confirm, so only what the gate needs: the caller's performance (no catalog read again) and the
    // cached state. Whether this region is the writer does not matter here: admitted users finish wherever they are
    // served (PAUSED and OPEN both honour a token), so the DR state is not consulted.
    // Read without an await when it is cached and loaded (nearly always): no microtask turn on the hold's path.
    const state = this.states.peek(performance.id)?.value ?? (await this.cachedState(performance.id));
    const now = this.deps.clock.now();
    const phase = phaseOf(onSale, state, now, true);
    if (phase === 'CLOSED') throw queueClosed();
    if (!state || phase === 'SCHEDULED' || phase === 'PRE_QUEUE') {
      throw new DomainError(
        'NOT_ON_SALE',
        `Sales open at ${formatKst(onSale.opensAt, 'en')}, through the waiting room.`,
        {
          eventId: performance.id,
          opensAt: onSale.opensAt,
        },
      );
    }
    if (!token) throw admissionRequired(performance.id, 'MISSING');
    const check = checkAdmission(this.deps.signer, token, { userId, eventId: performance.id, now, graceMs });
    if (!check.ok) throw admissionRequired(performance.id, check.reason);
    return {
      eventId: performance.id,
      userId,
      tokenId: check.claims.tid,
      cap: onSale.maxHoldsPerAdmission,
      now,
      expiresAt: check.claims.exp,
      epoch: check.claims.ep,
      position: check.claims.pos,
      fromOlderEpoch: check.claims.ep < state.epoch,
    };
  }

  /**
   * Why the admission item refused a hold or confirm (read only after the transaction refused it): used up for a
   * purchase, all holds used, window over, superseded by a newer admission, or never admitted.
   */
  async refusalOf(use: AdmissionUse, purpose: 'hold' | 'confirm'): Promise<DomainError> {
    const entry = await this.deps.store.getEntry(use.eventId, use.userId);
    const admission = entry?.admission;
    const details = { eventId: use.eventId };
    if (entry?.state === 'DONE' && admission?.tokenId === use.tokenId) {
      return new DomainError(
        'ADMISSION_EXHAUSTED',
        'This admission was used for a purchase. Join the waiting room again.',
        {
          ...details,
          reason: 'USED',
        },
      );
    }
    if (entry?.state !== 'ADMITTED' || admission?.tokenId !== use.tokenId)
      return admissionRequired(use.eventId, 'NOT_ADMITTED');
    if (purpose === 'hold' && admission.holdsUsed >= use.cap) {
      return new DomainError(
        'ADMISSION_EXHAUSTED',
        `This admission allows ${use.cap} seat holds; all have been used.`,
        {
          ...details,
          reason: 'HOLD_LIMIT',
          cap: use.cap,
        },
      );
    }
    return new DomainError('ADMISSION_EXHAUSTED', 'Your admission time is over. Join the waiting room again.', {
      ...details,
      reason: 'EXPIRED',
    });
  }

  /**
   * The writer's tick for one event (every API instance calls it about once a second; conditional writes let one
   * win per tick). A region that is not the writer does nothing; a writer that finds the state owned by the other
   * region takes over with a new epoch first.
   */
  async tick(eventId: string): Promise<'NOT_WRITER' | 'ARMED' | 'TOOK_OVER' | 'SKIPPED' | 'TICKED' | 'LOST_RACE'> {
    const onSale = (await this.onSaleOf(eventId)).onSale;
    if (!(await this.isWriter())) return 'NOT_WRITER';
    const now = this.deps.clock.now();
    const state = await this.deps.store.getState(eventId, true);
    if (!state) {
      await this.arm(eventId);
      return 'ARMED';
    }
    // The freshest state this instance has: it serves the gate and polls, so they rarely read it themselves.
    this.cacheState(eventId, state, onSale);
    if (state.writerRegion !== this.deps.settings.region) {
      const counter = await this.deps.store.getCounter(eventId, state.epoch);
      const next = takeoverState(
        { ...state, draw: state.draw ?? counter?.draw },
        counter?.issued ?? state.issued,
        this.deps.settings.region,
        now,
      );
      const took = await this.deps.store.takeover(next, { epoch: state.epoch, writerRegion: state.writerRegion });
      this.states.delete(eventId);
      return took ? 'TOOK_OVER' : 'LOST_RACE';
    }
    if (state.tickAt > 0 && now - state.tickAt < MIN_TICK_MS) return 'SKIPPED';
    const counter = await this.deps.store.getCounter(eventId, state.epoch);
    let draw = counter?.draw;
    if (!draw && now >= onSale.opensAt && state.control !== 'CLOSED') {
      draw = await this.deps.store.draw(eventId, state.epoch, now);
    }
    const phase = phaseOf(onSale, { ...state, draw }, now, true);
    const plan = planTick({
      state,
      issued: counter?.issued ?? state.issued,
      draw,
      now,
      releasing: phase === 'OPEN' && draw !== undefined,
      admitPerMinute: onSale.admitPerMinute,
      windowMs: onSale.admissionWindowMinutes * 60_000,
      opensAt: onSale.opensAt,
    });
    const applied = await this.deps.store.applyTick(eventId, plan, {
      tickAt: state.tickAt,
      epoch: state.epoch,
      writerRegion: state.writerRegion,
    });
    if (!applied) return 'LOST_RACE';
    this.cacheState(eventId, applyPlan(state, plan), onSale);
    return 'TICKED';
  }

  /** Commits the lottery seed (publishes its hash). Idempotent: an armed queue keeps its seed. */
  async arm(eventId: string): Promise<QueueState> {
    await this.onSaleOf(eventId);
    const now = this.deps.clock.now();
    const { seed, seedHash } = newSeed();
    const state = await this.deps.store.arm(
      armedQueueState({ eventId, writerRegion: this.deps.settings.region, seed, seedHash, committedAt: now }),
    );
    this.states.set(eventId, state);
    this.seeLine(eventId, { state });
    return state;
  }

  /** The operator's switch: ACTIVE (open / resume), PAUSED (joins kept, no admissions), CLOSED (sale halted). */
  async setControl(eventId: string, control: QueueControl): Promise<QueueStats> {
    await this.onSaleOf(eventId);
    if (!(await this.deps.store.getState(eventId, true))) await this.arm(eventId);
    await this.deps.store.setControl(eventId, control, this.deps.clock.now());
    this.states.delete(eventId);
    return this.stats(eventId);
  }

  /** Events sold through a waiting room (the writer loop ticks each of them). */
  async queuedEvents(): Promise<readonly string[]> {
    const performances = await this.deps.catalog.listPerformances();
    return performances.filter((p) => p.status === 'ACTIVE' && p.onSale?.queue).map((p) => p.id);
  }

  private async nextNumber(ctx: Context, epoch: number): Promise<{ number: number; lottery: boolean }> {
    const eventId = ctx.performance.id;
    const take = (kind: NumberKind) => this.allocator.next(eventId, epoch, kind);
    if (ctx.phase === 'PRE_QUEUE') {
      try {
        return { number: await take('lottery'), lottery: true };
      } catch (error) {
        // The pre-queue closed between reading the phase and taking a ticket: this join is first come, first served.
        if (!(error instanceof WrongPhase)) throw error;
      }
    }
    try {
      return { number: await take('line'), lottery: false };
    } catch (error) {
      if (!(error instanceof WrongPhase)) throw error;
      // Opening time has come but nobody has closed the pre-queue yet: close it (idempotent), then take a place.
      await this.deps.store.draw(eventId, epoch, ctx.now);
      return { number: await take('line'), lottery: false };
    }
  }

  private view(ctx: Context, entry: Parameters<typeof placeView>[0]['entry']): PlaceView {
    return placeView({
      onSale: ctx.onSale,
      state: ctx.state!,
      phase: ctx.phase,
      now: ctx.now,
      entry,
      lottery: this.lottery,
    });
  }

  private joined(place: PlaceView, entry: QueueEntry): Joined {
    return { place, ticket: signTicket(this.deps.signer, entry, this.deps.clock.now()) };
  }

  private grant(onSale: OnSaleConfig, entry: QueueEntry, admission: Admission): AdmissionGrant {
    const token = signAdmission(this.deps.signer, {
      sub: entry.userId,
      evt: entry.eventId,
      pos: admission.position,
      ep: admission.epoch,
      iat: admission.admittedAt,
      exp: admission.expiresAt,
      tid: admission.tokenId,
    });
    return {
      eventId: entry.eventId,
      token,
      position: admission.position,
      expiresAt: admission.expiresAt,
      holdsLeft: Math.max(0, onSale.maxHoldsPerAdmission - admission.holdsUsed),
    };
  }

  private async onSaleOf(eventId: string): Promise<{ performance: Performance; onSale: OnSaleConfig }> {
    const performance = await this.deps.catalog.getPerformance(eventId);
    if (!performance?.onSale?.queue || performance.status !== 'ACTIVE') throw noWaitingRoom(eventId);
    return { performance, onSale: performance.onSale };
  }

  /** The queue state, read at most once per `stateCacheMs` per instance (and refreshed by the writer's tick). */
  private cachedState(eventId: string): Promise<QueueState | undefined> {
    return this.states.get(eventId, async () => {
      const state = await this.deps.store.getState(eventId);
      this.seeLine(eventId, { state });
      return state;
    });
  }

  /** Replaces the cached state with one this instance knows to be current (what it just read or wrote). */
  private cacheState(eventId: string, state: QueueState, onSale: OnSaleConfig): void {
    this.states.set(eventId, state);
    this.seeLine(eventId, { state, admitPerMinute: onSale.admitPerMinute });
  }

  private seeLine(eventId: string, seen: { state?: QueueState; admitPerMinute?: number }): void {
    // Bounded like the state cache: a process serves a handful of on-sales at a time.
    if (this.lines.size >= 1_000 && !this.lines.has(eventId)) this.lines.clear();
    const line = this.lines.get(eventId);
    if (!line) this.lines.set(eventId, { ...seen });
    else Object.assign(line, seen);
  }

  /**
   * One writer at a time, the booking core's rule (booking/writer.ts): only the writer region's instances take joins,
   * release admissions or count claims — none while DR is pending or a failback hands over — so an impaired primary
   * never fails open into the pilot light.
   */
  private async isWriter(): Promise<boolean> {
    const { region, primaryRegion } = this.deps.settings;
    return mayWrite(await this.deps.drState.current(), region, primaryRegion);
  }

  private async context(eventId: string, options: { fresh?: boolean } = {}): Promise<Context> {
    const { performance, onSale } = await this.onSaleOf(eventId);
    if (options.fresh) this.states.delete(eventId);
    const [state, writer] = await Promise.all([this.cachedState(eventId), this.isWriter()]);
    this.seeLine(eventId, { admitPerMinute: onSale.admitPerMinute });
    const now = this.deps.clock.now();
    return { performance, onSale, state, writer, now, phase: phaseOf(onSale, state, now, writer) };
  }

  private requireWriter(ctx: Context): void {
    if (!ctx.writer) {
      throw new DomainError(
        'UNAVAILABLE',
        'This region is standing by; the waiting room is served by the active one.',
        {
          retryAfter: 5,
        },
      );
    }
  }
}

function singleFlight<T>(flights: Map<string, Promise<T>>, key: string, run: () => Promise<T>): Promise<T> {
  const inFlight = flights.get(key);
  if (inFlight) return inFlight;
  const flight = run().finally(() => flights.delete(key));
  flights.set(key, flight);
  return flight;
}

function noWaitingRoom(eventId: string): DomainError {
  return new DomainError('NOT_FOUND', 'No waiting room for this event.', { eventId });
}

function queueClosed(): DomainError {
  return new DomainError('QUEUE_CLOSED', 'This on-sale has been closed.');
}

function notOpenYet(ctx: Context): DomainError {
  const opens = Math.max(ctx.onSale.preQueueOpensAt, ctx.state?.committedAt ?? ctx.onSale.preQueueOpensAt);
  return new DomainError('QUEUE_NOT_OPEN', `The waiting room opens at ${formatKst(opens, 'en')}.`, {
    opensAt: opens,
    retryAfter: Math.max(1, Math.ceil((opens - ctx.now) / 1000)),
  });
}

function notInQueue(rejoin: boolean): DomainError {
  return new DomainError(
    'NOT_IN_QUEUE',
    rejoin ? 'Your place was not carried over to this region; join again.' : 'You are not in this waiting room.',
    { rejoin },
  );
}

function notYourTurn(ctx: Context, resolved: ReturnType<typeof resolvePlace>): DomainError {
  const ahead = resolved.kind === 'LINE' && ctx.state ? resolved.position - ctx.state.serving - 1 : undefined;
  return new DomainError('NOT_YOUR_TURN', 'It is not your turn yet; your place is kept.', { ahead, retryAfter: 2 });
}

function turnExpired(): DomainError {
  return new DomainError('TURN_EXPIRED', 'Your turn passed without being used. Join again for a new place.', {
    reason: 'EXPIRED',
  });
}

function paused(): DomainError {
  return new DomainError('QUEUE_NOT_OPEN', 'Admissions are paused for a moment; your place is kept.', {
    paused: true,
    retryAfter: 15,
  });
}

function admissionRequired(eventId: string, reason: string): DomainError {
  return new DomainError('ADMISSION_REQUIRED', 'This on-sale goes through the waiting room: enter it to book.', {
    eventId,
    reason,
  });
}
