import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { estimateTokens, MIN_CACHEABLE_TOKENS_HAIKU_4_5 } from '../../app/assistant/token-estimate.js';

/**
 * A local Bedrock Runtime that speaks the real wire protocol: HTTP/2 (cleartext), `POST /model/{id}/converse-stream`,
 * answered with `application/vnd.amazon.eventstream` messages encoded by @smithy/eventstream-codec, or with the HTTP
 * error shape the SDK parses (`x-amzn-errortype` + JSON body). The real @aws-sdk/client-bedrock-runtime talks to it
 * through `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` or an explicit endpoint.
 *
 * It also plays Bedrock's prompt cache: a prefix ending at a `cachePoint` (tools → system → messages, in that order)
 * is written when it has at least the model's minimum tokens and read back by later requests within 5 minutes, and
 * the `metadata.usage` it returns splits input tokens into uncached, cache-write and cache-read accordingly.
 */

export interface FakeRequest {
  readonly modelId: string;
  readonly body: any;
  readonly at: number;
  /** Text of the last user message that is not a tool result (the person's message). */
  readonly userText: string;
  /** Tool results in the final user message, by tool name (looked up from the matching tool use). */
  readonly toolResults: readonly { name: string; content: any; status: string }[];
  /** The text of the system blocks after the last cache point (the dynamic part). */
  readonly dynamicSystemText: string;
}

export type StreamEvent =
  { readonly event: string; readonly body: object } | { readonly exception: string; readonly message: string };

export type FakeReply =
  | {
      readonly kind: 'stream';
      readonly events: readonly StreamEvent[];
      /** Wait before answering with headers and the first event. */
      readonly delayMs?: number;
      /** Wait between events. */
      readonly gapMs?: number;
      /** End the HTTP/2 stream right after the events (no messageStop unless listed) — or reset it. */
      readonly ending?: 'end' | 'reset';
    }
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string; readonly message?: string }
  | { readonly kind: 'hang' };

export type Responder = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

function frame(event: StreamEvent): Uint8Array {
  const json = (value: object) => new Uint8Array(Buffer.from(JSON.stringify(value)));
  if ('exception' in event) {
    return codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'exception' },
        ':exception-type': { type: 'string', value: event.exception },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: json({ message: event.message }),
    });
  }
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: event.event },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: json(event.body),
  });
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export class FakeBedrock {
  readonly requests: FakeRequest[] = [];
  readonly usages: Usage[] = [];
  /** Errors thrown by a responder (a test's script ran out or misread a request); answered as HTTP 500. */
  readonly scriptErrors: Error[] = [];
  private readonly queues = new Map<string, FakeReply[]>();
  private readonly cache = new Map<string, number>();
  private readonly openStreams = new Set<http2.ServerHttp2Stream>();
  private readonly openSessions = new Set<http2.ServerHttp2Session>();
  /** HTTP/2 sessions (client connections) opened so far: how tests see whether calls share one. */
  sessionsOpened = 0;
  /** Used when no reply is queued for the model. */
  responder: Responder = () => reply.text('OK');
  /** The fake's own clock for cache expiry (tests move it to expire the cache). */
  now: () => number = Date.now;

  private constructor(
    /** The HTTP/2 server itself (benchmarks watch its sessions and streams). */
    readonly server: http2.Http2Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeBedrock> {
    const server = http2.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeBedrock(server, `http://127.0.0.1:${port}`);
    server.on('stream', (stream, headers) => fake.handle(stream, headers));
    server.on('session', (session) => {
      fake.sessionsOpened++;
      fake.openSessions.add(session);
      session.on('close', () => fake.openSessions.delete(session));
    });
    return fake;
  }

  /** Replies for one model id, used in order before the responder. */
  queue(modelId: string, ...replies: FakeReply[]): void {
    this.queues.set(modelId, [...(this.queues.get(modelId) ?? []), ...replies]);
  }

  reset(): void {
    this.requests.length = 0;
    this.usages.length = 0;
    this.scriptErrors.length = 0;
    this.queues.clear();
    this.cache.clear();
    this.responder = () => reply.text('OK');
  }

  /** Tears down every client connection at once, as a server restart or a network cut does. */
  dropSessions(): void {
    for (const session of this.openSessions) session.destroy();
  }

  requestsFor(modelId: string): FakeRequest[] {
    return this.requests.filter((r) => r.modelId === modelId);
  }

  async stop(): Promise<void> {
    for (const stream of this.openStreams) stream.close(http2.constants.NGHTTP2_CANCEL);
    for (const session of this.openSessions) session.close(); // clients keep their sessions open between calls
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    this.openStreams.add(stream);
    stream.on('close', () => this.openStreams.delete(stream));
    stream.on('error', () => {}); // a client that aborts resets the stream
    const path = String(headers[':path'] ?? '');
    const match = /^\/model\/([^/]+)\/converse-stream$/.exec(path);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', async () => {
      if (!match) {
        respondError(stream, { kind: 'error', status: 404, errorType: 'UnknownOperationException' });
        return;
      }
      const modelId = decodeURIComponent(match[1]!);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const request = describe(modelId, body, this.now());
      this.requests.push(request);
      const queued = this.queues.get(modelId)?.shift();
      let answer: FakeReply;
      try {
        answer = queued ?? (await this.responder(request));
      } catch (error) {
        this.scriptErrors.push(error as Error);
        answer = { kind: 'error', status: 500, errorType: 'InternalServerException', message: String(error) };
      }
      await this.answer(stream, request, answer);
    });
  }

  private async answer(stream: http2.ServerHttp2Stream, request: FakeRequest, answer: FakeReply): Promise<void> {
    if (answer.kind === 'hang') return; // never answers; the client's timeout must fire
    if (answer.kind === 'error') {
      respondError(stream, answer);
      return;
    }
    if (answer.delayMs) await sleep(answer.delayMs);
    if (stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    for (const event of answer.events) {
      if (stream.destroyed) return;
      const filled = 'event' in event && event.event === 'metadata' ? this.withUsage(request, event) : event;
      stream.write(frame(filled));
      if (answer.gapMs) await sleep(answer.gapMs);
    }
    if (stream.destroyed) return;
    if (answer.ending === 'reset') stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    else stream.end();
  }

  /** A `metadata` event whose usage is left `auto` gets the simulated cache split for this request. */
  private withUsage(request: FakeRequest, event: { event: string; body: any }): StreamEvent {
    if (event.body.usage !== 'auto') return event;
    const usage = { ...this.simulateCache(request), outputTokens: event.body.outputTokens ?? 0 };
    this.usages.push(usage);
    return {
      event: 'metadata',
      body: {
        usage: {
          ...usage,
          totalTokens:
            usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens,
        },
        metrics: { latencyMs: 1 },
      },
    };
  }

  private simulateCache(request: FakeRequest): Omit<Usage, 'outputTokens'> {
    const { total, points } = promptLayout(request.body);
    const minimum = request.modelId.includes('claude-haiku-4-5') ? MIN_CACHEABLE_TOKENS_HAIKU_4_5 : 1024;
    const now = this.now();
    const eligible = points.filter((p) => p.tokensBefore >= minimum);
    let read = 0;
    for (const point of eligible) {
      const expires = this.cache.get(point.hash);
      if (expires !== undefined && expires > now) read = point.tokensBefore;
    }
    const last = eligible.at(-1);
    const write = last && last.tokensBefore > read ? last.tokensBefore - read : 0;
    for (const point of eligible) this.cache.set(point.hash, now + 5 * 60 * 1000);
    return { inputTokens: total - read - write, cacheReadInputTokens: read, cacheWriteInputTokens: write };
  }
}

/**
 * The request as Bedrock caches it: tools, then system, then messages; each `cachePoint` closes a prefix. Returns
 * the estimated tokens of the whole prompt and, per cache point, the tokens and a hash of everything before it.
 */
export function promptLayout(body: any): { total: number; points: { tokensBefore: number; hash: string }[] } {
  const pieces: unknown[] = [
    ...(body.toolConfig?.tools ?? []),
    ...(body.system ?? []),
    ...(body.messages ?? []).flatMap((m: any) => m.content.map((c: any) => ({ role: m.role, ...c }))),
  ];
  const hash = createHash('sha256');
  const points: { tokensBefore: number; hash: string }[] = [];
  let total = 0;
  for (const piece of pieces as any[]) {
    if (piece.cachePoint) {
      points.push({ tokensBefore: total, hash: hash.copy().digest('hex') });
      continue;
    }
    const text = typeof piece.text === 'string' ? piece.text : JSON.stringify(piece);
    hash.update(JSON.stringify(piece));
    total += estimateTokens(text);
  }
  return { total, points };
}

function describe(modelId: string, body: any, at: number): FakeRequest {
  const messages: any[] = body.messages ?? [];
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    for (const c of m.content) if (c.toolUse) toolNames.set(c.toolUse.toolUseId, c.toolUse.name);
  }
  const personal = messages.filter((m) => m.role === 'user' && m.content.some((c: any) => typeof c.text === 'string'));
  const userText = (personal.at(-1)?.content ?? [])
    .filter((c: any) => typeof c.text === 'string')
    .map((c: any) => c.text)
    .join('\n');
  const last = messages.at(-1);
  const toolResults =
    last?.role === 'user'
      ? last.content
          .filter((c: any) => c.toolResult)
          .map((c: any) => ({
            name: toolNames.get(c.toolResult.toolUseId) ?? '?',
            content: c.toolResult.content?.[0]?.json,
            status: c.toolResult.status,
          }))
      : [];
  const system: any[] = body.system ?? [];
  const lastPoint = system.map((b) => Boolean(b.cachePoint)).lastIndexOf(true);
  const dynamicSystemText = system
    .slice(lastPoint + 1)
    .map((b) => b.text ?? '')
    .join('\n');
  return { modelId, body, at, userText, toolResults, dynamicSystemText };
}

function respondError(stream: http2.ServerHttp2Stream, error: Extract<FakeReply, { kind: 'error' }>): void {
  if (stream.destroyed) return;
  stream.respond({
    ':status': error.status,
    'content-type': 'application/json',
    'x-amzn-errortype': `${error.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  stream.end(JSON.stringify({ message: error.message ?? `${error.errorType} from the fake` }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ToolCallSpec {
  readonly name: string;
  readonly input: object | string;
  /** How many fragments to split the input JSON into (default 1). */
  readonly fragments?: number;
  readonly toolUseId?: string;
}

let toolUseCounter = 0;

/** Builders for the event sequences ConverseStream really sends. */
export const reply = {
  /** A text answer streamed in chunks of `chunk` characters, ended by messageStop and metadata. */
  text(text: string, options: { chunk?: number; delayMs?: number; gapMs?: number } = {}): FakeReply {
    return {
      kind: 'stream',
      delayMs: options.delayMs,
      gapMs: options.gapMs,
      events: [
        { event: 'messageStart', body: { role: 'assistant' } },
        ...textDeltas(0, text, options.chunk ?? 8),
        { event: 'contentBlockStop', body: { contentBlockIndex: 0 } },
        { event: 'messageStop', body: { stopReason: 'end_turn' } },
        metadata(estimateTokens(text)),
      ],
    };
  },

  /** Optional leading text, then tool uses whose JSON input arrives in several fragments. */
  tools(calls: readonly ToolCallSpec[], leadingText = '', options: { delayMs?: number } = {}): FakeReply {
    const events: StreamEvent[] = [{ event: 'messageStart', body: { role: 'assistant' } }];
    let index = 0;
    if (leadingText) {
      events.push(...textDeltas(0, leadingText, 8), { event: 'contentBlockStop', body: { contentBlockIndex: 0 } });
      index = 1;
    }
    let output = estimateTokens(leadingText);
    for (const call of calls) {
      const json = typeof call.input === 'string' ? call.input : JSON.stringify(call.input);
      output += estimateTokens(json);
      const toolUseId = call.toolUseId ?? `tooluse_${++toolUseCounter}`;
      events.push({
        event: 'contentBlockStart',
        body: { contentBlockIndex: index, start: { toolUse: { toolUseId, name: call.name } } },
      });
      for (const fragment of split(json, call.fragments ?? 1)) {
        events.push({
          event: 'contentBlockDelta',
          body: { contentBlockIndex: index, delta: { toolUse: { input: fragment } } },
        });
      }
      events.push({ event: 'contentBlockStop', body: { contentBlockIndex: index } });
      index++;
    }
    events.push({ event: 'messageStop', body: { stopReason: 'tool_use' } }, metadata(output));
    return { kind: 'stream', events, delayMs: options.delayMs };
  },

  error(status: number, errorType: string, message?: string): FakeReply {
    return { kind: 'error', status, errorType, message };
  },

  hang(): FakeReply {
    return { kind: 'hang' };
  },
};

export function metadata(outputTokens: number): StreamEvent {
  return { event: 'metadata', body: { usage: 'auto', outputTokens } };
}

export function textDeltas(index: number, text: string, chunk: number): StreamEvent[] {
  const chars = [...text];
  const events: StreamEvent[] = [];
  for (let i = 0; i < chars.length; i += chunk) {
    events.push({
      event: 'contentBlockDelta',
      body: { contentBlockIndex: index, delta: { text: chars.slice(i, i + chunk).join('') } },
    });
  }
  return events;
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}
