import { z } from 'zod';
import { LOCALES, type Locale } from '../shared/i18n.js';
import type { EpochMs } from '../shared/time.js';

/** SPEC §5's conversation flow, as the steps the assistant tracks. */
export const STEPS = ['greeting', 'show', 'date', 'count', 'grade', 'options', 'confirm', 'pay'] as const;
export type Step = (typeof STEPS)[number];

const localized = z.object({ ko: z.string(), en: z.string() });

/** A show slot the assistant listed; kept so "the 5th, evening" can be resolved to its id later. */
const shownSlot = z.object({
  scheduleId: z.string(),
  date: z.string(),
  time: z.string(),
  when: localized,
});
export type ShownSlot = z.infer<typeof shownSlot>;

/** A seat option a recommendation offered: the only seats `hold_seats` may hold (SPEC §5 grounding). */
const offeredOption = z.object({
  option: z.number().int().min(1),
  scheduleId: z.string(),
  seatIds: z.array(z.string()).min(1).max(4),
  grade: z.string(),
  total: z.number().int(),
  /** The user turn in which it was offered: a hold needs a later turn, i.e. the person's reply. */
  turn: z.number().int(),
});
export type OfferedOption = z.infer<typeof offeredOption>;

/** Exchanges re-sent in full; older ones live on as one-line summaries. */
export const MAX_RECENT = 2;

const exchange = z.object({ user: z.string(), assistant: z.string() });
export type Exchange = z.infer<typeof exchange>;

export const conversationSchema = z.object({
  id: z.string(),
  /** Set once a logged-in person speaks; from then on only they can continue it. */
  ownerUserId: z.string().optional(),
  locale: z.enum(LOCALES),
  /** Messages the person has sent. */
  turn: z.number().int().min(0),
  step: z.enum(STEPS),
  performanceId: z.string().optional(),
  scheduleId: z.string().optional(),
  headCount: z.number().int().min(1).max(4).optional(),
  grade: z.string().optional(),
  shownSlots: z.array(shownSlot).max(12),
  offered: z.array(offeredOption).max(9),
  holdId: z.string().optional(),
  /** What the person asked in older exchanges that are no longer re-sent (their answers live on in the fields above). */
  summary: z.array(z.string()).max(5),
  /** The last exchanges, re-sent to the model as plain text (tool traffic is folded into the fields above). */
  recent: z.array(exchange).max(MAX_RECENT),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConversationState = z.infer<typeof conversationSchema>;

const MAX_SUMMARY = 5;
const MAX_OFFERED = 9;

export function newConversation(id: string, locale: Locale, now: EpochMs, ownerUserId?: string): ConversationState {
  return {
    id,
    ownerUserId,
    locale,
    turn: 0,
    step: 'greeting',
    shownSlots: [],
    offered: [],
    summary: [],
    recent: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Where the flow stands, derived from what is known (the model never sets the step itself). */
export function stepOf(state: ConversationState): Step {
  if (state.holdId) return 'pay';
  if (state.offered.some((o) => o.scheduleId === state.scheduleId)) return 'confirm';
  if (state.scheduleId && state.headCount && state.grade) return 'options';
  if (state.scheduleId && state.headCount) return 'grade';
  if (state.scheduleId) return 'count';
  if (state.performanceId) return 'date';
  return state.turn > 0 ? 'show' : 'greeting';
}

/**
 * Appends an exchange; the oldest one beyond MAX_RECENT is folded into the summary as the person's words only: what
 * the assistant answered is either in the structured state (show, slot, options, hold) or was small talk.
 */
export function remember(state: ConversationState, entry: Exchange): ConversationState {
  const recent = [...state.recent, { user: clip(entry.user, 500), assistant: clip(entry.assistant, 1200) }];
  const summary = [...state.summary];
  while (recent.length > MAX_RECENT) {
    const old = recent.shift()!;
    summary.push(clip(old.user, 60));
  }
  return { ...state, recent, summary: summary.slice(-MAX_SUMMARY) };
}

/** A new recommendation: its options are numbered from 1 and kept with the turn they were offered in. */
export function offer(
  state: ConversationState,
  options: readonly Omit<OfferedOption, 'option' | 'turn'>[],
): { state: ConversationState; offered: OfferedOption[] } {
  const offered = options.map((o, i) => ({ ...o, option: i + 1, turn: state.turn }));
  // Earlier recommendations stay valid (the person may go back to one) but numbering follows the newest.
  const kept = state.offered.filter((o) => o.turn !== state.turn).slice(-(MAX_OFFERED - offered.length));
  return { state: { ...state, offered: [...kept, ...offered] }, offered };
}

export function sameSeats(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
