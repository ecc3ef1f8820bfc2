import type {
  PerformanceDetailResponse,
  PerformanceListResponse,
  ScheduleCalendarResponse,
  ScheduleResponse,
  SeatLayout,
  SeatOverlay,
} from '../api/contracts.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { SingleFlightCache } from '../shared/single-flight-cache.js';
import { bodyOf, type ApiClient, type CallContext } from './api-client.js';

/** How long the public catalog reads (lists, details, schedules) are kept by default. */
export const CATALOG_TTL_MS = 5_000;
/** How long an anonymous slot's seat state is kept by default (the calendar twice as long). */
export const SEAT_STATE_TTL_MS = 500;

/**
 * Short, single-flight caches of the API's *public* reads (catalog, calendar, seat layout, anonymous seat state),
 * so a popular page costs the API one call per cache period instead of one per viewer. Personal data (a user's
 * holds, reservations, own seats) is never cached here. Seat state is revalidated by ETag: an unchanged slot costs the
 * API a 304 from its own shared cache, never a DynamoDB read.
 */
export class PublicReads {
  private readonly lists: SingleFlightCache<PerformanceListResponse>;
  private readonly details: SingleFlightCache<PerformanceDetailResponse>;
  private readonly schedules: SingleFlightCache<ScheduleResponse>;
  private readonly calendars: SingleFlightCache<ScheduleCalendarResponse>;
  private readonly layouts: SingleFlightCache<SeatLayout>;
  private readonly states: SingleFlightCache<SeatOverlay>;
  private readonly lastState = new Map<string, { etag?: string; overlay: SeatOverlay }>();

  constructor(
    private readonly api: ApiClient,
    options: { catalogTtlMs?: number; seatStateTtlMs?: number; clock?: Clock } = {},
  ) {
    const clock = options.clock ?? systemClock;
    const catalogTtl = options.catalogTtlMs ?? CATALOG_TTL_MS;
    const seatTtl = options.seatStateTtlMs ?? SEAT_STATE_TTL_MS;
    this.lists = new SingleFlightCache(clock, catalogTtl, 1_000);
    this.details = new SingleFlightCache(clock, catalogTtl, 1_000);
    this.schedules = new SingleFlightCache(clock, catalogTtl, 5_000);
    this.calendars = new SingleFlightCache(clock, seatTtl * 2, 2_000);
    this.layouts = new SingleFlightCache(clock, 60_000, 200);
    this.states = new SingleFlightCache(clock, seatTtl, 5_000);
  }

  performances(query: URLSearchParams): Promise<PerformanceListResponse> {
    return this.lists.get(query.toString(), () => this.api.performances(query));
  }

  performance(id: string): Promise<PerformanceDetailResponse> {
    return this.details.get(id, () => this.api.performance(id));
  }

  schedule(id: string): Promise<ScheduleResponse> {
    return this.schedules.get(id, () => this.api.schedule(id));
  }

  calendar(performanceId: string, date: string | undefined): Promise<ScheduleCalendarResponse> {
    return this.calendars.get(`${performanceId}|${date ?? ''}`, () => this.api.calendar(performanceId, date));
  }

  seatLayout(performanceId: string): Promise<SeatLayout> {
    return this.layouts.get(performanceId, async () => bodyOf(await this.api.seatLayout(performanceId)).layout);
  }

  /**
   * A slot's seat state. Anonymous viewers share one cached copy (revalidated by ETag); a logged-in viewer's copy
   * also names their own held seats, so it is asked for with their token and not shared.
   */
  seatState(scheduleId: string, context: CallContext): Promise<SeatOverlay> {
    if (context.token) return this.api.seatState(scheduleId, undefined, context).then((r) => bodyOf(r).overlay);
    return this.states.get(scheduleId, async () => {
      const previous = this.lastState.get(scheduleId);
      const answer = await this.api.seatState(scheduleId, previous?.etag);
      if (answer.notModified && previous) return previous.overlay;
      const overlay = answer.notModified ? bodyOf(await this.api.seatState(scheduleId)).overlay : answer.body.overlay;
      if (this.lastState.size > 5_000) this.lastState.clear();
      this.lastState.set(scheduleId, { etag: answer.notModified ? undefined : answer.etag, overlay });
      return overlay;
    });
  }
}
