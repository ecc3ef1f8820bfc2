import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter?: number;
  readonly body: unknown;
  /** From the moment the request was meant to go out (open-loop schedule) to the last byte of the answer. */
  readonly ms: number;
}

/**
 * A keep-alive HTTP/1.1 client with many sockets, so the API sees the concurrency of many browsers rather than a
 * client-side queue. Latency is measured from the intended send time: under overload the generator's own backlog
 * counts too (no coordinated omission).
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, sockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  send(
    method: string,
    path: string,
    headers: Record<string, string>,
    intendedAt: number = performance.now(),
  ): Promise<HttpAnswer> {
    return this.attempt(method, path, headers, intendedAt, true);
  }

  /**
   * One request; a reset on a kept-alive socket the server had just closed (idle past its keep-alive timeout, which a
   * waiter polling every minute or two meets) is sent once more on a new one, as browsers do — the request never
   * reached the server. Anything else is answered as status 0.
   */
  private attempt(
    method: string,
    path: string,
    headers: Record<string, string>,
    intendedAt: number,
    mayRetry: boolean,
  ): Promise<HttpAnswer> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          headers: { ...headers, 'content-length': '0' },
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
            const retryAfter = res.headers['retry-after'];
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
              body,
              ms: performance.now() - intendedAt,
            });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET') {
          resolve(this.attempt(method, path, headers, intendedAt, false));
        } else resolve({ status: 0, body: error.message, ms: performance.now() - intendedAt });
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
