import type { ErrorCode } from '../shared/errors.js';
import type { ApiError } from './api-client.js';
import type { ViewHelpers } from './view-helpers.js';

type WebErrorCode = ErrorCode | 'UPSTREAM';

/**
 * The one mapping from the API's error codes to what a page answers: the HTTP status and a message key per language
 * (`views/i18n/*.json`). `satisfies Record<ErrorCode, …>` makes a new API code a compile error here until it is
 * mapped, so no refusal can fall through to the 500 page.
 */
export const ERROR_VIEWS = {
  VALIDATION_FAILED: { status: 400, key: 'error.VALIDATION_FAILED' },
  UNAUTHENTICATED: { status: 401, key: 'error.UNAUTHENTICATED' },
  INVALID_CREDENTIALS: { status: 401, key: 'error.INVALID_CREDENTIALS' },
  PAYMENT_DECLINED: { status: 402, key: 'error.PAYMENT_DECLINED' },
  FORBIDDEN: { status: 403, key: 'error.FORBIDDEN' },
  NOT_FOUND: { status: 404, key: 'error.NOT_FOUND' },
  METHOD_NOT_ALLOWED: { status: 405, key: 'error.badRequest' },
  SEATS_UNAVAILABLE: { status: 409, key: 'error.SEATS_UNAVAILABLE' },
  HOLD_NOT_ACTIVE: { status: 409, key: 'error.HOLD_NOT_ACTIVE' },
  HOLD_EXPIRED: { status: 409, key: 'error.HOLD_EXPIRED' },
  NOT_ON_SALE: { status: 409, key: 'error.NOT_ON_SALE' },
  CANCELLATION_CLOSED: { status: 409, key: 'error.CANCELLATION_CLOSED' },
  ALREADY_CANCELLED: { status: 409, key: 'error.ALREADY_CANCELLED' },
  EMAIL_TAKEN: { status: 409, key: 'error.EMAIL_TAKEN' },
  CONCURRENT_UPDATE: { status: 409, key: 'error.CONCURRENT_UPDATE' },
  PAYLOAD_TOO_LARGE: { status: 413, key: 'error.PAYLOAD_TOO_LARGE' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, key: 'error.badRequest' },
  RATE_LIMITED: { status: 429, key: 'error.RATE_LIMITED' },
  INTERNAL: { status: 500, key: 'error.server' },
  UNAVAILABLE: { status: 503, key: 'error.UNAVAILABLE' },
  REGION_READ_ONLY: { status: 503, key: 'error.REGION_READ_ONLY' },
  UPSTREAM: { status: 503, key: 'error.UNAVAILABLE' },
} as const satisfies Record<WebErrorCode, { status: number; key: string }>;

export interface ErrorView {
  readonly status: number;
  readonly message: string;
}

/** What the page says about an API refusal, in the page's language. */
export function errorView(error: ApiError, fmt: ViewHelpers): ErrorView {
  const view = ERROR_VIEWS[error.code] ?? ERROR_VIEWS.INTERNAL;
  const seconds = Number(error.details?.retryAfter ?? 60);
  return { status: view.status, message: fmt.t(view.key, { seconds }) };
}

/**
 * Client mistakes and refusals (4xx) are answered on the page, and so is a region that is read-only during a
 * failover (503: an expected answer, not a failure); only real failures become the 500 page.
 */
export const isRefusal = (error: ApiError): boolean =>
  ERROR_VIEWS[error.code].status < 500 || error.code === 'REGION_READ_ONLY';
