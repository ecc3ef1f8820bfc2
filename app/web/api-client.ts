import type { ErrorCode } from '../shared/errors.js';
import { currentRequestId } from '../shared/request-context.js';

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
  readonly clientIp?: string;
}

/**
 * The web tier's only way to data: HTTP to the region-local internal API URL it was started with
 * (the NLB in AWS, 127.0.0.1 locally) — never a public domain, never the other region.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  get<T>(path: string, context: CallContext = {}): Promise<T> {
    return this.call<T>('GET', path, undefined, context);
  }

  post<T>(path: string, body: unknown, context: CallContext = {}): Promise<T> {
    return this.call<T>('POST', path, body, context);
  }

  delete<T>(path: string, context: CallContext = {}): Promise<T> {
    return this.call<T>('DELETE', path, undefined, context);
  }

  private async call<T>(method: string, path: string, body: unknown, context: CallContext): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (context.token) headers.authorization = `Bearer ${context.token}`;
    if (context.clientIp) headers['x-forwarded-for'] = context.clientIp;
    // The page request's id travels on, so its web and API log lines (and an API error) share one id.
    const requestId = currentRequestId();
    if (requestId) headers['x-request-id'] = requestId;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ApiError(503, 'UPSTREAM', `The booking service did not answer (${(error as Error).message}).`);
    }
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => undefined)) as
      { error?: { code: ErrorCode; message: string; details?: Record<string, unknown> } } | undefined;
    if (!response.ok) {
      const error = payload?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'UPSTREAM',
        error?.message ?? 'The booking service failed.',
        error?.details,
      );
    }
    return payload as T;
  }
}
