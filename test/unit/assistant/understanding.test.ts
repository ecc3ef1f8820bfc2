import { expect } from 'chai';
import { demoPerformances } from '../../../app/catalog/index.js';
import { pickSlot, understand } from '../../../app/assistant/understanding.js';

const index = { performances: demoPerformances('2026-12-01') };
const TODAY = '2026-12-01'; // a Tuesday
const read = (text: string) => understand(text, index, TODAY);

describe('understand (deterministic bilingual reading of one message)', () => {
  it('recognises show titles in Korean and English, ignoring spaces, case and a leading "The"', () => {
    expect(read('달빛정원 보고 싶어요').performanceId).to.equal('perf-moonlight-garden');
    expect(read('tickets for moonlight garden').performanceId).to.equal('perf-moonlight-garden');
    expect(read('Alley Laundromat please').performanceId).to.equal('perf-alley-laundromat');
    expect(read('뮤지컬 보고 싶어요').performanceId).to.equal(undefined);
  });

  it('head counts: 2명, 두 명, 세 분, 혼자, "2 people", "for two"; minutes and seat numbers are not people', () => {
    expect(read('2명이요').headCount).to.equal(2);
    expect(read('두 명이요').headCount).to.equal(2);
    expect(read('세 분이요').headCount).to.equal(3);
    expect(read('혼자 볼 거예요').headCount).to.equal(1);
    expect(read('2 people').headCount).to.equal(2);
    expect(read('a table for two').headCount).to.equal(2);
    expect(read('10분 뒤에 올게요').headCount).to.equal(undefined);
    expect(read('1층 B구역 7열 14번').headCount).to.equal(undefined);
  });

  it('"네 명" is four people, not a yes; "네" alone is a yes', () => {
    expect(read('네 명이요')).to.include({ headCount: 4, affirmative: false });
    expect(read('네')).to.include({ affirmative: true });
    expect(read('네, 1번으로 잡아 주세요')).to.include({ affirmative: true, option: 1 });
  });

  it('grades: R석, VIP, "S seats", "grade A"; an unrelated capital letter is not a grade', () => {
    expect(read('R석으로 할게요').grade).to.equal('R');
    expect(read('VIP 자리 있나요').grade).to.equal('VIP');
    expect(read('S seats please').grade).to.equal('S');
    expect(read('grade A').grade).to.equal('A');
    expect(read('A friend and I').grade).to.equal(undefined);
  });

  it('dates relative to today (KST): 12월 5일, 12/24, December 5th, 내일, 이번 주 토요일, next Friday; durations are not dates', () => {
    expect(read('12월 5일 저녁').date).to.equal('2026-12-05');
    expect(read('12/24').date).to.equal('2026-12-24');
    expect(read('December 5th').date).to.equal('2026-12-05');
    expect(read('5 Dec').date).to.equal('2026-12-05');
    expect(read('1월 3일').date).to.equal('2027-01-03');
    expect(read('내일').date).to.equal('2026-12-02');
    expect(read('이번 주 토요일').date).to.equal('2026-12-05');
    expect(read('next friday').date).to.equal('2026-12-11');
    expect(read('예매 후 7일 이내면 무료인가요?').date).to.equal(undefined);
    expect(read('I may come').date).to.equal(undefined);
  });

  it('times: 19:30, 저녁 7시, 오후 2시, 7pm, evening, matinee', () => {
    expect(read('19:30 공연').time).to.equal('19:30');
    expect(read('저녁 7시').time).to.equal('19:00');
    expect(read('오후 2시 반').time).to.equal('14:30');
    expect(read('7pm').time).to.equal('19:00');
    expect(read('in the evening').time).to.equal('evening');
    expect(read('낮 공연').time).to.equal('matinee');
  });

  it('option choices: 2번, 두 번째, option 3, the first one; a seat number inside a label is not an option', () => {
    expect(read('2번으로 할게요').option).to.equal(2);
    expect(read('두 번째요').option).to.equal(2);
    expect(read('option 3').option).to.equal(3);
    expect(read('the first one').option).to.equal(1);
    expect(read('B구역 7열 14번 좌석이요').option).to.equal(undefined);
  });

  it('negatives and intents: 아니요, no; 내 예약, 환불, 아무 자리나, 출연진, 공연장', () => {
    expect(read('아니요 다른 거요')).to.include({ negative: true, affirmative: false });
    expect(read('no thanks').negative).to.equal(true);
    expect([...read('내 예약 보여줘').intents]).to.include('myReservations');
    expect([...read('취소하면 환불 얼마예요?').intents]).to.include('refund');
    expect([...read('아무 자리나 잡아줘').intents]).to.include('bookAnything');
    expect([...read('출연진이 누구예요?').intents]).to.include('cast');
    expect([...read('공연장이 어디예요?').intents]).to.include('venue');
    expect(read('MT3K9QZ2X7PA 환불').reservationId).to.equal('MT3K9QZ2X7PA');
  });

  it('the language follows the message: any Hangul → ko, otherwise en', () => {
    expect(read('hello').language).to.equal('en');
    expect(read('R석 please').language).to.equal('ko');
  });

  it('pickSlot: a date and part of day select a listed slot only when exactly one fits', () => {
    const slots = [
      { date: '2026-12-05', time: '14:00', id: 'a' },
      { date: '2026-12-05', time: '19:00', id: 'b' },
      { date: '2026-12-06', time: '18:00', id: 'c' },
    ];
    expect(pickSlot(slots, '2026-12-05', 'evening')?.id).to.equal('b');
    expect(pickSlot(slots, '2026-12-05', '14:00')?.id).to.equal('a');
    expect(pickSlot(slots, '2026-12-06', undefined)?.id).to.equal('c');
    expect(pickSlot(slots, '2026-12-05', undefined)).to.equal(undefined);
    expect(pickSlot(slots, undefined, undefined)).to.equal(undefined);
  });
});
