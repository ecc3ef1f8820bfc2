import { Agent, request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';

/**
 * One simulated browser's connection to the web tier (bench:chat): its own keep-alive agent, so the socket it opened
 * for the chat page carries every later message, as a browser's connection to the load balancer does. A browser keeps
 * an idle connection for minutes (Chrome 5 min); the server's keep-alive (125 s) decides when it closes, longer than
 * any think time or model-only phase of the bench. Twenty people sharing global `fetch`'s pool stood for twenty
 * browsers badly: undici hands its first connections out first, so the others idled until the server closed them and
 * the next burst of answers opened new ones in the middle of a measured phase.
 *
 * `node:http`, not `fetch`: undici's fetch costs several times the CPU per request in the load generator, which
 * shares the machine's two cores with the processes it measures.
 */
export class BrowserConnection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
  private readonly host: string;
  private readonly port: number;
  private readonly sockets = new WeakSet<object>();
  /** Connections this browser has opened so far (1 while its first one lives). */
  opened = 0;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  /** Sends a request on this browser's connection; resolves with the response head, its body still to be read. */
  send(method: string, path: string, headers: OutgoingHttpHeaders, body?: string): Promise<IncomingMessage> {
    const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          headers: { ...headers, ...(bytes ? { 'content-length': String(bytes.length) } : {}) },
          agent: this.agent,
        },
        resolve,
      );
      req.on('socket', (socket) => {
        if (this.sockets.has(socket)) return;
        this.sockets.add(socket);
        this.opened++;
      });
      req.on('error', reject);
      req.end(bytes);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The body of `response` as text (a page the browser loads). */
export async function textOf(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The `name=value` pairs of a response's `Set-Cookie` headers, kept in `cookies` as a browser keeps them. */
export function keepCookies(response: IncomingMessage, cookies: Map<string, string>): void {
  for (const line of response.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    cookies.set(name!.trim(), value.join('='));
  }
}
