import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createApiListener } from '../../app/api/app.js';
import { listen, type RunningServer } from '../../app/server.js';
import { composeWeb, type WebOptions } from '../../app/web/compose.js';
import type { Fixture } from './fixture.js';

/** Serves the fixture's API over real HTTP on an ephemeral port, through the same entry path as production. */
export function serveApi(fx: Fixture): Promise<RunningServer> {
  return listen(createApiListener(fx.apiDeps), '127.0.0.1', 0);
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Serves the web tier against an API URL, exactly as production wires it (composeWeb, HTTP hop included). */
export function serveWeb(
  apiUrl: string,
  region = 'ap-northeast-2',
  options: Partial<WebOptions> = {},
): Promise<RunningServer> {
  const { app } = composeWeb({
    apiUrl,
    region,
    production: false,
    cookieSecure: false,
    log: () => {},
    catalogTtlMs: 0,
    seatStateTtlMs: 0,
    ...options,
  });
  return listen(app, '127.0.0.1', 0);
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * An HTTP request exactly as given — path bytes, headers and body untouched (fetch would normalise the path and
 * refuse some headers) — for probing what a hostile client can send.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
