import type { AssistantEvent } from '../../app/assistant/events.js';

export interface ChatReply {
  readonly status: number;
  readonly events: AssistantEvent[];
  /** The JSON error body when the API refused before streaming. */
  readonly error?: { code: string; message: string; details?: Record<string, unknown> };
  readonly text: string;
  readonly conversationId?: string;
}

/** One message to the API's assistant endpoint; the NDJSON event stream is read to its end. */
export async function chat(
  apiUrl: string,
  message: string,
  options: { token?: string; conversationId?: string; locale?: 'ko' | 'en'; headers?: Record<string, string> } = {},
): Promise<ChatReply> {
  const response = await fetch(new URL('/v1/assistant/messages', apiUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ message, conversationId: options.conversationId, locale: options.locale }),
  });
  const body = await response.text();
  if (!response.headers.get('content-type')?.includes('ndjson')) {
    return { status: response.status, events: [], error: JSON.parse(body).error, text: '' };
  }
  const events = body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AssistantEvent);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const start = events.find((e) => e.type === 'start');
  return {
    status: response.status,
    events,
    text,
    conversationId: start?.type === 'start' ? start.conversationId : undefined,
  };
}

export function eventsOf<T extends AssistantEvent['type']>(reply: ChatReply, type: T) {
  return reply.events.filter((e): e is Extract<AssistantEvent, { type: T }> => e.type === type);
}
