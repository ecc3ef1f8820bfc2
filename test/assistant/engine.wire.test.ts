import { expect } from 'chai';
import { MIN_CACHEABLE_TOKENS_HAIKU_4_5 } from '../../app/assistant/token-estimate.js';
import { chat, eventsOf } from '../support/assistant.js';
import { anotherApiInstance, assistantFixture, type AssistantFixture } from '../support/assistant-fixture.js';
import { FALLBACK, PRIMARY } from '../support/bedrock-client.js';
import { promptLayout, reply, textDeltas } from '../support/fake-bedrock.js';
import { resultOf, script } from '../support/scripted-model.js';
import { MOONLIGHT } from '../support/builders.js';

describe('assistant engine through the API, on the real Bedrock SDK and the wire-protocol fake', function () {
  this.timeout(120_000);
  let a: AssistantFixture;

  before(async () => {
    // Long enough for a cold first call on a busy machine, short enough to keep the timeout test quick.
    a = await assistantFixture('engine', 'bedrock', { ASSISTANT_PRIMARY_TIMEOUT_MS: '3000' });
  });
  after(() => a.api.close());
  beforeEach(() => {
    a.fake.reset();
    a.metrics.length = 0;
  });
  afterEach(() => expect(a.fake.scriptErrors).to.deep.equal([]));

  it('text streaming: deltas arriving over time reach the API client in order; the first alone and at once, later ones coalesced (one event per 100 ms window), then model and done', async () => {
    const answer = '안녕하세요! 어떤 공연을 찾으세요? 날짜와 인원을 알려 주시면 나란히 앉을 좌석을 찾아 드릴게요.';
    a.fake.queue(PRIMARY, reply.text(answer, { chunk: 4, gapMs: 30 }));
    const r = await chat(a.api.url, '안녕하세요');
    expect(r.status).to.equal(200);
    const texts = eventsOf(r, 'text').map((e) => e.text);
    const deltas = textDeltas(0, answer, 4).length;
    expect(texts[0]).to.equal([...answer].slice(0, 4).join(''), 'the first delta is never held for the next ones');
    expect(texts.length).to.be.within(2, Math.ceil(deltas / 2), `${deltas} deltas over ≈ ${deltas * 30} ms`);
    expect(r.text).to.equal(answer);
    expect(r.events.map((e) => e.type).filter((t) => t !== 'text')).to.deep.equal(['start', 'model', 'done']);
    expect(eventsOf(r, 'model')[0]).to.include({ modelId: PRIMARY, name: 'Claude Haiku 4.5', isFallback: false });
  });

  it('text then a tool call in one model turn: the pending text is sent before the tool event, and the next turn’s text follows in order', async () => {
    a.fake.responder = script(
      () => ({ ...reply.tools([{ name: 'get_performances', input: {} }], 'Let me look that up for you. '), gapMs: 5 }),
      () => reply.text('Found three shows.', { chunk: 3 }),
    );
    const r = await chat(a.api.url, 'what is on?');
    expect(r.text).to.equal('Let me look that up for you. Found three shows.');
    const order = r.events.map((e) => (e.type === 'text' ? `text:${e.text}` : e.type));
    const toolAt = order.indexOf('tool');
    expect(
      order
        .slice(0, toolAt)
        .filter((e) => e.startsWith('text:'))
        .join('')
        .replaceAll('text:', ''),
    ).to.equal('Let me look that up for you. ');
    expect(
      order
        .slice(toolAt)
        .filter((e) => e.startsWith('text:'))
        .join('')
        .replaceAll('text:', ''),
    ).to.equal('Found three shows.');
    expect(order.filter((e) => !e.startsWith('text:'))).to.deep.equal(['start', 'tool', 'tool', 'model', 'done']);
  });

  it('a burst of deltas (one network read) travels as fewer events with the same text, in order', async () => {
    a.fake.queue(PRIMARY, reply.text('0123456789abcdefghijklmnopqrstuvwxyz', { chunk: 2 }));
    const r = await chat(a.api.url, 'burst');
    expect(r.text).to.equal('0123456789abcdefghijklmnopqrstuvwxyz');
    expect(eventsOf(r, 'text').length).to.be.below(18);
  });

  it('a tool call split over many fragments is reassembled, validated and run; all results of the turn go back in one message', async () => {
    a.fake.responder = script(
      () =>
        reply.tools([
          { name: 'get_performance_details', input: { performanceId: MOONLIGHT }, fragments: 7 },
          { name: 'get_seat_grades', input: { performanceId: MOONLIGHT }, fragments: 5 },
        ]),
      (req) => reply.text(`출연: ${resultOf(req, 'get_performance_details').cast[0].actors}`),
    );
    const r = await chat(a.api.url, '달빛 정원 출연진과 가격 알려주세요');
    const second = a.fake.requests[1]!.body.messages;
    const last = second.at(-1);
    expect(last.role).to.equal('user');
    expect(last.content.map((c: any) => c.toolResult?.status)).to.deep.equal(['success', 'success']);
    expect(second.at(-2).content.map((c: any) => c.toolUse?.name)).to.deep.equal([
      'get_performance_details',
      'get_seat_grades',
    ]);
    expect(r.text).to.equal('출연: 김도윤, 이서준, 박지훈');
    expect(eventsOf(r, 'tool').map((e) => `${e.name}:${e.phase}`)).to.deep.equal([
      'get_performance_details:start',
      'get_performance_details:end',
      'get_seat_grades:start',
      'get_seat_grades:end',
    ]);
    expect(a.metrics.filter((m) => 'ToolCallCount' in m).map((m) => m.Tool)).to.deep.equal([
      'get_performance_details',
      'get_seat_grades',
    ]);
  });

  it('an unknown tool name gets an error result naming the real tools, and the model recovers', async () => {
    a.fake.responder = script(
      () => reply.tools([{ name: 'book_everything', input: {} }]),
      () => reply.text('Sorry, let me try again.'),
    );
    const r = await chat(a.api.url, 'book everything');
    const result = a.fake.requests[1]!.toolResults[0]!;
    expect(result.status).to.equal('error');
    expect(result.content.error.code).to.equal('UNKNOWN_TOOL');
    expect(result.content.error.message).to.contain('get_available_seats');
    expect(eventsOf(r, 'tool')[1]).to.include({ name: 'book_everything', ok: false });
    expect(r.text).to.equal('Sorry, let me try again.');
  });

  it('malformed tool input (broken JSON, or not matching the schema) gets INVALID_INPUT and runs nothing', async () => {
    a.fake.responder = script(
      () =>
        reply.tools([
          { name: 'get_available_seats', input: '{"scheduleId": "x", "count": ', fragments: 3 },
          { name: 'get_available_seats', input: { scheduleId: 'a b c', count: 9, extra: true } },
        ]),
      () => reply.text('ok'),
    );
    await chat(a.api.url, '좌석 찾아줘');
    const [broken, invalid] = a.fake.requests[1]!.toolResults;
    expect(broken!.content.error).to.include({ code: 'INVALID_INPUT' });
    expect(broken!.content.error.message).to.contain('not a JSON object');
    expect(invalid!.content.error.code).to.equal('INVALID_INPUT');
    expect(invalid!.content.error.message).to.match(/scheduleId: not a valid id/);
    expect(invalid!.content.error.message).to.match(/count/);
    expect(invalid!.content.error.message).to.match(/extra/);
  });

  it('the 5-turn cap: a model that keeps calling tools gets exactly 5 requests, the 5th turn’s tools do not run', async () => {
    a.fake.responder = () => reply.tools([{ name: 'get_seat_grades', input: { performanceId: MOONLIGHT } }]);
    const r = await chat(a.api.url, 'keep going');
    expect(a.fake.requests).to.have.length(5);
    expect(eventsOf(r, 'tool').filter((e) => e.phase === 'start')).to.have.length(4);
    expect(r.text).to.contain('too many steps');
    expect(eventsOf(r, 'done')).to.have.length(1);
  });

  it('cachePoint placement: tools and the stable system text end in cache points with ≥ 4,096 tokens before; the dynamic context comes after the last one', async () => {
    a.fake.queue(PRIMARY, reply.text('ok'));
    await chat(a.api.url, 'What is on tonight?');
    const body = a.fake.requests[0]!.body;
    expect(body.toolConfig.tools.at(-1)).to.deep.equal({ cachePoint: { type: 'default' } });
    expect(body.toolConfig.tools.slice(0, -1).map((t: any) => t.toolSpec.name)).to.have.length(10);
    expect(body.system.map((b: any) => (b.cachePoint ? 'cachePoint' : 'text'))).to.deep.equal([
      'text',
      'cachePoint',
      'text',
    ]);
    const { points } = promptLayout(body);
    expect(points.at(-1)!.tokensBefore).to.be.at.least(MIN_CACHEABLE_TOKENS_HAIKU_4_5);
    const dynamic = body.system[2].text as string;
    expect(dynamic).to.match(/^# Context/);
    expect(dynamic).to.match(/Now: \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(body.system[0].text).not.to.match(/Now: /);
    // Two answers in a row send a byte-identical prefix, so the second one reads it from the cache.
    a.fake.queue(PRIMARY, reply.text('ok'));
    await chat(a.api.url, 'And tomorrow?');
    expect(a.fake.requests[1]!.body.system[0]).to.deep.equal(body.system[0]);
    expect(a.fake.usages[1]!.cacheReadInputTokens).to.equal(points.at(-1)!.tokensBefore);
  });

  it('EMF: the engine logs Latency, TimeToFirstToken, token and cache counts per model call', async () => {
    a.fake.queue(PRIMARY, reply.text('first'), reply.text('second'));
    await chat(a.api.url, 'hello');
    await chat(a.api.url, 'hello again');
    const calls = a.metrics.filter((m) => 'Latency' in m);
    expect(calls).to.have.length(2);
    expect(calls[0]).to.include({
      Model: PRIMARY,
      IsFallback: 'false',
      InputTokens: a.fake.usages[0]!.inputTokens,
      CacheWriteInputTokens: a.fake.usages[0]!.cacheWriteInputTokens,
      CacheReadInputTokens: a.fake.usages[0]!.cacheReadInputTokens,
    });
    expect(calls[1].CacheReadInputTokens).to.be.greaterThan(MIN_CACHEABLE_TOKENS_HAIKU_4_5);
    expect(calls[0]).to.have.property('TimeToFirstToken');
  });

  it('429 from the primary: Nova answers, the page is told which model answered', async () => {
    a.fake.queue(PRIMARY, reply.error(429, 'ThrottlingException'));
    a.fake.queue(FALLBACK, reply.text('Nova here'));
    const r = await chat(a.api.url, 'hi');
    expect(r.text).to.equal('Nova here');
    expect(eventsOf(r, 'model')[0]).to.include({ modelId: FALLBACK, name: 'Amazon Nova Lite', isFallback: true });
    // Nova gets no cache point inside its tool list (only Anthropic models accept one there).
    const nova = a.fake.requestsFor(FALLBACK)[0]!.body;
    expect(nova.toolConfig.tools.some((t: any) => t.cachePoint)).to.equal(false);
  });

  it('first-event timeout of the primary → the fallback answers within the same reply', async () => {
    a.fake.queue(PRIMARY, reply.hang());
    a.fake.queue(FALLBACK, reply.text('late but here'));
    const r = await chat(a.api.url, 'hi');
    expect(r.text).to.equal('late but here');
    expect(a.metrics.find((m) => 'FallbackCount' in m)).to.include({ Reason: 'timeout' });
  });

  it('a mid-stream error after text was shown: no fallback, a clean error event with retry, and no half answer remembered', async () => {
    a.fake.queue(PRIMARY, {
      kind: 'stream',
      gapMs: 5,
      events: [
        { event: 'messageStart', body: { role: 'assistant' } },
        ...textDeltas(0, 'Here are the seats you', 6),
        { exception: 'modelStreamErrorException', message: 'stream broke' },
      ],
    });
    const r = await chat(a.api.url, 'seats please');
    expect(r.text).to.equal('Here are the seats you');
    expect(eventsOf(r, 'error')).to.deep.equal([
      { type: 'error', code: 'INTERRUPTED', message: 'answer interrupted: http_500', retryable: true },
    ]);
    expect(eventsOf(r, 'done')).to.have.length(0);
    expect(a.fake.requestsFor(FALLBACK)).to.have.length(0);
    const state = await a.fx.assistant.conversation(r.conversationId!, undefined);
    expect(state!.recent).to.deep.equal([]);
  });

  it('both models failing → a MODEL_UNAVAILABLE error event with retry, no text', async () => {
    a.fake.queue(PRIMARY, reply.error(503, 'ServiceUnavailableException'));
    a.fake.queue(FALLBACK, reply.error(503, 'ServiceUnavailableException'));
    const r = await chat(a.api.url, 'hi');
    expect(r.text).to.equal('');
    expect(eventsOf(r, 'error')[0]).to.include({ code: 'MODEL_UNAVAILABLE', retryable: true });
  });

  it('a stream that ends without messageStop is a failure: the fallback answers', async () => {
    a.fake.queue(PRIMARY, {
      kind: 'stream',
      events: [{ event: 'messageStart', body: { role: 'assistant' } }],
    });
    a.fake.queue(FALLBACK, reply.text('complete'));
    const r = await chat(a.api.url, 'hi');
    expect(r.text).to.equal('complete');
  });

  it('a stale local copy (another instance answered in between) is discarded: the answer is built from the stored conversation', async () => {
    const elsewhere = await anotherApiInstance(a);
    try {
      // Each answer says how many exchanges the request re-sent, so the test can see which state it was built from.
      a.fake.responder = (req) => reply.text(`recent=${req.body.messages.length}`);
      const first = await chat(a.api.url, 'one');
      await chat(a.api.url, 'two', { conversationId: first.conversationId });
      const third = await chat(elsewhere.url, 'three', { conversationId: first.conversationId });
      expect(third.text).to.equal('recent=5'); // two exchanges + the message
      const before = a.fake.requests.length;
      const fourth = await chat(a.api.url, 'four', { conversationId: first.conversationId });
      // This instance's copy ends at "two": its early request is abandoned and the answer uses the stored state.
      const used = a.fake.requests.at(-1)!;
      expect(JSON.stringify(used.body.messages)).to.contain('three');
      expect(fourth.text).to.equal('recent=5');
      expect(a.fake.requests.length - before).to.be.within(1, 2);
      const state = await a.fx.assistant.conversation(first.conversationId!, undefined);
      expect(state!.recent.map((e) => e.user)).to.deep.equal(['three', 'four']);
    } finally {
      await elsewhere.close();
    }
  });
});
