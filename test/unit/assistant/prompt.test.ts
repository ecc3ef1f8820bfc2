import { expect } from 'chai';
import {
  newConversation,
  offer,
  remember,
  stepOf,
  type ConversationState,
} from '../../../app/assistant/conversation.js';
import { catalogSnapshot } from '../../../app/assistant/prompts/catalog-snapshot.js';
import { INSTRUCTIONS } from '../../../app/assistant/prompts/instructions.js';
import { buildRequest, dynamicContext, stablePrefix } from '../../../app/assistant/prompts/request.js';
import { MIN_CACHEABLE_TOKENS_HAIKU_4_5 } from '../../../app/assistant/token-estimate.js';
import { toolSpecOf } from '../../../app/assistant/tools/define.js';
import { ASSISTANT_TOOLS } from '../../../app/assistant/tools/index.js';
import { understand } from '../../../app/assistant/understanding.js';
import { DEFAULT_CANCELLATION_POLICY } from '../../../app/booking/cancellation-policy.js';
import { demoPerformances, demoVenues } from '../../../app/catalog/index.js';

const T0 = Date.parse('2026-12-01T05:03:00Z'); // 14:03 KST
const performances = demoPerformances('2026-11-20');
const snapshot = catalogSnapshot(performances, demoVenues, DEFAULT_CANCELLATION_POLICY);
const prefix = stablePrefix(ASSISTANT_TOOLS.map(toolSpecOf), INSTRUCTIONS, snapshot);
const titles = new Map(performances.map((p) => [p.id, p.title]));
const index = { performances };

describe('assistant prompt: cached stable prefix + dynamic context', () => {
  it('the stable prefix (tools + instructions + snapshot) is over the 4,096-token cache minimum, with margin', () => {
    expect(prefix.tokens).to.be.at.least(MIN_CACHEABLE_TOKENS_HAIKU_4_5 * 1.15);
    expect(prefix.tokens).to.be.below(7000); // every cached token is still re-read (at 10%) on every call
  });

  it('the snapshot is data-derived: every on-sale show with both titles, prices, weekly pattern, and the policy per genre', () => {
    for (const p of performances.filter((x) => x.status === 'ACTIVE')) {
      expect(snapshot).to.contain(`## ${p.title.ko} / ${p.title.en}`);
      expect(snapshot).to.contain(`id ${p.id}`);
    }
    expect(snapshot).to.contain('grades KRW OP 170,000 · VIP 170,000 · R 140,000 · S 110,000 · A 80,000');
    expect(snapshot).to.contain('weekly (KST) Tue–Fri 19:30, Sat 14:00/19:00, Sun 14:00/18:00');
    expect(snapshot).to.contain('KRW 2,000 per ticket'); // plays
    expect(snapshot).to.contain('KRW 4,000 per ticket'); // musicals, concerts
  });

  it('the prefix does not depend on the clock or the conversation: the same catalog gives a byte-identical prefix', () => {
    const again = catalogSnapshot([...performances].reverse(), [...demoVenues].reverse(), DEFAULT_CANCELLATION_POLICY);
    expect(again).to.equal(snapshot);
  });

  it('request layout: tools then a cache point; system = stable text, cache point, dynamic context; then messages', () => {
    const state = newConversation('c1', 'ko', T0);
    const request = buildRequest(
      prefix,
      { state, understanding: understand('안녕', index, '2026-12-01'), loggedIn: true, now: T0, titles },
      [{ role: 'user', content: [{ text: '안녕' }] }],
      512,
    );
    expect(request.tools.at(-1)).to.deep.equal({ cachePoint: true });
    expect(request.system.map((b) => ('cachePoint' in b ? 'cache' : 'text'))).to.deep.equal(['text', 'cache', 'text']);
    expect((request.system[2] as { text: string }).text).to.contain('Now: 2026-12-01 14:03 (화) KST');
    expect(request.messages).to.deep.equal([{ role: 'user', content: [{ text: '안녕' }] }]);
  });

  it('the dynamic context carries step, choices, listed slots, the newest offered options, the hold and the summary', () => {
    let state: ConversationState = {
      ...newConversation('c1', 'en', T0),
      turn: 4,
      performanceId: 'perf-moonlight-garden',
      scheduleId: 'perf-moonlight-garden-20261205-1900',
      headCount: 2,
      grade: 'R',
      shownSlots: [
        {
          scheduleId: 'perf-moonlight-garden-20261205-1900',
          date: '2026-12-05',
          time: '19:00',
          when: { ko: '2026-12-05 19:00 (토)', en: '2026-12-05 19:00 (Sat) KST' },
        },
      ],
    };
    state = offer(state, [
      { scheduleId: state.scheduleId!, seatIds: ['1F-B-4-7', '1F-B-4-8'], grade: 'R', total: 284000 },
    ]).state;
    state = { ...state, step: stepOf(state), summary: ['who is in the cast?'] };
    const text = dynamicContext({
      state,
      understanding: understand('x', index, '2026-12-01'),
      loggedIn: false,
      now: T0,
      titles,
    });
    expect(text).to.contain('Logged in: no (holding needs a login). Step: confirm.');
    expect(text).to.contain(
      'Chosen: show perf-moonlight-garden (Moonlight Garden); slot perf-moonlight-garden-20261205-1900 (2026-12-05 19:00 (Sat) KST); 2 people; grade R.',
    );
    expect(text).to.contain('option 1 = 1F-B-4-7,1F-B-4-8 (R, total 284000)');
    expect(text).to.contain('Earlier the person said:\n- who is in the cast?');
  });
});

describe('conversation state helpers', () => {
  it('remember keeps the last 2 exchanges and folds older ones into one-line summaries', () => {
    let state = newConversation('c', 'ko', T0);
    for (let i = 1; i <= 5; i++) state = remember(state, { user: `질문 ${i}`, assistant: `답변 ${i}` });
    expect(state.recent.map((e) => e.user)).to.deep.equal(['질문 4', '질문 5']);
    expect(state.summary).to.deep.equal(['질문 1', '질문 2', '질문 3']);
  });

  it('offer numbers a new recommendation from 1 with the current turn; a recommendation in a later turn keeps the earlier ones', () => {
    let state = { ...newConversation('c', 'ko', T0), turn: 2 };
    state = offer(state, [
      { scheduleId: 's', seatIds: ['a'], grade: 'R', total: 1 },
      { scheduleId: 's', seatIds: ['b'], grade: 'R', total: 1 },
    ]).state;
    state = offer({ ...state, turn: 3 }, [{ scheduleId: 's', seatIds: ['c'], grade: 'S', total: 1 }]).state;
    expect(state.offered.map((o) => `${o.turn}:${o.option}:${o.seatIds[0]}`)).to.deep.equal([
      '2:1:a',
      '2:2:b',
      '3:1:c',
    ]);
  });

  it('stepOf follows what is known: greeting → show → date → count → grade → options → confirm → pay', () => {
    const base = newConversation('c', 'ko', T0);
    expect(stepOf(base)).to.equal('greeting');
    expect(stepOf({ ...base, turn: 1 })).to.equal('show');
    expect(stepOf({ ...base, performanceId: 'p' })).to.equal('date');
    expect(stepOf({ ...base, performanceId: 'p', scheduleId: 's' })).to.equal('count');
    expect(stepOf({ ...base, scheduleId: 's', headCount: 2 })).to.equal('grade');
    expect(stepOf({ ...base, scheduleId: 's', headCount: 2, grade: 'R' })).to.equal('options');
    expect(
      stepOf({
        ...base,
        scheduleId: 's',
        offered: [{ option: 1, scheduleId: 's', seatIds: ['a'], grade: 'R', total: 1, turn: 1 }],
      }),
    ).to.equal('confirm');
    expect(stepOf({ ...base, holdId: 'h' })).to.equal('pay');
  });
});
