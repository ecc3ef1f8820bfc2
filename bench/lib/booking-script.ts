import { reply } from '../../test/support/fake-bedrock.js';
import { context, resultOf, script, type ScriptStep } from '../../test/support/scripted-model.js';

/**
 * A scripted 9-message booking in Korean, answered by the fake endpoint as a tool-using model would: the person
 * greets, picks a show, a slot, a head count and a grade, asks about the options, confirms, asks about refunds and
 * says thanks. 11 model calls: 9 answers + 2 tool follow-ups (the hold needs none; the hold card closes that answer).
 * The answers are of realistic length, since they are re-sent as history.
 */
export function bookingMessages(date: string): string[] {
  const day = `${Number(date.slice(5, 7))}월 ${Number(date.slice(8, 10))}일`;
  return [
    '안녕하세요, 이번 달에 볼 만한 뮤지컬 있을까요?',
    '달빛 정원이 좋겠어요. 공연 일정 알려 주세요.',
    `${day} 저녁 공연으로 할게요.`,
    '2명이요.',
    'R석으로 부탁해요.',
    '1번 좌석은 무대에서 얼마나 가까워요?',
    '좋아요, 1번으로 잡아 주세요.',
    '혹시 나중에 취소하면 수수료가 어떻게 되나요?',
    '고마워요!',
  ];
}

export function bookingScript(performanceId: string, date: string) {
  const steps: ScriptStep[] = [
    () =>
      reply.text(
        '네, 지금 예매할 수 있는 뮤지컬은 "달빛 정원"(한강아트센터 대극장, 80,000원부터), "골목길 세탁소"(성수아트홀 ' +
          '중극장, 55,000원부터)가 있어요. 가족과 함께라면 "달빛 정원"을 추천해요. 어떤 공연이 끌리세요?',
      ),
    () =>
      reply.tools(
        [{ name: 'get_performance_schedules', input: { performanceId, from: date, to: date } }],
        '일정을 확인해 볼게요.',
      ),
    (req) =>
      reply.text(
        `${resultOf(req, 'get_performance_schedules')
          .slots.map((s: { when: string; available: number }) => `${s.when} (잔여 ${s.available}석)`)
          .join(', ')} 공연이 있어요. 어느 공연으로 하시겠어요?`,
      ),
    () => reply.text('좋아요, 토요일 저녁 공연이에요. 몇 분이 보실 건가요? (최대 4명)'),
    () => reply.text('두 분이시군요. R석 140,000원, S석 110,000원, A석 80,000원이 있어요. 어느 등급으로 하시겠어요?'),
    (req) =>
      reply.tools([
        { name: 'get_available_seats', input: { scheduleId: context.chosenSlot(req), count: 2, grade: 'R' } },
      ]),
    (req) =>
      reply.text(
        `R석 두 자리 옵션이에요.\n${resultOf(req, 'get_available_seats')
          .options.map(
            (o: { option: number; seats: string; total: number }) =>
              `${o.option}. ${o.seats}, 총 ${o.total.toLocaleString('en-US')}원`,
          )
          .join('\n')}\n어느 좌석으로 잡아 드릴까요?`,
      ),
    () => reply.text('1번은 1층 중앙 B구역 앞쪽 열이라 무대가 아주 가깝고 정면으로 보여요. 1번으로 잡아 드릴까요?'),
    (req) =>
      reply.tools([
        { name: 'hold_seats', input: { scheduleId: context.chosenSlot(req), seatIds: context.option(req, 1) } },
      ]),
    () =>
      reply.text(
        '예매 후 7일 이내에는 관람일 10일 전까지 무료로 취소할 수 있어요. 그 뒤로는 관람일까지 남은 날짜에 따라 티켓당 4,000원 ' +
          '또는 티켓 금액의 10~30%가 수수료로 붙고, 전날 17시(토요일이면 11시)에 취소가 마감돼요. 예매 후 정확한 환불액은 ' +
          '예매 번호로 알려 드릴게요.',
      ),
    () => reply.text('즐거운 관람 되세요! 결제는 좌석 카드에서 10분 안에 해 주세요.'),
  ];
  return script(...steps);
}
