import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter?: number;
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** From the moment the request was meant to go out (open-loop schedule) to the last byte of the answer. */
  readonly ms: number;
}

/** What a request may carry beyond method, path and headers. */
export interface SendOptions {
  /** Sent with its content-length; none sends `content-length: 0`. */
  readonly body?: string;
  /** Gives up (status 0) when no answer has come within this many ms. */
  readonly timeoutMs?: number;
}

/**
 * A keep-alive HTTP/1.1 client with many sockets, so the API sees the concurrency of many browsers rather than a
 * client-side queue. Latency is measured from the intended send time: under overload the generator's own backlog
 * counts too (no coordinated omission). `node:http` rather than `fetch`: the load generator shares the machine (and
 * in bench:holds, the process) with what it measures, and undici's fetch costs several times the CPU per request.
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
    options: SendOptions = {},
  ): Promise<HttpAnswer> {
    return this.attempt(method, path, headers, intendedAt, options, true);
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
    options: SendOptions,
    mayRetry: boolean,
  ): Promise<HttpAnswer> {
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          headers: { ...headers, 'content-length': String(body?.length ?? 0) },
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('error', (error) =>
            resolve({ status: 0, body: error.message, headers: {}, ms: performance.now() - intendedAt }),
          );
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
              headers: res.headers,
              ms: performance.now() - intendedAt,
            });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET') {
          resolve(this.attempt(method, path, headers, intendedAt, options, false));
        } else resolve({ status: 0, body: error.message, headers: {}, ms: performance.now() - intendedAt });
      });
      if (options.timeoutMs !== undefined)
        req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
