import type { Localized } from '../../shared/i18n.js';
import { formatKst, kstDateOf, type EpochMs } from '../../shared/time.js';
import type { ConversationState } from '../conversation.js';
import type { ModelMessage, ModelRequest, SystemBlock, ToolSpec } from '../model.js';
import { estimateTokens } from '../token-estimate.js';
import type { Understanding } from '../understanding.js';

/** Tools and system text that are the same for every conversation until the catalog changes. */
export interface StablePrefix {
  readonly tools: readonly ToolSpec[];
  readonly system: string;
  /** Estimated tokens of tools + system, i.e. what precedes the last cache point. */
  readonly tokens: number;
}

export function stablePrefix(tools: readonly ToolSpec[], instructions: string, snapshot: string): StablePrefix {
  const system = `${instructions}\n\n${snapshot}`;
  const tokens =
    tools.reduce((sum, t) => sum + estimateTokens(JSON.stringify({ toolSpec: t })), 0) + estimateTokens(system);
  return { tools, system, tokens };
}

/** What the offline model reads instead of parsing the prompt text; Bedrock sees the same facts as text. */
export interface PromptContext {
  readonly state: ConversationState;
  /** The person's current message as the deterministic reader understood it. */
  readonly understanding: Understanding;
  readonly loggedIn: boolean;
  readonly now: EpochMs;
  readonly titles: ReadonlyMap<string, Localized>;
}

/**
 * One model request: tools and the stable system text, each closed by a cache point (Bedrock caches tools → system
 * in that order, and Claude Haiku 4.5 caches only a prefix of at least 4,096 tokens, so the stable part is sized for
 * that on purpose), then the small dynamic context after the last cache point, then the recent exchanges as plain
 * text and the messages of the answer being written (the person's message and this answer's tool traffic).
 */
export function buildRequest(
  prefix: StablePrefix,
  context: PromptContext,
  answer: readonly ModelMessage[],
  maxOutputTokens: number,
): ModelRequest {
  const system: SystemBlock[] = [{ text: prefix.system }, { cachePoint: true }, { text: dynamicContext(context) }];
  const history: ModelMessage[] = context.state.recent
    .filter((e) => e.user !== '' && e.assistant !== '')
    .flatMap((e): ModelMessage[] => [
      { role: 'user', content: [{ text: e.user }] },
      { role: 'assistant', content: [{ text: e.assistant }] },
    ]);
  return {
    system,
    tools: [...prefix.tools, { cachePoint: true }],
    messages: [...history, ...answer],
    maxOutputTokens,
    context,
  };
}

/** The per-answer facts: time, login, step, what is chosen, what was listed and offered, the hold, a summary. */
export function dynamicContext({ state, loggedIn, now, titles }: PromptContext): string {
  const locale = state.locale;
  const lines = [
    '# Context (this conversation, now)',
    `Now: ${formatKst(now, locale)}${locale === 'ko' ? ' KST' : ''} (today ${kstDateOf(now)}). Reply language: ${locale === 'ko' ? 'Korean' : 'English'}.`,
    `Logged in: ${loggedIn ? 'yes' : 'no (holding needs a login)'}. Step: ${state.step}.`,
  ];
  const known: string[] = [];
  if (state.performanceId) {
    known.push(`show ${state.performanceId} (${titles.get(state.performanceId)?.[locale] ?? '?'})`);
  }
  if (state.scheduleId) {
    const slot = state.shownSlots.find((s) => s.scheduleId === state.scheduleId);
    known.push(`slot ${state.scheduleId}${slot ? ` (${slot.when[locale]})` : ''}`);
  }
  if (state.headCount) known.push(`${state.headCount} people`);
  if (state.grade) known.push(`grade ${state.grade}`);
  lines.push(`Chosen: ${known.length > 0 ? known.join('; ') : 'nothing yet'}.`);
  // Listed slots matter until one is chosen; offered options until one is held.
  if (state.shownSlots.length > 0 && !state.scheduleId) {
    lines.push(`Slots listed: ${state.shownSlots.map((s) => `${s.when[locale]} = ${s.scheduleId}`).join('; ')}.`);
  }
  const newest = Math.max(-1, ...state.offered.map((o) => o.turn));
  const offered = state.holdId ? [] : state.offered.filter((o) => o.turn === newest);
  if (offered.length > 0) {
    lines.push(
      `Seat options offered (newest): ${offered
        .map((o) => `option ${o.option} = ${o.seatIds.join(',')} (${o.grade}, total ${o.total})`)
        .join('; ')}.`,
    );
  }
  lines.push(`Hold: ${state.holdId ? `${state.holdId} (unpaid; the page shows its card)` : 'none'}.`);
  if (state.summary.length > 0) {
    lines.push(`Earlier the person said:\n${state.summary.map((s) => `- ${s}`).join('\n')}`);
  }
  return lines.join('\n');
}
