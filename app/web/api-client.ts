import type {
  ApiErrorBody,
  AssistantConversationResponse,
  AssistantEvent,
  AssistantMessageRequest,
  AssistantStatusResponse,
  CancellationQuoteResponse,
  DrStatusResponse,
  HealthResponse,
  HoldResponse,
  MeResponse,
  PerformanceDetailResponse,
  PerformanceListResponse,
  RecommendationsResponse,
  ReservationListResponse,
  ReservationResponse,
  ScheduleCalendarResponse,
  ScheduleResponse,
  SeatLayoutResponse,
  SeatOverlayResponse,
  SignedInResponse,
  AdmissionResponse,
  QueuePlaceResponse,
  QueueStatusResponse,
} from '../api/contracts.js';
import type { ErrorCode } from '../shared/errors.js';
import { HEALTH_PATH } from '../shared/load-balancing.js';
import { currentRequestId } from '../shared/request-context.js';
import { ttftMark, ttftTracing } from '../shared/ttft-trace.js';
import { postForEvents, StreamRefused, type StreamEvent } from './sse-request.js';

/** An error answer from the API, carrying its stable code so pages can say exactly what was refused. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'UPSTREAM',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallContext {
  /** The browser's session token, forwarded so the API (not the web tier) decides who the user is. */
  readonly token?: string;
  /** The browser's address (X-Forwarded-For), so the API's per-IP limits count browsers, not the web tier. */
  readonly clientIp?: string;
}

/** A conditional read: `notModified` when the API answered 304 to the ETag we sent. */
export type Conditional<T> =
  | { readonly notModified: true; readonly etag: string }
  | { readonly notModified: false; readonly etag?: string; readonly body: T };

export type { StreamEvent };

const enc = encodeURIComponent;

/**
 * The web tier's only way to data: HTTP to the region-local internal API URL it was started with (the NLB in AWS,
 * 127.0.0.1 locally) — never a public domain, never the other region. One method per endpoint, typed by the API's
 * own contracts (`app/api/contracts.ts`).
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  // Catalog and seat views
  performances(query: URLSearchParams, c?: CallContext) {
    return this.call<PerformanceListResponse>('GET', `/v1/performances?${query}`, c);
  }
  performance(id: string, c?: CallContext) {
    return this.call<PerformanceDetailResponse>('GET', `/v1/performances/${enc(id)}`, c);
  }
  calendar(performanceId: string, date: string | undefined, c?: CallContext) {
    const query = date ? `?date=${enc(date)}` : '';
    return this.call<ScheduleCalendarResponse>('GET', `/v1/performances/${enc(performanceId)}/calendar${query}`, c);
  }
  schedule(id: string, c?: CallContext) {
    return this.call<ScheduleResponse>('GET', `/v1/schedules/${enc(id)}`, c);
  }
  seatLayout(performanceId: string, etag?: string, c?: CallContext) {
    return this.conditional<SeatLayoutResponse>(`/v1/performances/${enc(performanceId)}/seat-layout`, etag, c);
  }
  seatState(scheduleId: string, etag?: string, c?: CallContext) {
    return this.conditional<SeatOverlayResponse>(`/v1/schedules/${enc(scheduleId)}/seat-state`, etag, c);
  }
  recommendations(scheduleId: string, count: number, grade: string | undefined, c?: CallContext) {
    const query = new URLSearchParams({ count: String(count), ...(grade ? { grade } : {}) });
    return this.call<RecommendationsResponse>('GET', `/v1/schedules/${enc(scheduleId)}/recommendations?${query}`, c);
  }
  dr(c?: CallContext) {
    return this.call<DrStatusResponse>('GET', '/v1/dr', c);
  }
  /** The API tier's liveness; the web tier's deep health path (Route53's check) asks it. */
  health(c?: CallContext) {
    return this.call<HealthResponse>('GET', HEALTH_PATH, c);
  }

  // Accounts
  signup(body: { email: string; password: string; displayName?: string }, c?: CallContext) {
    return this.call<SignedInResponse>('POST', '/v1/auth/signup', c, body);
  }
  login(body: { email: string; password: string }, c?: CallContext) {
    return this.call<SignedInResponse>('POST', '/v1/auth/login', c, body);
  }
  logout(c: CallContext) {
    return this.call<void>('POST', '/v1/auth/logout', c);
  }
  me(c: CallContext) {
    return this.call<MeResponse>('GET', '/v1/me', c);
  }

  // Booking
  /** `admissionToken`: for a performance sold through a waiting room, the admission its room issued. */
  hold(scheduleId: string, seatIds: readonly string[], c: CallContext, admissionToken?: string) {
    return this.call<HoldResponse>('POST', '/v1/holds', c, { scheduleId, seatIds, admissionToken });
  }
  getHold(holdId: string, c: CallContext) {
    return this.call<HoldResponse>('GET', `/v1/holds/${enc(holdId)}`, c);
  }
  release(holdId: string, c: CallContext) {
    return this.call<void>('DELETE', `/v1/holds/${enc(holdId)}`, c);
  }
  confirm(holdId: string, c: CallContext, admissionToken?: string) {
    const body = admissionToken ? { admissionToken } : undefined;
    return this.call<ReservationResponse>('POST', `/v1/holds/${enc(holdId)}/confirm`, c, body);
  }
  reservations(query: { limit?: number; cursor?: string }, c: CallContext) {
    const params = new URLSearchParams();
    if (query.limit) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    return this.call<ReservationListResponse>('GET', `/v1/reservations?${params}`, c);
  }
  reservation(id: string, c: CallContext) {
    return this.call<ReservationResponse>('GET', `/v1/reservations/${enc(id)}`, c);
  }
  cancellationQuote(id: string, c: CallContext) {
    return this.call<CancellationQuoteResponse>('GET', `/v1/reservations/${enc(id)}/cancellation-quote`, c);
  }
  cancel(id: string, c: CallContext) {
    return this.call<ReservationResponse>('POST', `/v1/reservations/${enc(id)}/cancel`, c);
  }

  // The waiting room: a ticket (the signed place the API issued) lets a poll skip every DynamoDB read.
  queueStatus(eventId: string, c?: CallContext) {
    return this.call<QueueStatusResponse>('GET', `/v1/queues/${enc(eventId)}`, c);
  }
  joinQueue(eventId: string, c: CallContext, ticket?: string) {
    return this.call<QueuePlaceResponse>('PUT', `/v1/queues/${enc(eventId)}/entry`, c, undefined, ticketHeader(ticket));
  }
  queuePlace(eventId: string, c: CallContext, ticket?: string) {
    return this.call<QueuePlaceResponse>('GET', `/v1/queues/${enc(eventId)}/entry`, c, undefined, ticketHeader(ticket));
  }
  claimAdmission(eventId: string, c: CallContext, ticket?: string) {
    return this.call<AdmissionResponse>(
      'POST',
      `/v1/queues/${enc(eventId)}/admission`,
      c,
      undefined,
      ticketHeader(ticket),
    );
  }
  // Assistant
  assistantStatus(c?: CallContext) {
    return this.call<AssistantStatusResponse>('GET', '/v1/assistant', c);
  }
  assistantConversation(id: string, c: CallContext) {
    return this.call<AssistantConversationResponse>('GET', `/v1/assistant/conversations/${enc(id)}`, c);
  }
  /** One message to the assistant: its answer as the API's semantic events, as they arrive. */
  async *assistantMessage(
    body: AssistantMessageRequest,
    c: CallContext,
    signal?: AbortSignal,
  ): AsyncGenerator<AssistantEvent> {
    for await (const { data } of this.stream('/v1/assistant/messages', body, c, signal)) {
      yield JSON.parse(data) as AssistantEvent;
    }
  }

  /**
   * A streaming POST answered with `text/event-stream` (the assistant's relay uses it): yields each event as it
   * arrives. An error status is thrown as ApiError before the first event; aborting `signal` ends the stream.
   */
  async *stream(path: string, body: unknown, c: CallContext = {}, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const headers = this.headersOf(c, { accept: 'text/event-stream', 'content-type': 'application/json' });
    let events: AsyncGenerator<StreamEvent>;
    let first: IteratorResult<StreamEvent>;
    try {
      events = postForEvents(new URL(path, this.baseUrl), headers, JSON.stringify(body), signal);
      first = await events.next();
    } catch (error) {
      if (error instanceof StreamRefused) throw errorOfBody(error.status, error.body);
      if (signal?.aborted) throw error;
      throw new ApiError(503, 'UPSTREAM', `The booking service did not answer (${(error as Error).message}).`);
    }
    if (first.done) return;
    yield first.value;
    yield* events;
  }

  private async conditional<T>(path: string, etag: string | undefined, c?: CallContext): Promise<Conditional<T>> {
    const response = await this.send('GET', path, c ?? {}, undefined, etag ? { 'if-none-match': etag } : {});
    if (response.status === 304) return { notModified: true, etag: etag! };
    if (!response.ok) throw await errorOf(response);
    return { notModified: false, etag: response.headers.get('etag') ?? undefined, body: (await response.json()) as T };
  }

  private async call<T>(
    method: string,
    path: string,
    c: CallContext = {},
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const response = await this.send(method, path, c, body, extra);
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** The caller's identity and address, and the page request's id, on every call to the API. */
  private headersOf(c: CallContext, base: Record<string, string>): Record<string, string> {
    const headers = { ...base };
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (c.clientIp) headers['x-forwarded-for'] = c.clientIp;
    // The page request's id travels on, so its web and API log lines (and an API error) share one id.
    const requestId = currentRequestId();
    if (requestId) headers['x-request-id'] = requestId;
    return headers;
  }

  private async send(
    method: string,
    path: string,
    c: CallContext,
    body: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const headers = this.headersOf(c, {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...extra,
    });
    const requestId = headers['x-request-id'];
    if (ttftTracing && requestId?.startsWith('ttft-')) {
      // A call a traced chat message waits for in the web tier (a status or session read): marked as such, and sent
      // under its own id, so the API's marks of the message are its relay's, not this call's.
      ttftMark('apiRead');
      headers['x-request-id'] = `${requestId}~read`;
    }
    try {
      return await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ApiError(503, 'UPSTREAM', `The booking service did not answer (${(error as Error).message}).`);
    }
  }
}

const ticketHeader = (ticket: string | undefined): Record<string, string> =>
  ticket ? { 'x-queue-ticket': ticket } : {};

async function errorOf(response: Response): Promise<ApiError> {
  return errorOfBody(response.status, await response.text().catch(() => ''));
}

function errorOfBody(status: number, text: string): ApiError {
  let payload: Partial<ApiErrorBody> | undefined;
  try {
    payload = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    payload = undefined;
  }
  const error = payload?.error;
  return new ApiError(
    status,
    error?.code ?? 'UPSTREAM',
    error?.message ?? 'The booking service failed.',
    error?.details,
  );
}

/** The body of a conditional read that was asked without an ETag (so it cannot be a 304). */
export function bodyOf<T>(answer: Conditional<T>): T {
  if (answer.notModified)
    throw new ApiError(502, 'UPSTREAM', 'The booking service answered 304 to an unconditional read.');
  return answer.body;
}
