/**
 * Stable error codes shared by the domain, the JSON API and (later) the web tier and assistant. The HTTP status
 * belongs to the code, so every layer maps a refusal the same way.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SEATS_UNAVAILABLE: 409,
  HOLD_NOT_ACTIVE: 409,
  HOLD_EXPIRED: 409,
  NOT_ON_SALE: 409,
  CANCELLATION_CLOSED: 409,
  ALREADY_CANCELLED: 409,
  EMAIL_TAKEN: 409,
  CONCURRENT_UPDATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  REGION_READ_ONLY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
