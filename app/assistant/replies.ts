import type { Locale } from '../shared/i18n.js';

/** The few sentences the server itself writes into a conversation (the model writes the rest). */
export const REPLIES: Readonly<Record<'held' | 'turnLimit', Record<Locale, string>>> = {
  held: {
    ko: '좌석을 잡아 두었어요. 아래 카드에서 시간 안에 결제해 주세요.',
    en: 'Your seats are held. Please pay on the card below before the countdown ends.',
  },
  turnLimit: {
    ko: '이 요청은 한 번에 처리하기 어려워요. 원하시는 공연이나 날짜를 조금 더 구체적으로 말씀해 주시겠어요?',
    en: 'That took too many steps to answer at once. Could you tell me a bit more specifically what you are looking for?',
  },
};
