import type { AssistantEvent, HoldView } from '../api/contracts.js';
import { escapeXml } from '../catalog/escape-xml.js';

/** Renders a template with the page's locals (Eta, auto-escaped). */
export type Render = (template: string, data: Record<string, unknown>) => string;

export interface RelayContext {
  /** The DOM id of the assistant message being streamed. */
  readonly id: string;
  /** The person's message (for the retry control). */
  readonly message: string;
  readonly t: (key: string, params?: Readonly<Record<string, string | number>>) => string;
  readonly render: Render;
  /** The hold card needs the show's title and date. */
  readonly holdCard: (hold: HoldView) => Promise<string>;
}

/**
 * One API event → the HTML fragment the browser swaps in (or nothing). Every piece of text goes through an Eta
 * template with auto-escaping, so nothing the model or the person wrote can become markup; the hold card is
 * rendered here from the hold itself.
 */
export async function fragmentOf(event: AssistantEvent, ctx: RelayContext): Promise<string | undefined> {
  const into = (slot: string, swap: string, html: string) =>
    ctx.render('partials/assistant/into', { target: `#${ctx.id}-${slot}`, swap, html });
  const text = (value: string) => ctx.render('partials/assistant/text', { text: value });
  switch (event.type) {
    case 'start':
      return ctx.render('partials/assistant/turn', { id: ctx.id, message: ctx.message });
    case 'text':
      // The hot path (one per streamed delta): escaped directly rather than through two template renders.
      return `<hx-partial hx-target="#${ctx.id}-text" hx-swap="beforeend">${escapeXml(event.text)}</hx-partial>`;
    case 'tool':
      return into('progress', 'innerHTML', event.phase === 'start' ? text(toolLabel(event.name, ctx.t)) : '');
    case 'hold':
      return into('cards', 'beforeend', await ctx.holdCard(event.hold));
    case 'holdReleased':
      return ctx.render('partials/assistant/into', {
        target: `#hold-${event.holdId}`,
        swap: 'outerHTML',
        html: ctx.render('partials/assistant/released', {}),
      });
    case 'loginRequired':
      return into('actions', 'beforeend', ctx.render('partials/assistant/login', {}));
    case 'model': {
      const who = event.offline
        ? ctx.t('assistant.answeredOffline')
        : ctx.t(event.isFallback ? 'assistant.answeredByFallback' : 'assistant.answeredBy', { model: event.name });
      return into('model', 'innerHTML', text(who));
    }
    case 'done':
      return into('progress', 'innerHTML', '');
    case 'error':
      return (
        into('progress', 'innerHTML', '') +
        into(
          'actions',
          'innerHTML',
          ctx.render('partials/assistant/answer-error', {
            message: ctx.t(`assistant.error.${event.code}`),
            retryMessage: event.retryable ? ctx.message : undefined,
          }),
        )
      );
  }
}

/** "좌석을 찾는 중…" for `get_available_seats`; a generic label for a tool the page does not know. */
export function toolLabel(name: string, t: RelayContext['t']): string {
  const key = `assistant.tool.${name}`;
  const label = t(key);
  return label === key ? t('assistant.tool.other') : label;
}

/** One server-sent event: the fragment's lines as `data:` lines (the parser joins them with newlines). */
export function sseMessage(html: string): string {
  return `${html
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}
