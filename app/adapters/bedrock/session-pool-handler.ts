import { NodeHttp2Handler, type NodeHttp2HandlerOptions } from '@smithy/node-http-handler';
import { ttftMark } from '../../shared/ttft-trace.js';
import { abortSignalOf } from './call-signal.js';

type Handle = NodeHttp2Handler['handle'];

/**
 * Kept-alive HTTP/2 sessions a burst of model calls may spread over. A request body is ≈ 20 KB; a server's
 * connection-level flow-control window is 64 KB unless it grants more (HTTP/2's default, Node's, and the fake's), so
 * one connection carries about three bodies before the client waits for the server's WINDOW_UPDATE — and the bodies
 * that do go out together are interleaved frame by frame, so each finishes as late as the last. Eight lanes give a
 * burst of twenty messages 2–3 bodies per connection.
 */
export const MAX_SESSIONS = 8;
/** Streams per HTTP/2 session before a lane's own pool opens another (well under any server's limit). */
const MAX_STREAMS_PER_SESSION = 50;
/** An idle session is closed after this long (also how long a retired handler's sessions may linger). */
const SESSION_IDLE_MS = 60_000;

/** One kept-alive session (the SDK's pooled handler) and the calls on it still waiting for their response. */
interface Lane {
  handler: NodeHttp2Handler;
  waiting: number;
}

/**
 * Bedrock's HTTP/2 handler with a small pool of kept-alive sessions for ConverseStream calls. The SDK's
 * NodeHttp2Handler gives every event-stream call a session of its own (`isEventStream` → an isolated session, closed
 * after the response): a TCP (in AWS, TLS) handshake per model call, and ≈ 1.6 ms of CPU in the API per call for
 * connect and teardown. ConverseStream streams only the response, so its calls can share sessions like any other
 * request: each lane passes them to the SDK's pooled path (`isEventStream: false`, concurrent streams allowed) and
 * keeps everything else — aborts (the stream is reset; the session stays), timeouts, GOAWAY and session errors (the
 * pool drops the session) — the SDK's.
 *
 * A call goes to the first lane with no call waiting for its response, so one person's messages keep to one session;
 * when every lane has one waiting, a new lane opens (up to `MAX_SESSIONS`), then the least busy is shared. One
 * session for everything made a burst's bodies queue behind one flow-control window (see `MAX_SESSIONS`).
 *
 * A session that dies without telling anyone (a half-open TCP connection) would otherwise be reused forever: every
 * call on it fails before a response (the assistant's first-event timeout aborts it). So a call that fails before
 * its response retires its lane's handler: the lane's next call opens a fresh session, and the old handler's
 * sessions finish the streams they carry and close once idle.
 */
export class SessionPoolHttp2Handler {
  readonly metadata = { handlerProtocol: 'h2' };
  private readonly lanes: Lane[] = [];
  private readonly retired = new Set<NodeHttp2Handler>();

  constructor(
    private readonly options: NodeHttp2HandlerOptions = {},
    /** Lanes at most (benchmarks compare one session with the pool). */
    private readonly maxSessions = MAX_SESSIONS,
  ) {}

  handle(...[request, options]: Parameters<Handle>): ReturnType<Handle> {
    const lane = this.pick();
    const handler = lane.handler;
    lane.waiting++;
    const abortSignal = abortSignalOf(request) ?? options?.abortSignal;
    const response = handler.handle(request, { ...options, abortSignal, isEventStream: false }).then(
      (answered) => {
        lane.waiting--;
        return answered;
      },
      (error: unknown) => {
        lane.waiting--;
        this.retire(lane, handler);
        throw error;
      },
    );
    ttftMark('modelWritten'); // the end of the API's start of a message (the request is on a session)
    return response;
  }

  /** Lanes opened so far (tests and benchmarks read how far a burst spread). */
  get laneCount(): number {
    return this.lanes.length;
  }

  /** Handlers retired so far that still hold sessions (tests use it to see a failure take effect). */
  get retiredCount(): number {
    return this.retired.size;
  }

  updateHttpClientConfig(key: keyof NodeHttp2HandlerOptions, value: NodeHttp2HandlerOptions[typeof key]): void {
    (this.options as Record<string, unknown>)[key] = value;
    for (const lane of this.lanes) lane.handler.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttp2HandlerOptions {
    return this.lanes[0]?.handler.httpHandlerConfigs() ?? {};
  }

  destroy(): void {
    for (const lane of this.lanes) lane.handler.destroy();
    this.lanes.length = 0;
    for (const handler of this.retired) handler.destroy();
    this.retired.clear();
  }

  private pick(): Lane {
    let least: Lane | undefined;
    for (const lane of this.lanes) {
      if (lane.waiting === 0) return lane;
      if (!least || lane.waiting < least.waiting) least = lane;
    }
    if (least && this.lanes.length >= this.maxSessions) return least;
    const lane = { handler: this.fresh(), waiting: 0 };
    this.lanes.push(lane);
    return lane;
  }

  private fresh(): NodeHttp2Handler {
    return new NodeHttp2Handler({
      sessionTimeout: SESSION_IDLE_MS,
      maxConcurrentStreams: MAX_STREAMS_PER_SESSION,
      ...this.options,
      disableConcurrentStreams: false,
    });
  }

  private retire(lane: Lane, handler: NodeHttp2Handler): void {
    if (lane.handler !== handler) return; // already retired by another failed call
    lane.handler = this.fresh();
    this.retired.add(handler);
    // Its live streams (other people's answers) run on; after that its sessions close when idle, and this ends it.
    setTimeout(() => {
      handler.destroy();
      this.retired.delete(handler);
    }, SESSION_IDLE_MS * 2).unref();
  }
}
