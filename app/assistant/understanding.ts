import type { Genre, Performance } from '../catalog/types.js';
import type { Locale } from '../shared/i18n.js';
import { addDays, weekdayOf, type KstDate } from '../shared/time.js';

/**
 * Deterministic reading of one message, in Korean and English. The engine uses it to keep the conversation state
 * (head count, grade, date, chosen option) and to check that a hold follows the person's confirmation; the offline
 * model uses it to decide its next step. It only recognises; it never decides what is allowed.
 */
export const INTENTS = [
  'greeting',
  'help',
  'showList',
  'myReservations',
  'refund',
  'cancelHold',
  'bookAnything',
  'cast',
  'price',
  'venue',
  'schedule',
] as const;
export type Intent = (typeof INTENTS)[number];

export type TimeOfDay = 'matinee' | 'evening';

export interface Understanding {
  readonly language: Locale;
  readonly performanceId?: string;
  readonly genre?: Genre;
  readonly headCount?: number;
  readonly grade?: string;
  readonly date?: KstDate;
  /** `HH:mm` when a clock time was named, else a part of the day. */
  readonly time?: string | TimeOfDay;
  readonly option?: number;
  readonly reservationId?: string;
  readonly affirmative: boolean;
  readonly negative: boolean;
  readonly intents: ReadonlySet<Intent>;
}

/** The performances on sale, as the reader needs them (titles to recognise, grades to accept). */
export interface TitleIndex {
  readonly performances: readonly Pick<Performance, 'id' | 'title' | 'genre' | 'grades'>[];
}

const HANGUL = /[\uac00-\ud7a3]/;
const KO_NUMBERS: Record<string, number> = { 한: 1, 두: 2, 세: 3, 네: 4 };
const EN_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4 };
const ORDINALS: Record<string, number> = {
  첫: 1,
  두: 2,
  세: 3,
  first: 1,
  second: 2,
  third: 3,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
};
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** `jan` … `december`: full names or three-letter abbreviations, nothing that merely starts like one. */
const MONTH_PATTERN = MONTHS.map((m) => `${m.slice(0, 3)}(?:${m.slice(3)})?`).join('|');
const KO_WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];
const EN_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const GRADES = ['VIP', 'OP', 'R', 'S', 'A', 'B'];

const INTENT_PATTERNS: Readonly<Record<Intent, RegExp>> = {
  greeting: /^(안녕|하이|hello|hi|hey|good (morning|afternoon|evening))\b|안녕하세요/i,
  help: /도와|뭘 할 수|무엇을 할 수|what can you do|\bhelp\b/i,
  showList:
    /(무슨|어떤|뭐|볼 만한|볼만한).*(공연|뮤지컬|연극|콘서트)|공연 (목록|추천)|what('s| is) (on|playing)|which shows|shows? (are )?(on|available)|list (of )?shows|recommend a show/i,
  myReservations: /내 예약|예약 (내역|확인|목록)|예매 (내역|확인)|my (reservations?|bookings?|tickets)/i,
  refund: /환불|취소 ?수수료|취소하면|취소 규정|refund|cancellation (fee|policy)|if i cancel/i,
  cancelHold:
    /(홀드|선점|좌석).*(취소|풀어|해제)|(취소|풀어|해제).*(홀드|선점)|release (the |my )?(hold|seats)|cancel (the |my )?hold|let (them|it) go/i,
  bookAnything: /아무(거나|데나|자리)|아무 (좌석|자리|공연)|알아서|just book|book anything|any (seats?|show)|whatever/i,
  cast: /출연|캐스팅|배우|누가 나와|\bcast\b|who (is|are) (in|playing)|actors?/i,
  price: /가격|얼마|요금|등급|price|how much|cost|grades?\b/i,
  venue: /공연장|극장|장소|어디서|위치|venue|where is|theat(er|re)|hall\b|address/i,
  schedule: /언제|일정|날짜|스케줄|시간표|when|schedule|dates?\b|showtimes?/i,
};

const AFFIRMATIVE =
  /^((네|예)(?!\s*(명|사람|분|장|매))|넹|응|그래|좋아|좋습니다|오케이|ㅇㅇ|맞아)|그걸로|그것으로|이걸로|(으)?로 (할게|해 ?줘|해 ?주세요|부탁)|잡아 ?(줘|주세요)|예약(해|할게|하고 싶)|진행해|확정|\b(yes|yeah|yep|ok|okay|sure|please do|go ahead|book (it|them|those)|hold (it|them|those)|confirm|sounds good|let's do it|i'll take)\b/i;
const NEGATIVE = /^(아니|아뇨|아니요|싫어|별로)|하지 ?마|안 ?할래|\b(no|nope|don't|do not|not now|never mind)\b/i;

export function understand(text: string, index: TitleIndex, today: KstDate): Understanding {
  const lower = text.toLowerCase();
  const intents = new Set<Intent>(INTENTS.filter((intent) => INTENT_PATTERNS[intent].test(text)));
  const performance = findPerformance(text, index);
  return {
    language: HANGUL.test(text) ? 'ko' : 'en',
    performanceId: performance,
    genre: genreOf(lower),
    headCount: headCountOf(text, lower),
    grade: gradeOf(text),
    date: dateOf(text, lower, today),
    time: timeOf(text, lower),
    option: optionOf(text, lower),
    reservationId: /\b(MT[A-Z0-9]{10})\b/.exec(text)?.[1],
    affirmative: AFFIRMATIVE.test(text.trim()),
    negative: NEGATIVE.test(text.trim()),
    intents,
  };
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s'’"“”.,!?·:;~\-()[\]]/g, '');
}

function findPerformance(text: string, index: TitleIndex): string | undefined {
  const haystack = normalise(text);
  let best: { id: string; length: number } | undefined;
  for (const p of index.performances) {
    for (const title of [p.title.ko, p.title.en, p.title.en.replace(/^the\s+/i, '')]) {
      const needle = normalise(title);
      if (needle.length >= 2 && haystack.includes(needle) && (!best || needle.length > best.length)) {
        best = { id: p.id, length: needle.length };
      }
    }
  }
  return best?.id;
}

function genreOf(lower: string): Genre | undefined {
  if (/뮤지컬|musical/.test(lower)) return 'musical';
  if (/연극|\bplay\b|drama/.test(lower)) return 'play';
  if (/콘서트|concert|공연 실황/.test(lower)) return 'concert';
  if (/클래식|오케스트라|classical|orchestra|recital/.test(lower)) return 'classical';
  return undefined;
}

function headCountOf(text: string, lower: string): number | undefined {
  const digits = /(^|[^0-9])([1-9])\s*(명|사람|장|매|석(?!\s*(이\s*)?남))/.exec(text);
  if (digits) return Number(digits[2]);
  const words = /(한|두|세|네)\s*(명|사람|분|장|매)/.exec(text);
  if (words) return KO_NUMBERS[words[1]!];
  if (/혼자/.test(text)) return 1;
  if (/둘이|커플/.test(text)) return 2;
  const en = /\b([1-9]|one|two|three|four)\s*(people|persons?|tickets?|seats?|adults?|of us)\b/.exec(lower);
  if (en) return Number(en[1]) || EN_NUMBERS[en[1]!];
  const forN = /\bfor\s+([1-9]|one|two|three|four)\b(?!\s*(pm|am|:|o'clock))/.exec(lower);
  if (forN) return Number(forN[1]) || EN_NUMBERS[forN[1]!];
  if (/\b(just me|myself|alone)\b/.test(lower)) return 1;
  if (/\b(a couple|a pair|me and my|my (wife|husband|partner|friend))\b/.test(lower)) return 2;
  return undefined;
}

function gradeOf(text: string): string | undefined {
  for (const code of GRADES) {
    const ko = new RegExp(`(^|[^A-Za-z])${code}\\s*(석|좌석|등급|구역)`);
    const en = new RegExp(`\\b${code}\\b\\s*(seats?|grade|class|tickets?)|\\b(grade|class)\\s+${code}\\b`, 'i');
    const bare = code.length >= 2 && new RegExp(`\\b${code}\\b`).test(text);
    if (ko.test(text) || en.test(text) || bare) return code;
  }
  if (/가장 (싼|저렴한)|제일 (싼|저렴한)|cheapest/.test(text)) return 'CHEAPEST';
  if (/가장 좋은|제일 좋은|best seats?/.test(text)) return 'BEST';
  return undefined;
}

function dateOf(text: string, lower: string, today: KstDate): KstDate | undefined {
  const year = Number(today.slice(0, 4));
  const upcoming = (month: number, day: number): KstDate | undefined => {
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    const candidate = `${year}-${pad(month)}-${pad(day)}`;
    return candidate >= today ? candidate : `${year + 1}-${pad(month)}-${pad(day)}`;
  };
  const iso = /\b(20\d\d)-(\d\d)-(\d\d)\b/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const ko = /(\d{1,2})\s*월\s*(\d{1,2})\s*일/.exec(text);
  if (ko) return upcoming(Number(ko[1]), Number(ko[2]));
  const slash = /\b(\d{1,2})\/(\d{1,2})\b/.exec(text);
  if (slash) return upcoming(Number(slash[1]), Number(slash[2]));
  const en = new RegExp(`\\b(${MONTH_PATTERN})\\.?\\s+(\\d{1,2})(st|nd|rd|th)?\\b`).exec(lower);
  if (en) return upcoming(monthNumber(en[1]!), Number(en[2]));
  const enRev = new RegExp(`\\b(\\d{1,2})(st|nd|rd|th)?\\s+(of\\s+)?(${MONTH_PATTERN})\\b`).exec(lower);
  if (enRev) return upcoming(monthNumber(enRev[4]!), Number(enRev[1]));
  if (/모레|day after tomorrow/.test(lower)) return addDays(today, 2);
  if (/내일|tomorrow/.test(lower)) return addDays(today, 1);
  if (/오늘|tonight|today/.test(lower)) return today;
  const koDay = /(이번 ?주|다음 ?주)?\s*([일월화수목금토])요일/.exec(text);
  if (koDay) return nextWeekday(today, KO_WEEKDAYS.indexOf(koDay[2]!), koDay[1]?.startsWith('다음') ?? false);
  const enDay = new RegExp(`\\b(this|next)?\\s*(${EN_WEEKDAYS.join('|')})\\b`).exec(lower);
  if (enDay) return nextWeekday(today, EN_WEEKDAYS.indexOf(enDay[2]!), enDay[1] === 'next');
  // "5일에" is a date; "7일 이내" / "3일 전" are durations.
  const dayOnly = /(^|\s)(\d{1,2})\s*일(?!\s*(이내|안에|전|후|뒤|동안|째|간))(\s|$|에|로|이|은|,)/.exec(text);
  if (dayOnly) {
    const day = Number(dayOnly[2]);
    const month = Number(today.slice(5, 7));
    const candidate = `${today.slice(0, 8)}${pad(day)}`;
    return candidate >= today ? upcoming(month, day) : upcoming((month % 12) + 1, day);
  }
  return undefined;
}

function monthNumber(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3))) + 1;
}

function nextWeekday(today: KstDate, weekday: number, nextWeek: boolean): KstDate {
  const ahead = (weekday - weekdayOf(today) + 7) % 7;
  return addDays(today, ahead + (nextWeek ? 7 : 0));
}

function timeOf(text: string, lower: string): string | TimeOfDay | undefined {
  const clock = /\b([01]?\d|2[0-3]):([0-5]\d)\b/.exec(text);
  if (clock) return `${pad(Number(clock[1]))}:${clock[2]}`;
  const koHour = /(오후|저녁|밤|낮|오전)?\s*(\d{1,2})\s*시(?!간)(\s*(\d{1,2})\s*분|\s*반)?/.exec(text);
  if (koHour) {
    let hour = Number(koHour[2]);
    if ((koHour[1] === '오후' || koHour[1] === '저녁' || koHour[1] === '밤' || !koHour[1]) && hour < 12) hour += 12;
    const minutes = koHour[3]?.includes('반') ? 30 : Number(koHour[4] ?? 0);
    return `${pad(hour)}:${pad(minutes)}`;
  }
  const enHour = /\b(\d{1,2})(?::(\d\d))?\s*(pm|am)\b/.exec(lower);
  if (enHour) {
    const hour = (Number(enHour[1]) % 12) + (enHour[3] === 'pm' ? 12 : 0);
    return `${pad(hour)}:${enHour[2] ?? '00'}`;
  }
  if (/저녁|밤|evening|night/.test(lower)) return 'evening';
  if (/낮|오후|마티네|matinee|afternoon|daytime/.test(lower)) return 'matinee';
  return undefined;
}

function optionOf(text: string, lower: string): number | undefined {
  // Not "14번" (a seat number inside a label): the digit must not follow another digit.
  const numbered = /(?:^|[^0-9])([1-9])\s*번(?!째)|옵션\s*([1-9])|option\s*#?([1-9])|#([1-9])\b/i.exec(text);
  if (numbered) return Number(numbered.slice(1).find((g) => g !== undefined));
  const ordinal = /(첫|두|세)\s*번째|\b(first|second|third|1st|2nd|3rd)\b( one| option)?/.exec(lower);
  if (ordinal) return ORDINALS[ordinal[1] ?? ordinal[2]!];
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The slot a date/time preference points at among the slots the assistant listed, if exactly one fits. */
export function pickSlot<T extends { date: KstDate; time: string }>(
  slots: readonly T[],
  date: KstDate | undefined,
  time: string | TimeOfDay | undefined,
): T | undefined {
  if (!date && !time) return undefined;
  const fits = slots.filter((slot) => {
    if (date && slot.date !== date) return false;
    if (time === 'evening') return slot.time >= '17:00';
    if (time === 'matinee') return slot.time < '17:00';
    if (time) return slot.time === time;
    return true;
  });
  return fits.length === 1 ? fits[0] : undefined;
}
