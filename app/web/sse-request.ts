import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { currentRequestId } from '../shared/request-context.js';
import { ttftMark, ttftTracing } from '../shared/ttft-trace.js';

/** One server-sent event of a streaming API answer. */
export interface StreamEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** An answer that is not a stream: its status and body, for the caller to turn into its own error. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`answered ${status}`);
    this.name = 'StreamRefused';
  }
}

// Kept-alive connections to the API: the chat relay opens one stream per message, and a new connection each time
// (or fetch's web-streams machinery per chunk) is CPU on the path to the first token. Handed out first in, first
// out: Node's default (last in, first out) keeps reusing the few most recent sockets, so the ones a peak of
// concurrent answers opened sit idle through quieter minutes until the API closes them (its 125 s keep-alive), and
// the next peak's messages wait for new connections (bench:chat saw them on the first messages of a phase).
const options = { keepAlive: true, scheduling: 'fifo' } as const;
const agents = { 'http:': new HttpAgent(options), 'https:': new HttpsAgent(options) };

/**
 * A POST answered with `text/event-stream`, over node:http rather than fetch: yields each event as it arrives. A
 * status ≥ 400 is thrown as StreamRefused (with the body) before any event; a network failure is thrown as is;
 * aborting `signal` ends the stream.
 */
export async function* postForEvents(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: https ? agents['https:'] : agents['http:'],
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      signal,
    });
    req.once('response', resolve);
    req.once('error', reject);
    if (ttftTracing) {
      ttftMark('apiSend');
      const traceId = currentRequestId();
      req.once('finish', () => ttftMark('apiFinish', traceId)); // the request handed to the kernel
    }
    req.end(body);
  });
  response.setEncoding('utf8');
  const status = response.statusCode ?? 0;
  if (status >= 400) {
    let text = '';
    for await (const chunk of response) text += chunk as string;
    throw new StreamRefused(status, text);
  }
  let buffer = '';
  for await (const chunk of response) {
    buffer += chunk as string;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const event = parseEvent(block);
      if (event) yield event;
    }
  }
}

function parseEvent(block: string): StreamEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return data.length > 0 ? { event, data: data.join('\n'), id } : undefined;
}
