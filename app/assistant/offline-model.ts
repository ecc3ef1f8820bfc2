import type { OfferedOption } from './conversation.js';
import type { ChatModel, JsonObject, ModelEvent, ModelMessage, ModelRequest } from './model.js';
import type { PromptContext } from './prompts/request.js';
import type { ToolName } from './tools/define.js';

/**
 * The offline assistant: a deterministic local model behind the same port as Bedrock, so it drives the same tool
 * loop, the same tools (with the same confirmation rule) and the same streaming path. It reads the structured
 * context the engine also renders for Bedrock, and the results of the tools it called in this answer.
 */
export class OfflineModel implements ChatModel {
  readonly id = 'offline';

  /** `wordDelayMs` paces the words like a model's tokens (the page shows them arriving); 0 in most tests. */
  constructor(private readonly wordDelayMs = 0) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const step = nextStep(request.context as PromptContext, resultsOfThisAnswer(request.messages));
    if (signal.aborted) return;
    if ('tool' in step) {
      const input = JSON.stringify(step.input);
      yield { type: 'toolUseStart', index: 0, toolUseId: `offline-${step.tool}-${Date.now()}`, name: step.tool };
      // Fragments, as a real model streams tool input.
      for (let i = 0; i < input.length; i += 16)
        yield { type: 'toolUseDelta', index: 0, input: input.slice(i, i + 16) };
      yield { type: 'blockStop', index: 0 };
      yield { type: 'messageStop', stopReason: 'tool_use' };
    } else {
      for (const [i, piece] of (step.text.match(/\S+\s*|\s+/g) ?? []).entries()) {
        if (i > 0 && this.wordDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.wordDelayMs));
        if (signal.aborted) return;
        yield { type: 'text', index: 0, text: piece };
      }
      yield { type: 'blockStop', index: 0 };
      yield { type: 'messageStop', stopReason: 'end_turn' };
    }
    yield {
      type: 'usage',
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    };
  }
}

type Step = { tool: ToolName; input: JsonObject } | { text: string };

/** Tool results are JSON the tools themselves produced; this model reads them field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Content = any;

interface ToolResult {
  readonly name: string;
  readonly ok: boolean;
  readonly content: Content;
}

/** Tool results after the person's message, in call order (the tool loop of the answer being written). */
function resultsOfThisAnswer(messages: readonly ModelMessage[]): ToolResult[] {
  const names = new Map<string, string>();
  const results: ToolResult[] = [];
  for (const message of messages) {
    for (const part of message.content) {
      if ('toolUse' in part) names.set(part.toolUse.toolUseId, part.toolUse.name);
      if ('toolResult' in part) {
        const { toolUseId, status, content } = part.toolResult;
        results.push({ name: names.get(toolUseId) ?? '?', ok: status === 'success', content });
      }
      if ('text' in part && message.role === 'user') results.length = 0;
    }
  }
  return results;
}

function nextStep(ctx: PromptContext, results: readonly ToolResult[]): Step {
  const last = results.at(-1);
  return last ? afterTool(ctx, last, results) : firstStep(ctx);
}

const say = (ctx: PromptContext, ko: string, en: string): Step => ({ text: ctx.state.locale === 'ko' ? ko : en });
const tool = (name: ToolName, input: JsonObject = {}): Step => ({ tool: name, input });

function firstStep(ctx: PromptContext): Step {
  const { state: s, understanding: u } = ctx;
  const show = u.performanceId ?? s.performanceId;
  if (u.intents.has('myReservations')) return tool('get_my_reservations');
  if (u.intents.has('refund')) {
    if (u.reservationId) return tool('get_cancellation_policy', { reservationId: u.reservationId });
    if (ctx.loggedIn) return tool('get_my_reservations');
    return tool('get_cancellation_policy', show ? { performanceId: show } : {});
  }
  if (u.intents.has('cancelHold') && s.holdId) return tool('cancel_hold');
  const offered = newestOffer(ctx);
  if (offered.length > 0 && s.scheduleId === offered[0]!.scheduleId && !u.performanceId) {
    if (u.negative) {
      return say(
        ctx,
        '알겠습니다. 다른 등급이나 날짜로 다시 찾아볼까요?',
        'All right. Shall I look at another grade or date?',
      );
    }
    const chosen = u.option !== undefined ? offered.find((o) => o.option === u.option) : undefined;
    if (chosen) return tool('hold_seats', { scheduleId: chosen.scheduleId, seatIds: chosen.seatIds });
    if (u.affirmative) {
      if (offered.length === 1)
        return tool('hold_seats', { scheduleId: offered[0]!.scheduleId, seatIds: offered[0]!.seatIds });
      return say(ctx, '몇 번 좌석으로 잡아 드릴까요? (예: 1번)', 'Which option shall I hold? (for example: option 1)');
    }
  }
  if (u.intents.has('bookAnything')) {
    if (!show) return tool('get_performances', {});
    if (!s.scheduleId) return tool('get_performance_schedules', { performanceId: show });
    return tool('get_available_seats', { scheduleId: s.scheduleId, count: s.headCount ?? 2, ...grade(s.grade) });
  }
  if (show) {
    if (u.intents.has('cast')) return tool('get_performance_details', { performanceId: show });
    if (u.intents.has('venue')) return tool('get_venue_info', { performanceId: show });
    if (u.intents.has('price') && !u.grade) {
      return tool('get_seat_grades', { performanceId: show, ...(s.scheduleId ? { scheduleId: s.scheduleId } : {}) });
    }
  } else if (u.intents.has('venue')) {
    return say(ctx, '어느 공연의 공연장이 궁금하세요?', 'Which show’s venue would you like to know about?');
  }
  return progress(ctx, u.performanceId !== undefined || (u.date !== undefined && !s.scheduleId));
}

/** The next step of the booking flow from what is known; `lookUpSlots` asks for the schedule first. */
function progress(ctx: PromptContext, lookUpSlots: boolean): Step {
  const { state: s, understanding: u } = ctx;
  if (!s.performanceId) return tool('get_performances', u.genre ? { genre: u.genre } : {});
  if (!s.scheduleId) {
    if (lookUpSlots || s.shownSlots.length === 0) {
      return tool('get_performance_schedules', {
        performanceId: s.performanceId,
        ...(u.date ? { from: u.date, to: u.date } : {}),
      });
    }
    return askForSlot(ctx);
  }
  if (!s.headCount) return askHeadCount(ctx);
  if (!s.grade) return tool('get_seat_grades', { performanceId: s.performanceId, scheduleId: s.scheduleId });
  return tool('get_available_seats', { scheduleId: s.scheduleId, count: s.headCount, grade: s.grade });
}

function afterTool(ctx: PromptContext, last: ToolResult, results: readonly ToolResult[]): Step {
  const { state: s, understanding: u } = ctx;
  if (!last.ok) return explainError(ctx, last);
  const c = last.content;
  switch (last.name) {
    case 'get_performances':
      return listShows(ctx, c.performances);
    case 'get_performance_schedules':
      if (c.slots.length === 0) {
        return say(
          ctx,
          '그 기간에는 예매할 수 있는 공연이 없어요. 다른 날짜를 말씀해 주세요.',
          'There are no shows on sale then. Which other date suits you?',
        );
      }
      if (u.intents.has('bookAnything')) {
        return tool('get_available_seats', {
          scheduleId: s.scheduleId ?? c.slots[0].scheduleId,
          count: s.headCount ?? 2,
          ...grade(s.grade),
        });
      }
      if (s.scheduleId) return progressAfter(ctx, results);
      return askForSlot(ctx, c.slots);
    case 'get_seat_grades':
      if (s.grade && s.headCount && s.scheduleId && !results.some((r) => r.name === 'get_available_seats')) {
        return tool('get_available_seats', { scheduleId: s.scheduleId, count: s.headCount, grade: s.grade });
      }
      return listGrades(ctx, c.grades);
    case 'get_available_seats':
      return listOptions(ctx, c.options, c.when);
    case 'hold_seats':
      return say(ctx, `${c.seats} 좌석을 잡아 두었어요.`, `${c.seats} are held for you.`);
    case 'cancel_hold':
      return say(
        ctx,
        '잡아 둔 좌석을 풀었어요. 다른 좌석을 찾아 드릴까요?',
        'I released the held seats. Shall I find others?',
      );
    case 'get_my_reservations':
      if (u.intents.has('refund')) {
        const active = c.reservations.find((r: { status: string }) => r.status !== 'CANCELLED');
        if (active) return tool('get_cancellation_policy', { reservationId: active.reservationId });
        return tool('get_cancellation_policy', s.performanceId ? { performanceId: s.performanceId } : {});
      }
      return listReservations(ctx, c.reservations, c.awaitingPayment);
    case 'get_cancellation_policy':
      return quotePolicy(ctx, c);
    case 'get_performance_details':
      return describeShow(ctx, c);
    case 'get_venue_info':
      return say(
        ctx,
        `${c.name}: ${c.address}, 총 ${digits(c.totalSeats)}석이에요.`,
        `${c.name}: ${c.address}, ${digits(c.totalSeats)} seats.`,
      );
    default:
      return say(ctx, '확인했어요.', 'Done.');
  }
}

/** After the slot became known in the same answer: ask the next question or go on to seats. */
function progressAfter(ctx: PromptContext, results: readonly ToolResult[]): Step {
  const { state: s } = ctx;
  if (!s.headCount) return askHeadCount(ctx);
  if (!s.grade && !results.some((r) => r.name === 'get_seat_grades')) {
    return tool('get_seat_grades', { performanceId: s.performanceId!, scheduleId: s.scheduleId! });
  }
  return tool('get_available_seats', { scheduleId: s.scheduleId!, count: s.headCount, ...grade(s.grade) });
}

function askHeadCount(ctx: PromptContext): Step {
  const { state: s } = ctx;
  const when = s.shownSlots.find((x) => x.scheduleId === s.scheduleId)?.when[s.locale];
  return when
    ? say(ctx, `${when} 공연으로 할게요. 몇 분이 보실 건가요? (최대 4명)`, `${when} it is. How many people? (up to 4)`)
    : say(ctx, '몇 분이 보실 건가요? (최대 4명)', 'How many people? (up to 4)');
}

function newestOffer(ctx: PromptContext): OfferedOption[] {
  const newest = Math.max(-1, ...ctx.state.offered.map((o) => o.turn));
  return ctx.state.offered.filter((o) => o.turn === newest);
}

function grade(code: string | undefined): JsonObject {
  return code ? { grade: code } : {};
}

function digits(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function money(ctx: PromptContext, amount: number): string {
  return ctx.state.locale === 'ko' ? `${digits(amount)}원` : `KRW ${digits(amount)}`;
}

const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-10-31" (the tools' form, for the model) as a person reads it: "2026년 10월 31일" / "31 Oct 2026". */
function dateText(ctx: PromptContext, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return ctx.state.locale === 'ko' ? `${y}년 ${m}월 ${d}일` : `${d} ${MONTH_ABBR[m - 1]} ${y}`;
}

/** "2026-10-31 ~ 2027-02-18" as "2026년 10월 31일 ~ …" / "31 Oct 2026 – …". */
function runText(ctx: PromptContext, run: string): string {
  return run
    .split(' ~ ')
    .map((iso) => dateText(ctx, iso))
    .join(ctx.state.locale === 'ko' ? ' ~ ' : ' – ');
}

/** "2026-11-30 09:40 (월)" / "2026-11-30 09:40 (Mon) KST" as "2026년 11월 30일 (월) 09:40" / "Mon 30 Nov 2026, 09:40 KST". */
function whenText(ctx: PromptContext, when: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) \((.+?)\)( KST)?$/.exec(when);
  if (!match) return when;
  const [, iso, time, weekday, kst] = match;
  const date = dateText(ctx, iso!);
  return ctx.state.locale === 'ko' ? `${date} (${weekday}) ${time}` : `${weekday} ${date}, ${time}${kst ?? ''}`;
}

function numbered(lines: readonly string[]): string {
  return lines.map((line, i) => `${i + 1}. ${line}`).join('\n');
}

function listShows(
  ctx: PromptContext,
  shows: readonly { title: string; genre: string; run: string; fromPrice: number | null }[],
): Step {
  if (shows.length === 0) return say(ctx, '조건에 맞는 공연이 없어요.', 'No shows match that.');
  const lines = shows.map(
    (p) => `${p.title} (${p.genre}, ${runText(ctx, p.run)}${p.fromPrice ? `, ${money(ctx, p.fromPrice)}~` : ''})`,
  );
  return say(
    ctx,
    `안녕하세요, MegaTicket 오프라인 도우미예요. 지금 예매할 수 있는 공연이에요:\n${numbered(lines)}\n어떤 공연을 보시겠어요?`,
    `Hello, this is the MegaTicket offline assistant. These shows are on sale:\n${numbered(lines)}\nWhich one would you like to see?`,
  );
}

function askForSlot(ctx: PromptContext, slots?: readonly { when: string; available: number }[]): Step {
  const lines = slots
    ? slots.map((x) =>
        ctx.state.locale === 'ko'
          ? `${x.when} (잔여 ${digits(x.available)}석)`
          : `${x.when} (${x.available} seats left)`,
      )
    : ctx.state.shownSlots.map((x) => x.when[ctx.state.locale]);
  return say(
    ctx,
    `예매할 수 있는 공연 일정이에요:\n${numbered(lines)}\n언제 보시겠어요? (예: 12월 5일 저녁)`,
    `Here are the upcoming shows:\n${numbered(lines)}\nWhich one suits you? (for example: December 5, evening)`,
  );
}

function listGrades(ctx: PromptContext, grades: readonly { grade: string; price: number; free?: number }[]): Step {
  const lines = grades.map((g) =>
    ctx.state.locale === 'ko'
      ? `${g.grade}석 ${money(ctx, g.price)}${g.free !== undefined ? ` (잔여 ${g.free}석)` : ''}`
      : `${g.grade} ${money(ctx, g.price)}${g.free !== undefined ? ` (${g.free} free)` : ''}`,
  );
  return say(
    ctx,
    `좌석 등급과 가격이에요:\n${numbered(lines)}\n어느 등급으로 하시겠어요?`,
    `Seat grades and prices:\n${numbered(lines)}\nWhich grade would you like?`,
  );
}

function listOptions(
  ctx: PromptContext,
  options: readonly { option: number; seats: string; grade: string; total: number }[],
  when: string,
): Step {
  if (options.length === 0) {
    return say(
      ctx,
      '붙어 있는 좌석을 찾지 못했어요. 다른 등급이나 인원, 날짜로 찾아볼까요?',
      'I could not find adjacent seats. Shall I try another grade, head count or date?',
    );
  }
  const lines = options.map((o) =>
    ctx.state.locale === 'ko'
      ? `${o.option}번: ${o.seats}, ${o.grade}석, 총 ${money(ctx, o.total)}`
      : `Option ${o.option}: ${o.seats}, ${o.grade}, total ${money(ctx, o.total)}`,
  );
  return say(
    ctx,
    `${whenText(ctx, when)} 공연의 좌석이에요 (예매수수료 포함):\n${lines.join('\n')}\n몇 번으로 잡아 드릴까요?`,
    `Seats for ${whenText(ctx, when)} (booking fee included):\n${lines.join('\n')}\nWhich option shall I hold?`,
  );
}

interface AwaitingPayment {
  readonly show: string;
  readonly seats: string;
  readonly total: number;
  readonly payBefore: string;
}

/** Held seats still awaiting payment come first: they are the ones with a deadline. */
function listReservations(
  ctx: PromptContext,
  reservations: readonly { reservationId: string; show: string; when: string; seats: string; status: string }[],
  awaitingPayment: readonly AwaitingPayment[],
): Step {
  const held = (ko: boolean) =>
    awaitingPayment.length === 0
      ? []
      : [
          (ko ? '결제를 기다리는 좌석이에요:\n' : 'Held seats awaiting payment:\n') +
            numbered(
              awaitingPayment.map((h) =>
                ko
                  ? `${h.show}, ${h.seats}, 총 ${money(ctx, h.total)} — ${whenText(ctx, h.payBefore)}까지 결제해 주세요`
                  : `${h.show}, ${h.seats}, total ${money(ctx, h.total)} — pay before ${whenText(ctx, h.payBefore)}`,
              ),
            ),
        ];
  const lines = numbered(
    reservations.map((r) => `${r.reservationId}: ${r.show}, ${whenText(ctx, r.when)}, ${r.seats} (${r.status})`),
  );
  const booked = (ko: boolean) =>
    reservations.length === 0
      ? ko
        ? '아직 예매 내역이 없어요.'
        : 'You have no reservations yet.'
      : (ko ? '예매 내역이에요:\n' : 'Your reservations:\n') + lines;
  const answer = (ko: boolean) => [...held(ko), booked(ko)].join('\n\n');
  return say(ctx, answer(true), answer(false));
}

function quotePolicy(ctx: PromptContext, c: Content): Step {
  if (c.rules)
    return say(ctx, `취소 규정이에요:\n${c.rules.join('\n')}`, `The cancellation rules:\n${c.rules.join('\n')}`);
  if (!c.cancellable) {
    return say(
      ctx,
      `${c.reservationId} 예매는 취소 마감(${c.deadline})이 지나 취소할 수 없어요.`,
      `${c.reservationId} can no longer be cancelled: the deadline was ${c.deadline}.`,
    );
  }
  return say(
    ctx,
    `${c.reservationId} 예매를 지금 취소하시면 취소 수수료 ${money(ctx, c.cancellationFee)}, 예매수수료 환불 ${money(ctx, c.bookingFeeRefund)}로 총 ${money(ctx, c.refundTotal)}을 돌려받으세요. 취소는 ${c.deadline}까지 내 예약 페이지에서 할 수 있어요.`,
    `If you cancel ${c.reservationId} now, the cancellation fee is ${money(ctx, c.cancellationFee)}, the booking fee refund ${money(ctx, c.bookingFeeRefund)}, and you get ${money(ctx, c.refundTotal)} back. You can cancel on the My Reservations page until ${c.deadline}.`,
  );
}

function describeShow(ctx: PromptContext, c: Content): Step {
  const cast = (c.cast as { role: string; actors: string }[]).map((r) => `${r.role}: ${r.actors}`).join('\n');
  return say(
    ctx,
    `${c.title} (${c.genre}, ${c.runtimeMinutes}분, ${c.venue.name})\n출연진:\n${cast}`,
    `${c.title} (${c.genre}, ${c.runtimeMinutes} min, ${c.venue.name})\nCast:\n${cast}`,
  );
}

function explainError(ctx: PromptContext, failed: ToolResult): Step {
  const code = failed.content?.error?.code as string | undefined;
  switch (code) {
    case 'LOGIN_REQUIRED':
      return say(
        ctx,
        '좌석을 잡거나 예매 내역을 보려면 먼저 로그인해 주세요. 로그인 후 이어서 도와드릴게요.',
        'Please log in first to hold seats or see your reservations. I will continue right after.',
      );
    case 'SEATS_TAKEN':
      return say(
        ctx,
        '방금 다른 분이 그 좌석을 먼저 잡았어요. 아무것도 잡지 않았어요. 다른 좌석을 찾아볼까요?',
        'Someone else just took those seats, so nothing was held. Shall I look for other seats?',
      );
    case 'CONFIRMATION_REQUIRED':
    case 'NOT_OFFERED':
      return say(
        ctx,
        '잡기 전에 확인이 필요해요. 위 옵션 중 몇 번으로 할까요?',
        'I need your confirmation first. Which of the options above shall I hold?',
      );
    case 'NO_HOLD':
      return say(ctx, '지금 잡아 둔 좌석이 없어요.', 'You have no held seats right now.');
    default:
      return say(
        ctx,
        '죄송해요, 지금은 처리할 수 없어요. 다시 말씀해 주시겠어요?',
        'Sorry, I could not do that just now. Could you say it again?',
      );
  }
}
