import { createHash, randomUUID } from 'node:crypto';
import { isSlotOnSale } from '../catalog/schedules.js';
import type { Performance, Schedule, Venue } from '../catalog/types.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { formatKst, type EpochMs } from '../shared/time.js';
import { quoteCancellation, type CancellationPolicy, type CancellationQuote } from './cancellation-policy.js';
import { confirmedStatusFor, drProtectionOf, wasLiveAtFailover, type DrProtection } from './dr.js';
import { holdDeadline, isHoldLive, summaryOf } from './holds.js';
import type { AuditAction, AuditEntry, Hold, HoldSummary, Reservation } from './model.js';
import { priceSeats, totalsOf } from './pricing.js';
import { availabilityOf, buildSeatMap, type SeatMap } from './seat-map.js';
import { overlayFor, sharedSeatState, type SeatOverlay, type SharedSeatState } from './seat-overlay.js';
import { recommendSeats, type SeatOption } from './seat-recommendation.js';
import { seatLayoutOf, type SeatLayout } from '../catalog/seat-layout.js';
import { SingleFlightCache } from '../shared/single-flight-cache.js';
import type { KstDate } from '../shared/time.js';
import type { SeatRecord } from './seat-state.js';
import { retryOnRace, WriteRaced } from '../shared/concurrency.js';
import { RecentHolds } from './recent-holds.js';
import {
  AdmissionRefused,
  LiveHoldFound,
  NO_LIVE_HOLD,
  SeatConflict,
  type PointerExpectation,
  type AdmissionGate,
  type AdmissionUse,
  type BookingStore,
  type CatalogReader,
  type DrStateSource,
  type Page,
  type PaymentProvider,
} from './ports.js';

export interface BookingSettings {
  readonly holdMs: number;
  readonly bookingFeePerTicket: number;
  readonly drGraceMs: number;
  /** The region this process serves from (recorded on holds, reservations and audit entries). */
  readonly region: string;
  readonly primaryRegion: string;
  readonly cancellationPolicy: CancellationPolicy;
}

export interface BookingDeps {
  readonly catalog: CatalogReader;
  readonly store: BookingStore;
  readonly payments: PaymentProvider;
  readonly clock: Clock;
  readonly drState: DrStateSource;
  readonly settings: BookingSettings;
  /**
   * How long a slot's seat state read for *views* (seat map, overlay, calendar, recommendations) is shared by all
   * viewers (SPEC §8: at most about one DynamoDB read per slot per second per instance). Holds and confirms never
   * read it: they go to DynamoDB with their conditions. 0 disables sharing (tests that need exact reads).
   */
  readonly seatViewTtlMs?: number;
  /** The on-sale waiting room: performances sold through one need an admission for every hold and confirm. */
  readonly admissions?: AdmissionGate;
}

/** A show slot in the per-day calendar, with live availability and whether it can be booked now. */
export interface CalendarSlot extends Schedule {
  readonly sellable: number;
  readonly available: number;
  readonly bookable: boolean;
  /** Why it cannot be booked: sold out, or closed (not on sale / already started). */
  readonly reason?: 'SOLD_OUT' | 'CLOSED';
}

export interface ScheduleCalendar {
  readonly performanceId: string;
  /** Every upcoming KST date with slots, with its number of slots (catalog data only: no seat reads). */
  readonly days: readonly { readonly date: KstDate; readonly slots: number }[];
  /** The selected date (the requested one, else the first upcoming date), and its slots with availability. */
  readonly date?: KstDate;
  readonly slots: readonly CalendarSlot[];
}

/** What a hold request is, once validated and priced (the same for every try of its write). */
interface HoldRequest {
  readonly userId: string;
  readonly schedule: Schedule;
  readonly performance: Performance;
  readonly seats: Hold['seats'];
  readonly seatIds: readonly string[];
  readonly protection?: DrProtection;
  readonly admission?: AdmissionUse;
}

interface SlotSeatState {
  readonly records: readonly SeatRecord[];
  readonly shared: SharedSeatState;
}

export interface HoldView extends Hold {
  readonly live: boolean;
  readonly deadline: EpochMs;
  readonly ticketTotal: number;
  readonly bookingFee: number;
  readonly total: number;
  /** Milliseconds left to pay, by the API's clock (pages count down from this, not from the browser's clock). */
  readonly remainingMs: number;
  /** Set on a new hold that replaced (released) the user's previous live hold, so the page can say so. */
  readonly replacedHoldId?: string;
}

export interface CancellationQuoteView {
  readonly reservationId: string;
  readonly quote: CancellationQuote;
  readonly deadlineText: { readonly ko: string; readonly en: string };
}

/** A reservation's number is derived from its hold, so confirming one hold twice can only ever write one. */
export function reservationIdFor(holdId: string): string {
  const digest = createHash('sha256').update(holdId).digest('base64url').replace(/[-_]/g, '').slice(0, 10);
  return `MT${digest.toUpperCase()}`;
}

/** Holds, payment, reservations, cancellation and DR recovery: SPEC §3, against ports only. */
export class BookingService {
  private readonly seatViews: SingleFlightCache<SlotSeatState>;
  /** Holds created here, so their confirm (usually on this instance too) needs no read first. */
  private readonly recentHolds = new RecentHolds();

  constructor(private readonly deps: BookingDeps) {
    this.seatViews = new SingleFlightCache(deps.clock, deps.seatViewTtlMs ?? 1000, 5_000);
  }

  private get settings(): BookingSettings {
    return this.deps.settings;
  }

  async protection(): Promise<DrProtection | undefined> {
    const state = await this.deps.drState.current();
    return drProtectionOf(state, this.settings.drGraceMs, this.settings.primaryRegion);
  }

  async seatMap(scheduleId: string, viewerUserId?: string): Promise<SeatMap> {
    const { schedule, performance, venue } = await this.slot(scheduleId);
    const [{ records }, protection] = await Promise.all([this.slotSeatState(scheduleId), this.protection()]);
    return buildSeatMap({
      schedule,
      performance,
      venue,
      records,
      viewerUserId,
      now: this.deps.clock.now(),
      protection,
    });
  }

  /** The compact seat-state overlay of a slot as one viewer sees it (shared state + the viewer's own seats). */
  async seatOverlay(scheduleId: string, viewerUserId?: string): Promise<SeatOverlay> {
    const { shared } = await this.slotSeatState(scheduleId);
    return overlayFor(shared, viewerUserId);
  }

  /** The static seat layout of a performance (geometry + grade per row). */
  async seatLayout(performanceId: string): Promise<SeatLayout> {
    const performance = await this.deps.catalog.getPerformance(performanceId);
    const venue = performance && (await this.deps.catalog.getVenue(performance.venueId));
    if (!performance || !venue) throw new DomainError('NOT_FOUND', 'No such performance.', { performanceId });
    return seatLayoutOf(performance, venue);
  }

  /** Up to 3 options of `count` adjacent free seats in one row (SPEC §4.3 "best available"). */
  async recommend(scheduleId: string, count: number, grade?: string): Promise<readonly SeatOption[]> {
    const { performance, venue } = await this.slot(scheduleId);
    const { shared } = await this.slotSeatState(scheduleId);
    const taken = new Set([...shared.sold, ...shared.held]);
    return recommendSeats(seatLayoutOf(performance, venue), taken, { count, grade, limit: 3 });
  }

  /**
   * The schedule calendar of a performance: every upcoming date with slots (catalog only), and the slots of one date
   * with availability. Seat state is read only for that date's slots (through the shared view cache), so the cost of
   * a detail page does not grow with the length of the run.
   */
  async calendar(performanceId: string, date?: KstDate): Promise<ScheduleCalendar> {
    const performance = await this.deps.catalog.getPerformance(performanceId);
    if (!performance) throw new DomainError('NOT_FOUND', 'No such performance.', { performanceId });
    const now = this.deps.clock.now();
    const upcoming = (await this.deps.catalog.listSchedules(performanceId))
      .filter((s) => s.startsAt > now)
      .sort((a, b) => a.startsAt - b.startsAt);
    const counts = new Map<KstDate, number>();
    for (const s of upcoming) counts.set(s.date, (counts.get(s.date) ?? 0) + 1);
    const days = [...counts].map(([day, slots]) => ({ date: day, slots }));
    const selected = date && counts.has(date) ? date : days[0]?.date;
    const ofDay = upcoming.filter((s) => s.date === selected);
    const slots = await Promise.all(
      ofDay.map(async (schedule): Promise<CalendarSlot> => {
        const { shared } = await this.slotSeatState(schedule.id);
        const open = performance.status === 'ACTIVE' && schedule.status === 'ON_SALE';
        const reason = !open ? 'CLOSED' : shared.available === 0 ? 'SOLD_OUT' : undefined;
        return { ...schedule, sellable: shared.sellable, available: shared.available, bookable: !reason, reason };
      }),
    );
    return { performanceId, days, date: selected, slots };
  }

  /** Upcoming slots of a performance with live availability (sold-out slots can be disabled). */
  async schedulesWithAvailability(
    performanceId: string,
  ): Promise<readonly (Schedule & { sellable: number; available: number })[]> {
    const performance = await this.deps.catalog.getPerformance(performanceId);
    const venue = performance && (await this.deps.catalog.getVenue(performance.venueId));
    if (!performance || !venue) throw new DomainError('NOT_FOUND', 'No such performance.', { performanceId });
    const now = this.deps.clock.now();
    const [schedules, protection] = await Promise.all([
      this.deps.catalog.listSchedules(performanceId),
      this.protection(),
    ]);
    const upcoming = schedules.filter((s) => s.startsAt > now);
    return mapLimited(upcoming, 16, async (schedule) => ({
      ...schedule,
      ...availabilityOf(performance, venue, (await this.slotSeatState(schedule.id)).records, now, protection),
    }));
  }

  /** One shared read of a slot's seat items per `seatViewTtlMs`, whatever the number of viewers (SPEC §8). */
  private slotSeatState(scheduleId: string): Promise<SlotSeatState> {
    return this.seatViews.get(scheduleId, async () => {
      const { performance, venue } = await this.slot(scheduleId);
      const [records, protection] = await Promise.all([this.deps.store.seatRecords(scheduleId), this.protection()]);
      const now = this.deps.clock.now();
      return { records, shared: sharedSeatState({ scheduleId, performance, venue, records, now, protection }) };
    });
  }

  /**
   * `admissionToken`: for a performance sold through a waiting room, the token its admission issued. It is verified
   * without I/O, and the admission is checked and counted inside the hold's own transaction.
   */
  async hold(
    userId: string,
    scheduleId: string,
    seatIds: readonly string[],
    admissionToken?: string,
  ): Promise<HoldView> {
    const { schedule, performance, venue } = await this.onSale(scheduleId);
    const seats = priceSeats(performance, venue, seatIds);
    // The gate's check (the token verified in memory against the shared, ≤ 1 s cached queue state) and the DR state
    // are in-process reads on the common path: the hold's only round trip is its transaction.
    const [admission, protection] = await Promise.all([
      this.deps.admissions?.admissionFor(performance, userId, admissionToken),
      this.protection(),
    ]);
    const request: HoldRequest = { userId, schedule, performance, seats, seatIds, protection, admission };
    return retryOnRace(async (attempt) => {
      if (attempt === 1) {
        // First try, the pointer unread: the transaction itself checks that the user has no live hold. When they
        // have one, the refusal returns the pointer, and the replacing hold is written at once.
        try {
          return await this.writeHold(request, NO_LIVE_HOLD);
        } catch (error) {
          if (!(error instanceof LiveHoldFound)) throw error;
          return await this.writeHold(request, { was: error.pointer?.holdId }, error.pointer);
        }
      }
      // After a lost race, read carefully: the pointer, then the hold it names as it is now.
      const pointer = await this.deps.store.activeHoldOf(userId);
      return this.writeHold(request, { was: pointer?.holdId }, pointer && (await this.currentSummary(pointer)));
    });
  }

  /** One hold transaction: the new hold, and the release of `previous` when that is still live. */
  private async writeHold(
    { userId, schedule, performance, seats, seatIds, protection, admission }: HoldRequest,
    pointer: PointerExpectation,
    previous?: HoldSummary,
  ): Promise<HoldView> {
    const now = this.deps.clock.now();
    // One live hold per user, whatever its live status: a DR-recovered hold awaiting payment is replaced too.
    const replacing = previous && isHoldLive(previous, now, protection) ? previous : undefined;
    const hold: Hold = {
      holdId: randomUUID(),
      userId,
      scheduleId: schedule.id,
      performanceId: performance.id,
      seats,
      createdAt: now,
      expiresAt: now + this.settings.holdMs,
      status: 'HOLDING',
      region: this.settings.region,
    };
    const audit = [this.audit(hold.holdId, 'HOLD_CREATED', userId, now, undefined, 'HOLDING', { seatIds })];
    if (replacing) {
      audit.push(this.audit(replacing.holdId, 'HOLD_REPLACED', userId, now, replacing.status, 'RELEASED'));
    }
    try {
      // A hold of this user paid here still named by the pointer is not live: the first try may overwrite it.
      const paidHoldId = pointer === NO_LIVE_HOLD ? this.recentHolds.paidHoldOf(userId, now) : undefined;
      await this.deps.store.createHold({ hold, replacing, pointer, paidHoldId, protection, now, audit, admission });
    } catch (error) {
      if (error instanceof AdmissionRefused && admission)
        throw await this.deps.admissions!.refusalOf(admission, 'hold');
      throw error instanceof SeatConflict ? seatsUnavailable(error.seatIds, seats) : error;
    }
    if (replacing) this.recentHolds.forget(replacing.holdId);
    this.recentHolds.remember(hold);
    const view = this.view(hold, protection, now);
    return replacing ? { ...view, replacedHoldId: replacing.holdId } : view;
  }

  async getHold(userId: string, holdId: string): Promise<HoldView> {
    const hold = await this.ownHold(userId, holdId);
    return this.view(hold, await this.protection(), this.deps.clock.now());
  }

  release(userId: string, holdId: string): Promise<void> {
    return retryOnRace(() => this.releaseOnce(userId, holdId));
  }

  private async releaseOnce(userId: string, holdId: string): Promise<void> {
    const hold = await this.ownHold(userId, holdId);
    if (hold.status === 'CONFIRMED') throw holdPaid(hold);
    if (hold.status === 'RELEASED') return;
    const now = this.deps.clock.now();
    const audit = this.audit(hold.holdId, 'HOLD_RELEASED', userId, now, hold.status, 'RELEASED');
    this.recentHolds.forget(holdId);
    if (!(await this.deps.store.releaseHold(hold, now, audit))) {
      // Refused: a concurrent release, replace or confirm got there first; the hold as it is now says which.
      const current = await this.deps.store.getHold(holdId);
      if (current?.status === 'CONFIRMED') throw holdPaid(current);
      if (current?.status === 'RELEASED') return;
      // Still open, but not as read (DR recovery turned it DR_RECOVERED meanwhile): read again and release that.
      throw new WriteRaced(`hold ${holdId} is now ${current?.status ?? 'gone'}`);
    }
  }

  /**
   * Idempotent: a hold pays once, whatever the number of (concurrent) confirms. `admissionToken`: as for `hold`;
   * paying closes the admission in the same transaction, so the token cannot be used again.
   */
  confirm(userId: string, holdId: string, admissionToken?: string): Promise<Reservation> {
    return retryOnRace((attempt) => this.confirmOnce(userId, holdId, attempt, admissionToken));
  }

  private async confirmOnce(
    userId: string,
    holdId: string,
    attempt: number,
    admissionToken?: string,
  ): Promise<Reservation> {
    const dr = await this.deps.drState.current();
    const protection = drProtectionOf(dr, this.settings.drGraceMs, this.settings.primaryRegion);
    // A hold this instance created, has not seen end and whose expiry has not passed needs no read: what it is never
    // changes, and the transaction's conditions check what can (status, owner, expiry). Not during a failover (DR
    // recovery changes a hold's status) and not on a retry. See docs/architecture.md for the payment trade-off.
    const recent = attempt === 1 && !protection ? this.recentHolds.recall(holdId, this.deps.clock.now()) : undefined;
    const hold = recent?.userId === userId ? recent : await this.ownHold(userId, holdId);
    if (hold.status === 'CONFIRMED') return this.reservationOf(hold);
    if (hold.status === 'RELEASED') throw holdReleased();
    const now = this.deps.clock.now();
    if (!isHoldLive(hold, now, protection)) throw holdExpired();
    const schedule = await this.deps.catalog.getSchedule(hold.scheduleId);
    if (!schedule) throw new DomainError('NOT_FOUND', 'This show slot no longer exists.');
    const admission = await this.admissionToPay(hold, userId, admissionToken);
    const totals = totalsOf(hold.seats, this.settings.bookingFeePerTicket);
    const payment = await this.deps.payments.charge({
      idempotencyKey: `hold:${hold.holdId}`,
      amount: totals.total,
      currency: 'KRW',
      description: `MegaTicket ${schedule.id} × ${hold.seats.length}`,
    });
    if (!payment.approved) throw new DomainError('PAYMENT_DECLINED', `Payment was declined: ${payment.reason}`);
    const status = confirmedStatusFor(dr);
    const reservation: Reservation = {
      reservationId: reservationIdFor(hold.holdId),
      holdId: hold.holdId,
      userId,
      scheduleId: hold.scheduleId,
      performanceId: hold.performanceId,
      showStartsAt: schedule.startsAt,
      seats: hold.seats,
      ...totals,
      status,
      bookedAt: now,
      region: this.settings.region,
      paymentReference: payment.reference,
    };
    const audit = this.audit(reservation.reservationId, 'RESERVATION_CONFIRMED', userId, now, hold.status, status, {
      holdId: hold.holdId,
      total: totals.total,
    });
    let confirmed: boolean;
    try {
      confirmed = await this.deps.store.confirmHold({ hold, reservation, protection, now, audit, admission });
    } catch (error) {
      if (!(error instanceof AdmissionRefused) || !admission) throw error;
      await this.deps.payments.refund(payment.reference, totals.total, `refund:${hold.holdId}`);
      throw await this.deps.admissions!.refusalOf(admission, 'confirm');
    }
    this.recentHolds.forget(holdId); // paid now, or ended some other way
    if (confirmed) {
      this.recentHolds.rememberPaid(hold); // its pointer stays: the owner's next hold here knows it names no live hold
      return reservation;
    }
    // Refused. The hold as it is now says why: a concurrent confirm of it won (idempotent success), a release or a
    // replacing hold ended it first, or it ran out.
    const current = await this.deps.store.getHold(holdId);
    if (current?.status === 'CONFIRMED') return this.reservationOf(current);
    // Still live, but not in the status paid for (DR recovery turned it DR_RECOVERED meanwhile; the write is
    // conditional on the exact status, so the audit entry names the status it really had): read again and pay that.
    // No refund: the retry charges with the same idempotency key, so it is the same charge.
    if (
      current &&
      current.status !== hold.status &&
      (current.status === 'HOLDING' || current.status === 'DR_RECOVERED')
    ) {
      throw new WriteRaced(`hold ${holdId} is now ${current.status}`);
    }
    await this.deps.payments.refund(payment.reference, totals.total, `refund:${hold.holdId}`);
    throw current?.status === 'RELEASED' ? holdReleased(REFUNDED) : holdExpired(REFUNDED);
  }

  /**
   * The admission a confirm closes. The token may have passed its own expiry by the hold time (a hold placed in the
   * admission's last minute) or a DR grace (a recovered hold paid in the standby region); the hold's liveness is the
   * real deadline and is checked by the transaction itself.
   */
  private async admissionToPay(hold: Hold, userId: string, token?: string): Promise<AdmissionUse | undefined> {
    if (!this.deps.admissions) return undefined;
    const performance = await this.deps.catalog.getPerformance(hold.performanceId);
    if (!performance) throw new DomainError('NOT_FOUND', 'This performance no longer exists.');
    return this.deps.admissions.admissionFor(
      performance,
      userId,
      token,
      this.settings.holdMs + this.settings.drGraceMs,
    );
  }

  /** What cancelling now would refund; a cancelled reservation answers ALREADY_CANCELLED, as cancel does. */
  async quote(userId: string, reservationId: string): Promise<CancellationQuoteView> {
    const reservation = notCancelled(await this.ownReservation(userId, reservationId));
    return this.quoteFor(reservation, this.deps.clock.now());
  }

  cancel(userId: string, reservationId: string): Promise<Reservation> {
    return retryOnRace(() => this.cancelOnce(userId, reservationId));
  }

  private async cancelOnce(userId: string, reservationId: string): Promise<Reservation> {
    const reservation = notCancelled(await this.ownReservation(userId, reservationId));
    const now = this.deps.clock.now();
    const { quote, deadlineText } = await this.quoteFor(reservation, now);
    if (!quote.cancellable) {
      throw new DomainError('CANCELLATION_CLOSED', `Cancellation closed at ${deadlineText.en}.`, {
        deadline: quote.deadline,
      });
    }
    const cancellation = {
      cancelledAt: now,
      tier: quote.tier,
      cancellationFee: quote.cancellationFee,
      ticketRefund: quote.ticketRefund,
      bookingFeeRefund: quote.bookingFeeRefund,
      refundTotal: quote.refundTotal,
    };
    const audit = this.audit(reservationId, 'RESERVATION_CANCELLED', userId, now, reservation.status, 'CANCELLED', {
      refundTotal: quote.refundTotal,
    });
    if (!(await this.deps.store.cancelReservation(reservation, cancellation, audit))) {
      throw new DomainError('ALREADY_CANCELLED', 'This reservation is already cancelled.');
    }
    await this.deps.payments.refund(reservation.paymentReference, quote.refundTotal, `cancel:${reservationId}`);
    return { ...reservation, status: 'CANCELLED', cancellation };
  }

  async getReservation(userId: string, reservationId: string): Promise<Reservation> {
    return this.ownReservation(userId, reservationId);
  }

  /**
   * Newest first, plus the holds awaiting payment (they come first: they have a deadline): any DR-recovered holds and
   * the user's live hold, wherever it was made (seat map or assistant).
   */
  async myReservations(
    userId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ reservations: Page<Reservation>; awaitingPayment: readonly HoldView[] }> {
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
    const firstPage = !options.cursor;
    const [reservations, recovered, pointer, protection] = await Promise.all([
      this.deps.store.listReservations(userId, limit, options.cursor),
      firstPage ? this.deps.store.listRecoveredHolds(userId) : Promise.resolve([]),
      firstPage ? this.deps.store.activeHoldOf(userId) : Promise.resolve(undefined),
      this.protection(),
    ]);
    const now = this.deps.clock.now();
    // The pointer's copy can lag its hold (paid or released since): the hold itself decides.
    const active =
      pointer && isHoldLive(pointer, now, protection) && !recovered.some((h) => h.holdId === pointer.holdId)
        ? await this.deps.store.getHold(pointer.holdId)
        : undefined;
    const awaitingPayment = [...recovered, ...(active ? [active] : [])]
      .map((h) => this.view(h, protection, now))
      .filter((h) => h.live);
    return { reservations, awaitingPayment };
  }

  /**
   * DR activation: the primary region's holds that were live at `since` become DR_RECOVERED with the grace
   * deadline `since + grace`. Idempotent and safe to repeat (global-table replication can deliver late holds).
   */
  async recoverHoldsForDr(): Promise<number> {
    const protection = await this.protection();
    if (!protection) return 0;
    const now = this.deps.clock.now();
    if (now >= protection.graceUntil) return 0;
    const candidates = await this.deps.store.holdsExpiringAfter(protection.since);
    let recovered = 0;
    for (const hold of candidates) {
      if (hold.status !== 'HOLDING' || !wasLiveAtFailover(hold, protection)) continue;
      const audit = this.audit(hold.holdId, 'HOLD_DR_RECOVERED', 'system:dr', now, 'HOLDING', 'DR_RECOVERED', {
        since: protection.since,
        graceUntil: protection.graceUntil,
      });
      // A hold that races with its owner's confirm/release is left to that action; the next pass looks again.
      if (await this.deps.store.recoverHold(hold, protection.graceUntil, audit).catch(ignoreRace)) recovered++;
    }
    return recovered;
  }

  private async slot(scheduleId: string): Promise<{ schedule: Schedule; performance: Performance; venue: Venue }> {
    const schedule = await this.deps.catalog.getSchedule(scheduleId);
    if (!schedule) throw new DomainError('NOT_FOUND', 'No such show slot.', { scheduleId });
    const performance = await this.deps.catalog.getPerformance(schedule.performanceId);
    const venue = performance && (await this.deps.catalog.getVenue(performance.venueId));
    if (!performance || !venue) throw new DomainError('NOT_FOUND', 'No such performance.', { scheduleId });
    return { schedule, performance, venue };
  }

  private async onSale(scheduleId: string): Promise<{ schedule: Schedule; performance: Performance; venue: Venue }> {
    const { schedule, performance, venue } = await this.slot(scheduleId);
    const now = this.deps.clock.now();
    if (performance.status !== 'ACTIVE' || !isSlotOnSale(schedule, now)) {
      const started = schedule.startsAt <= now;
      throw new DomainError(
        'NOT_ON_SALE',
        started ? 'This show has already started; sales are closed.' : 'This show slot is not on sale.',
      );
    }
    return { schedule, performance, venue };
  }

  /** The hold the pointer names, as it is now (undefined once it is no longer live-able: paid or released). */
  private async currentSummary(pointer: HoldSummary): Promise<HoldSummary | undefined> {
    const hold = await this.deps.store.getHold(pointer.holdId);
    return hold && summaryOf(hold);
  }

  private async ownHold(userId: string, holdId: string): Promise<Hold> {
    const hold = await this.deps.store.getHold(holdId);
    // Someone else's hold answers exactly like a missing one: ids are not an oracle.
    if (!hold || hold.userId !== userId) throw new DomainError('NOT_FOUND', 'No such hold for your account.');
    return hold;
  }

  private async ownReservation(userId: string, reservationId: string): Promise<Reservation> {
    const reservation = await this.deps.store.getReservation(reservationId);
    if (!reservation || reservation.userId !== userId) {
      throw new DomainError('NOT_FOUND', 'No such reservation for your account.');
    }
    return reservation;
  }

  private async reservationOf(hold: Hold): Promise<Reservation> {
    const reservation = hold.reservationId && (await this.deps.store.getReservation(hold.reservationId));
    if (!reservation) throw new DomainError('INTERNAL', 'The reservation for this hold could not be read.');
    return reservation;
  }

  private async quoteFor(reservation: Reservation, now: EpochMs): Promise<CancellationQuoteView> {
    const performance = await this.deps.catalog.getPerformance(reservation.performanceId);
    if (!performance) throw new DomainError('NOT_FOUND', 'The performance of this reservation no longer exists.');
    const quote = quoteCancellation(this.settings.cancellationPolicy, {
      bookedAt: reservation.bookedAt,
      showStartsAt: reservation.showStartsAt,
      now,
      genre: performance.genre,
      tickets: reservation.seats,
      bookingFeePerTicket: reservation.bookingFee / Math.max(reservation.seats.length, 1),
    });
    return {
      reservationId: reservation.reservationId,
      quote,
      deadlineText: { ko: formatKst(quote.deadline, 'ko'), en: formatKst(quote.deadline, 'en') },
    };
  }

  private view(hold: Hold, protection: DrProtection | undefined, now: EpochMs): HoldView {
    return {
      ...hold,
      ...totalsOf(hold.seats, this.settings.bookingFeePerTicket),
      live: isHoldLive(hold, now, protection),
      deadline: holdDeadline(hold, now, protection),
      remainingMs: isHoldLive(hold, now, protection) ? Math.max(0, holdDeadline(hold, now, protection) - now) : 0,
    };
  }

  private audit(
    entityId: string,
    action: AuditAction,
    actorUserId: string,
    at: EpochMs,
    from: string | undefined,
    to: string,
    details?: Record<string, unknown>,
  ): AuditEntry {
    return { entityId, action, actorUserId, at, region: this.settings.region, from, to, details };
  }
}

function seatsUnavailable(seatIds: readonly string[], requested: readonly { seatId: string; label: { en: string } }[]) {
  const labels = seatIds.map((id) => requested.find((s) => s.seatId === id)?.label.en ?? id);
  return new DomainError('SEATS_UNAVAILABLE', `Already taken: ${labels.join('; ')}. Nothing was held.`, { seatIds });
}

function notCancelled(reservation: Reservation): Reservation {
  if (reservation.status === 'CANCELLED') {
    throw new DomainError('ALREADY_CANCELLED', 'This reservation is already cancelled.');
  }
  return reservation;
}

function holdPaid(hold: Hold) {
  return new DomainError('HOLD_NOT_ACTIVE', 'This hold has been paid; cancel the reservation instead.', {
    reservationId: hold.reservationId,
  });
}

/** What a refused confirm says about the money: refused before the charge, or charged and refunded in full. */
const NOT_CHARGED = 'nothing was charged.';
const REFUNDED = 'the payment was refunded in full.';

function holdReleased(money: string = NOT_CHARGED) {
  return new DomainError('HOLD_NOT_ACTIVE', `This hold was released (or replaced by a newer hold); ${money}`);
}

function holdExpired(money: string = NOT_CHARGED) {
  return new DomainError('HOLD_EXPIRED', `This hold has expired and its seats were released; ${money}`);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

function ignoreRace(error: unknown): false {
  if (error instanceof WriteRaced) return false;
  throw error;
}
