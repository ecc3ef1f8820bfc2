import { NodeHttp2Handler, type NodeHttp2HandlerOptions } from '@smithy/node-http-handler';
import { ttftMark } from '../../shared/ttft-trace.js';

type Handle = NodeHttp2Handler['handle'];

/** Streams per HTTP/2 session before the pool opens another (well under any server's limit). */
const MAX_STREAMS_PER_SESSION = 50;
/** An idle session is closed after this long (also how long a retired handler's sessions may linger). */
const SESSION_IDLE_MS = 60_000;

/**
 * Bedrock's HTTP/2 handler with one kept-alive session for ConverseStream calls. The SDK's NodeHttp2Handler gives
 * every event-stream call a session of its own (`isEventStream` → an isolated session, closed after the response):
 * a TCP (in AWS, TLS) handshake per model call, and ≈ 1.6 ms of CPU in the API per call for connect and teardown.
 * ConverseStream streams only the response, so its calls can share a session like any other request: this
 * handler passes them to the SDK's pooled path (`isEventStream: false`, concurrent streams allowed) and keeps
 * everything else — aborts (the stream is reset; the session stays), timeouts, GOAWAY and session errors (the pool
 * drops the session) — the SDK's.
 *
 * A session that dies without telling anyone (a half-open TCP connection) would otherwise be reused forever: every
 * call on it fails before a response (the assistant's first-event timeout aborts it). So a call that fails before its
 * response retires the whole handler: the next call opens a fresh session, and the old handler's sessions finish
 * the streams they carry and close once idle.
 */
export class SharedSessionHttp2Handler {
  readonly metadata = { handlerProtocol: 'h2' };
  private current: NodeHttp2Handler;
  private readonly retired = new Set<NodeHttp2Handler>();

  constructor(private readonly options: NodeHttp2HandlerOptions = {}) {
    this.current = this.fresh();
  }

  handle(...[request, options]: Parameters<Handle>): ReturnType<Handle> {
    const handler = this.current;
    const response = handler.handle(request, { ...options, isEventStream: false }).catch((error: unknown) => {
      this.retire(handler);
      throw error;
    });
    ttftMark('modelWritten'); // the end of the API's start of a message (the request is on the session)
    return response;
  }

  /** Handlers retired so far that still hold sessions (tests use it to see a failure take effect). */
  get retiredCount(): number {
    return this.retired.size;
  }

  updateHttpClientConfig(key: keyof NodeHttp2HandlerOptions, value: NodeHttp2HandlerOptions[typeof key]): void {
    (this.options as Record<string, unknown>)[key] = value;
    this.current.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttp2HandlerOptions {
    return this.current.httpHandlerConfigs();
  }

  destroy(): void {
    this.current.destroy();
    for (const handler of this.retired) handler.destroy();
    this.retired.clear();
  }

  private fresh(): NodeHttp2Handler {
    return new NodeHttp2Handler({
      sessionTimeout: SESSION_IDLE_MS,
      maxConcurrentStreams: MAX_STREAMS_PER_SESSION,
      ...this.options,
      disableConcurrentStreams: false,
    });
  }

  private retire(handler: NodeHttp2Handler): void {
    if (handler !== this.current) return; // already retired by another failed call
    this.current = this.fresh();
    this.retired.add(handler);
    // Its live streams (other people's answers) run on; after that its sessions close when idle, and this ends it.
    setTimeout(() => {
      handler.destroy();
      this.retired.delete(handler);
    }, SESSION_IDLE_MS * 2).unref();
  }
}
