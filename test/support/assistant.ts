import type { AssistantEvent } from '../../app/assistant/events.js';

export interface ChatReply {
  readonly status: number;
  readonly events: AssistantEvent[];
  /** The JSON error body when the API refused before streaming. */
  readonly error?: { code: string; message: string; details?: Record<string, unknown> };
  readonly text: string;
  readonly conversationId?: string;
  /** The turn the answer saves the conversation as (its `start` event), to send back with the next message. */
  readonly turn?: number;
}

/** One message to the API's assistant endpoint; the event stream is read to its end. */
export async function chat(
  apiUrl: string,
  message: string,
  options: {
    token?: string;
    conversationId?: string;
    turn?: number;
    locale?: 'ko' | 'en';
    headers?: Record<string, string>;
  } = {},
): Promise<ChatReply> {
  const response = await fetch(new URL('/v1/assistant/messages', apiUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({
      message,
      conversationId: options.conversationId,
      turn: options.turn,
      locale: options.locale,
    }),
  });
  const body = await response.text();
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    return { status: response.status, events: [], error: JSON.parse(body).error, text: '' };
  }
  // Server-sent events: `event: <type>` and one `data:` line holding the event as JSON, blank-line separated.
  const events = body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      const event = JSON.parse(data!.slice(6)) as AssistantEvent;
      if (!block.startsWith(`event: ${event.type}\n`)) throw new Error(`event name mismatch: ${block}`);
      return event;
    });
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const start = events.find((e) => e.type === 'start');
  return {
    status: response.status,
    events,
    text,
    conversationId: start?.type === 'start' ? start.conversationId : undefined,
    turn: start?.type === 'start' ? start.turn : undefined,
  };
}

export function eventsOf<T extends AssistantEvent['type']>(reply: ChatReply, type: T) {
  return reply.events.filter((e): e is Extract<AssistantEvent, { type: T }> => e.type === type);
}
