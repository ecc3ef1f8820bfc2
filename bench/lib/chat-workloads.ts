import { estimateTokens } from '../../app/assistant/token-estimate.js';

/** How the fake model answers each message of a time-to-first-token run, and how people send them. */
export interface ChatWorkload {
  readonly name: string;
  /** One line for the report and docs: what this workload is and what it stands for. */
  readonly description: string;
  readonly answer: string;
  /** Characters per text delta. */
  readonly chunk: number;
  /** Pause between the fake's events: pacing at a given output speed (0: the whole answer in one burst). */
  readonly gapMs: number;
}

/**
 * A typical answer of the booking flow (three seat options with totals and a question), as long as Claude Haiku 4.5
 * writes one: about 190 tokens by the app's estimate.
 */
export const SEAT_OPTIONS_ANSWER =
  '9월 5일 토요일 저녁 7시 공연, R석 2매 기준으로 나란히 앉으실 수 있는 좌석을 세 가지 찾았어요.\n\n' +
  '1. 1층 B구역 7열 12–13번: 무대 정면 중앙이라 시야가 가장 좋아요. 합계 286,000원.\n' +
  '2. 1층 B구역 9열 4–5번: 중앙 블록 안쪽이라 조용히 보시기 좋아요. 합계 286,000원.\n' +
  '3. 1층 C구역 6열 1–2번: 통로 쪽이라 드나들기 편해요. 합계 286,000원.\n\n' +
  '어느 좌석으로 할까요? 번호로 알려 주시면 한 번 더 확인한 뒤 10분 동안 좌석을 잡아 두고 결제 버튼을 보여 드릴게요.';

/** The short greeting the benchmark used first: a dozen words in one burst. */
export const SHORT_ANSWER = '안녕하세요! 어떤 공연을 찾으시나요? 날짜와 인원을 알려 주시면 좌석을 찾아 드릴게요.';

/**
 * Deltas for `text` streamed at `tokensPerSecond`, `tokensPerDelta` tokens at a time (token counts by the app's own
 * estimate): the characters per delta and the pause between deltas.
 */
export function paced(
  text: string,
  tokensPerSecond: number,
  tokensPerDelta: number,
): { chunk: number; gapMs: number; tokens: number } {
  const tokens = estimateTokens(text);
  const chars = [...text].length;
  return {
    chunk: Math.max(1, Math.round((chars * tokensPerDelta) / tokens)),
    gapMs: (1000 * tokensPerDelta) / tokensPerSecond,
    tokens,
  };
}

/** The realistic workload: a full answer at a model's output speed, so each person's next message waits for it. */
export function streamedAnswers(tokensPerSecond: number, tokensPerDelta = 4): ChatWorkload {
  const { chunk, gapMs, tokens } = paced(SEAT_OPTIONS_ANSWER, tokensPerSecond, tokensPerDelta);
  return {
    name: 'streamed answers',
    description:
      `each answer ${tokens} tokens streamed at ${tokensPerSecond} tokens/s (${tokensPerDelta} tokens per delta, ` +
      `one every ${gapMs.toFixed(0)} ms), the next message sent as soon as the answer ends`,
    answer: SEAT_OPTIONS_ANSWER,
    chunk,
    gapMs,
  };
}

/** The first workload, kept as a second figure: a dozen words in one burst, the next message at once (a stress). */
export const BACK_TO_BACK: ChatWorkload = {
  name: 'back-to-back short answers',
  description: `each answer ${estimateTokens(SHORT_ANSWER)} tokens in one burst, the next message sent at once`,
  answer: SHORT_ANSWER,
  chunk: 6,
  gapMs: 0,
};
