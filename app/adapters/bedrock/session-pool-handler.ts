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
/**
 * An idle session is closed after this long (also how long a retired handler's sessions may linger). Longer than a
 * lull between messages, so a burst after a quiet minute finds its lanes' sessions open instead of paying a TCP and
 * TLS handshake per lane at the moment it is busiest (at 60 s, the bench's think-time mode reopened up to 8 sessions
 * at an app phase's start); shorter than the 350 s after which the NAT gateway (the API's route to Bedrock) forgets an
 * idle connection and answers its next packet with a reset, so the client always closes first. The SDK's own default
 * is no idle limit at all.
 */
export const SESSION_IDLE_MS = 300_000;

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
 * sessions finish the streams they carry and close once idle. A call that failed because its session was already going
 * away (`neverSent`) is sent once more on the fresh one: the server never saw it, and the person should not see it fail.
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
    const abortSignal = abortSignalOf(request) ?? options?.abortSignal;
    const send = (retried: boolean): ReturnType<Handle> => {
      const lane = this.pick();
      const handler = lane.handler;
      lane.waiting++;
      return handler.handle(request, { ...options, abortSignal, isEventStream: false }).then(
        (answered) => {
          lane.waiting--;
          return answered;
        },
        (error: unknown) => {
          lane.waiting--;
          this.retire(lane, handler);
          // The request never left on a session that was going away: sending it once more on a fresh one is safe.
          if (!retried && !abortSignal?.aborted && neverSent(error)) return send(true);
          throw error;
        },
      );
    };
    const response = send(false);
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
    ttftMark('modelNewLane'); // this call opens a session of its own
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

/**
 * Failures that prove the server never saw the request: the HEADERS frame (type 1) that opens the stream could not be
 * sent, or the session was already closing when the stream was asked for. A kept-alive session the server has just
 * torn down (idle timeout, GOAWAY) fails a call this way if the call starts before the client has noticed.
 */
function neverSent(error: unknown): boolean {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (code === 'ERR_HTTP2_INVALID_SESSION' || code === 'ERR_HTTP2_GOAWAY_SESSION') return true;
  return typeof message === 'string' && message.startsWith('Frame type id 1 in stream');
}
