/**
 * The JSON API's response shapes, as types only. Routes check their answers against them (`satisfies`) and the web
 * tier's API client returns them, so the two sides cannot drift apart and no call site re-declares a shape.
 */
import type { User } from '../accounts/model.js';
import type { ConversationView } from '../assistant/service.js';
import type { SignedIn } from '../accounts/service.js';
import type { Reservation } from '../booking/model.js';
import type { Page } from '../booking/ports.js';
import type { SeatOverlay } from '../booking/seat-overlay.js';
import type { SeatOption } from '../booking/seat-recommendation.js';
import type { SeatMap } from '../booking/seat-map.js';
import type { Writer } from '../booking/writer.js';
import type { CancellationQuoteView, HoldView, ScheduleCalendar } from '../booking/service.js';
import type { PriceRow } from '../catalog/grades.js';
import type { SeatLayout } from '../catalog/seat-layout.js';
import type { Performance, Schedule, Venue } from '../catalog/types.js';
import type { ErrorCode } from '../shared/errors.js';
import type { Localized } from '../shared/i18n.js';
import type { EpochMs } from '../shared/time.js';
import type { AdmissionGrant } from '../queue/service.js';
import type { PlaceView, QueueStatusView } from '../queue/views.js';

export type { CalendarSlot, HoldView, ScheduleCalendar } from '../booking/service.js';
export type { SeatOverlay } from '../booking/seat-overlay.js';
export type { SeatOption } from '../booking/seat-recommendation.js';
export type { SeatLayout, SeatLayoutRow, SeatLayoutSection } from '../catalog/seat-layout.js';
export type { Reservation } from '../booking/model.js';
export type { User } from '../accounts/model.js';

export interface ApiErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: Record<string, unknown> };
}

export type ListedPerformance = Performance & {
  readonly startingPrice?: number;
  readonly venue: { readonly id: string; readonly name?: Localized };
};

export interface PerformanceListResponse {
  readonly performances: readonly ListedPerformance[];
}

export interface PerformanceDetailResponse {
  readonly performance: Performance & { readonly startingPrice?: number };
  readonly venue?: {
    readonly id: string;
    readonly name: Localized;
    readonly address: Localized;
    readonly totalSeats: number;
  };
  readonly priceTable: readonly PriceRow[];
  readonly cancellationPolicy: { readonly ko: readonly string[]; readonly en: readonly string[] };
}

export interface ScheduleCalendarResponse {
  readonly calendar: ScheduleCalendar;
}
export interface SchedulesResponse {
  readonly schedules: readonly (Schedule & { readonly sellable: number; readonly available: number })[];
}
export interface ScheduleResponse {
  readonly schedule: Schedule;
  /** When cancelling a booking of this slot closes, by the API's cancellation policy (pages say it before payment). */
  readonly cancellationClosesAt: EpochMs;
}
export interface VenueResponse {
  readonly venue: Venue & { readonly totalSeats: number };
}
export interface SeatMapResponse {
  readonly seatMap: SeatMap;
}
export interface SeatLayoutResponse {
  readonly layout: SeatLayout;
}
export interface SeatOverlayResponse {
  readonly overlay: SeatOverlay;
}
export interface RecommendationsResponse {
  readonly options: readonly SeatOption[];
}

export type SignedInResponse = SignedIn;
export interface MeResponse {
  readonly user: User;
}

export interface HoldResponse {
  readonly hold: HoldView;
}
export interface ReservationResponse {
  readonly reservation: Reservation;
}
export interface ReservationListResponse {
  readonly reservations: Page<Reservation>;
  readonly awaitingPayment: readonly HoldView[];
}
export type CancellationQuoteResponse = CancellationQuoteView;

export interface DrStatusResponse {
  readonly region: string;
  readonly active: boolean;
  readonly since?: EpochMs;
  readonly graceUntil?: EpochMs;
  /** Set while a failback hands writes back to the primary (no region takes writes). */
  readonly failbackStartedAt?: EpochMs;
  /** One writer at a time: which region takes writes now, and whether this one does. */
  readonly writer: Writer;
  /** The region taking bookings now (absent during the failback hand-over): what a read-only region's pages name. */
  readonly writerRegion?: string;
  readonly acceptsWrites: boolean;
}

/** `GET /health` (liveness; the web tier's deep health path checks it). */
export interface HealthResponse {
  readonly status: 'ok';
  readonly role: 'api' | 'web';
  readonly region: string;
}

// The waiting room (issue 10).
export type { PlaceView, QueueStatusView } from '../queue/views.js';
export type { AdmissionGrant } from '../queue/service.js';
export interface QueueStatusResponse {
  readonly queue: QueueStatusView;
}
export interface QueuePlaceResponse {
  readonly place: PlaceView;
  /** A fresh signed ticket when the place was read from the entry (present it on the next poll). */
  readonly ticket?: string;
}
export interface AdmissionResponse {
  readonly admission: AdmissionGrant;
}
export type { AssistantEvent, AssistantErrorCode } from '../assistant/events.js';
export type { ConversationView } from '../assistant/service.js';

export interface AssistantStatusResponse {
  /** The offline model answers (no Bedrock configured): the UI says so. */
  readonly offline: boolean;
  /** The longest message the assistant accepts (characters). */
  readonly maxChars: number;
}
export interface AssistantConversationResponse {
  readonly conversation: ConversationView;
}
export interface AssistantMessageRequest {
  readonly conversationId?: string;
  readonly message: string;
  readonly locale: 'ko' | 'en';
  /** The turn of the last answer the page saw start: lets the instance that saved it skip the conversation read. */
  readonly turn?: number;
}
