import type { FakeBedrock, Usage } from '../../test/support/fake-bedrock.js';
import { chat } from '../../test/support/assistant.js';
import { bookingMessages, bookingScript } from './booking-script.js';

export interface CallUsage extends Usage {
  readonly message: number;
  readonly tools: string;
}

export interface BookingTokens {
  readonly calls: readonly CallUsage[];
  readonly uncached: number;
  readonly write: number;
  readonly read: number;
  readonly output: number;
  /** uncached + 1.25 × write + 0.1 × read (Claude's prompt-cache pricing relative to uncached input). */
  readonly equivalents: number;
  /** Every input token the same calls would have cost with no cache points at all. */
  readonly withoutCache: number;
  readonly held: boolean;
}

/**
 * One scripted 9-message booking through the API's assistant endpoint with the fake endpoint playing the model and
 * Bedrock's prompt cache. Returns the usage of each model call, split as Bedrock reports it.
 */
export async function bookingTokens(
  apiUrl: string,
  fake: FakeBedrock,
  token: string,
  performanceId: string,
  date: string,
): Promise<BookingTokens> {
  fake.responder = bookingScript(performanceId, date);
  const calls: CallUsage[] = [];
  let conversationId: string | undefined;
  let held = false;
  for (const [i, message] of bookingMessages(date).entries()) {
    const before = fake.usages.length;
    const r = await chat(apiUrl, message, { token, conversationId });
    if (r.status !== 200) throw new Error(`message ${i + 1} refused: ${JSON.stringify(r.error)}`);
    const failure = r.events.find((e) => e.type === 'error');
    if (failure) throw new Error(`message ${i + 1} failed: ${JSON.stringify(failure)}`);
    conversationId = r.conversationId ?? conversationId;
    held ||= r.events.some((e) => e.type === 'hold');
    const tools = r.events.flatMap((e) => (e.type === 'tool' && e.phase === 'start' ? [e.name] : [])).join(',');
    for (const usage of fake.usages.slice(before)) calls.push({ ...usage, message: i + 1, tools });
  }
  if (fake.scriptErrors.length > 0) throw new Error(`script errors: ${fake.scriptErrors.map(String).join('; ')}`);
  const sum = (pick: (u: Usage) => number) => calls.reduce((s, u) => s + pick(u), 0);
  const uncached = sum((u) => u.inputTokens);
  const write = sum((u) => u.cacheWriteInputTokens);
  const read = sum((u) => u.cacheReadInputTokens);
  return {
    calls,
    uncached,
    write,
    read,
    output: sum((u) => u.outputTokens),
    equivalents: Math.round(uncached + 1.25 * write + 0.1 * read),
    withoutCache: uncached + write + read,
    held,
  };
}
