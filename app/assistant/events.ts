import type { HoldView } from '../booking/service.js';
import type { Step } from './conversation.js';

/** Why an answer failed, as the web tier maps it to a message; every one of them offers a retry but TURN_LIMIT. */
export const ASSISTANT_ERRORS = [
  'MODEL_UNAVAILABLE',
  'INTERRUPTED',
  'TURN_LIMIT',
  'INTERNAL',
  'CONVERSATION_MOVED',
] as const;
export type AssistantErrorCode = (typeof ASSISTANT_ERRORS)[number];

/**
 * The semantic events the API streams to the web tier (one JSON object per line). They carry data, never markup:
 * the web tier renders and escapes them, and renders the hold card itself from `hold`.
 */
export type AssistantEvent =
  /** `turn`: the turn this answer saves the conversation as; the page sends it back with the next message. */
  | { readonly type: 'start'; readonly conversationId: string; readonly turn: number; readonly offline: boolean }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool'; readonly name: string; readonly phase: 'start' | 'end'; readonly ok?: boolean }
  | { readonly type: 'hold'; readonly hold: HoldView }
  | { readonly type: 'holdReleased'; readonly holdId: string }
  | { readonly type: 'loginRequired' }
  | {
      readonly type: 'model';
      readonly modelId: string;
      readonly name: string;
      readonly isFallback: boolean;
      readonly offline: boolean;
    }
  | { readonly type: 'done'; readonly step: Step }
  | {
      readonly type: 'error';
      readonly code: AssistantErrorCode;
      readonly message: string;
      readonly retryable: boolean;
    };
