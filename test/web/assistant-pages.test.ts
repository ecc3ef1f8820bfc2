import { cancellationDeadline, DEFAULT_CANCELLATION_POLICY } from '../../app/booking/cancellation-policy.js';
import { viewHelpers } from '../../app/web/view-helpers.js';
import { expect } from 'chai';
import type { RunningServer } from '../../app/server.js';
import { assistantFixture, type AssistantFixture } from '../support/assistant-fixture.js';
import { FALLBACK, PRIMARY } from '../support/bedrock-client.js';
import { reply, textDeltas } from '../support/fake-bedrock.js';
import { serveWeb } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

let emails = 0;
const email = (name: string) => `${name}-${++emails}-${process.pid}@example.com`;

/** Posts to the chat as htmx does (HX-Request, CSRF header) and returns the SSE messages' HTML. */
async function ask(browser: WebClient, message: string, headers: Record<string, string> = {}) {
  const page = browser.lastHtml.includes('name="_csrf"') ? browser : (await browser.get('/assistant'), browser);
  const response = await fetch(new URL('/assistant/messages', page.base), {
    method: 'POST',
    headers: {
      cookie: page.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': page.ip,
      'hx-request': 'true',
      'x-csrf-token': page.csrf,
      accept: 'text/html, text/event-stream',
      ...headers,
    },
    body: new URLSearchParams({ message }),
  });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    page.cookies.set(name!.trim(), value.join('='));
  }
  const body = await response.text();
  const messages = body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) =>
      block
        .split('\n')
        .map((line) => line.replace(/^data: ?/, ''))
        .join('\n'),
    );
  return { response, body, messages, html: messages.join('\n') };
}

describe('assistant web relay: SSE in the response to the htmx POST, escaped fragments, the chat page', function () {
  this.timeout(120_000);
  let a: AssistantFixture;
  let web: RunningServer;
  before(async () => {
    a = await assistantFixture('assistant-web', 'bedrock');
    web = await serveWeb(a.api.url);
  });
  after(async () => {
    await web.close();
    await a.api.close();
  });
  beforeEach(() => a.fake.reset());

  const browser = () => new WebClient(web.url);

  it('streams server-sent events (no-transform, never compressed): the turn first, then text fragments as deltas arrive (the first alone, later ones coalesced)', async () => {
    const answer = '달빛 정원은 한강아트센터에서 공연해요. 토요일 저녁 7시에 시작하고, 공연 시간은 약 두 시간이에요.';
    a.fake.queue(PRIMARY, reply.text(answer, { chunk: 5, gapMs: 30 }));
    const b = browser();
    await b.get('/assistant');
    const r = await ask(b, '어디서 해요?', { 'accept-encoding': 'gzip, br' });
    expect(r.response.status).to.equal(200);
    expect(r.response.headers.get('content-type')).to.equal('text/event-stream; charset=utf-8');
    expect(r.response.headers.get('cache-control')).to.contain('no-transform');
    expect(r.response.headers.get('content-encoding')).to.equal(null);
    expect(r.messages[0]).to.contain('<li class="msg user"><p class="text">어디서 해요?</p></li>');
    const id = /id="(a-[0-9a-f]+)"/.exec(r.messages[0]!)![1]!;
    const deltas = r.messages.filter((m) => m.includes(`hx-target="#${id}-text"`));
    const texts = deltas.map((m) => />([^<]*)<\/hx-partial>/.exec(m)![1]);
    expect(texts[0]).to.equal('달빛 정원', 'the first delta is relayed alone');
    expect(deltas.length).to.be.within(2, Math.ceil(textDeltas(0, answer, 5).length / 2));
    expect(texts.join('')).to.equal(answer);
    expect(r.html).to.contain(
      `<hx-partial hx-target="#${id}-model" hx-swap="innerHTML">답변: Claude Haiku 4.5</hx-partial>`,
    );
    expect(b.cookies.get('mt_chat')).to.match(/^[0-9a-f-]{36}\.1$/);
  });

  it('the chat cookie carries the turn the page saw start (.1, then .2); a bare id (the cookie before turns) still continues', async () => {
    a.fake.responder = (req) => reply.text(`n=${req.body.messages.length}`);
    const b = browser();
    await b.get('/assistant');
    await ask(b, '안녕하세요');
    const [id, turn] = b.cookies.get('mt_chat')!.split('.');
    expect(turn).to.equal('1');
    const second = await ask(b, '달빛 정원');
    expect(b.cookies.get('mt_chat')).to.equal(`${id}.2`);
    expect(second.html).to.contain('>n=3<');
    b.cookies.set('mt_chat', id!);
    const third = await ask(b, '두 명이요');
    expect(third.html).to.contain('>n=5<');
    expect(b.cookies.get('mt_chat')).to.equal(`${id}.3`);
  });

  it('model text and the person’s text are escaped; the model cannot emit markup', async () => {
    a.fake.queue(PRIMARY, reply.text('<img src=x onerror="alert(1)"><b>bold</b> & "quotes"', { chunk: 7 }));
    const b = browser();
    await b.get('/assistant');
    const r = await ask(b, 'Tom & Jerry "tickets" <3');
    expect(r.html).not.to.contain('<img');
    expect(r.html).not.to.contain('<b>');
    expect(r.html).to.contain('&lt;img');
    expect(r.html).to.contain('Tom &amp; Jerry &quot;tickets&quot; &lt;3');
  });

  it('tool progress is shown while a tool runs ("좌석을 찾는 중…"), then cleared', async () => {
    a.fake.responder = (req) =>
      req.toolResults.length === 0
        ? reply.tools([{ name: 'get_seat_grades', input: { performanceId: 'perf-moonlight-garden' } }])
        : reply.text('R석 140,000원');
    const b = browser();
    await b.get('/assistant');
    const r = await ask(b, '가격이요');
    const progress = r.messages.filter((m) => m.includes('-progress" hx-swap="innerHTML"'));
    expect(progress[0]).to.contain('>좌석 등급을 확인하는 중…</hx-partial>');
    expect(progress.at(-1)).to.match(/hx-swap="innerHTML"><\/hx-partial>/);
  });

  it('a failure after text was shown ends with an error message and a retry form carrying the message', async () => {
    a.fake.queue(PRIMARY, {
      kind: 'stream',
      gapMs: 5,
      events: [
        { event: 'messageStart', body: { role: 'assistant' } },
        ...textDeltas(0, 'Here is', 3),
        { exception: 'internalServerException', message: 'boom' },
      ],
    });
    const b = browser();
    await b.get('/assistant');
    const r = await ask(b, 'seats for "two" please');
    expect(r.html).to.contain('답변이 중간에 끊겼어요. 다시 시도해 주세요.');
    expect(r.html).to.contain('<input type="hidden" name="message" value="seats for &quot;two&quot; please">');
    expect(r.html).to.contain('hx-post="/assistant/messages"');
    expect(a.fake.requestsFor(FALLBACK)).to.have.length(0);
  });

  it('which model answered: a fallback is labelled as such', async () => {
    a.fake.queue(PRIMARY, reply.error(429, 'ThrottlingException'));
    a.fake.queue(FALLBACK, reply.text('hi'));
    const b = browser();
    await b.get('/assistant?lang=en');
    const r = await ask(b, 'hello');
    expect(r.html).to.contain('Answered by Amazon Nova Lite (fallback model)');
  });

  it('CSRF: a post without the token is refused and nothing reaches the model', async () => {
    const b = browser();
    await b.get('/assistant');
    const r = await fetch(new URL('/assistant/messages', web.url), {
      method: 'POST',
      headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
      body: new URLSearchParams({ message: 'hold seats' }),
    });
    expect(r.status).to.equal(403);
    expect(a.fake.requests).to.have.length(0);
  });

  it('a refused message (too long) answers a notice fragment for the log, with the limit', async () => {
    const b = browser();
    await b.get('/assistant');
    const r = await ask(b, '가'.repeat(600));
    expect(r.response.status).to.equal(400);
    expect(r.body).to.contain(
      '<li class="msg notice-item"><p class="notice is-error" role="alert">메시지는 500자까지 보낼 수 있어요.</p></li>',
    );
    expect(a.fake.requests).to.have.length(0);
  });

  it('without JavaScript: the form posts, the browser is sent back to the chat page, which shows the exchange', async () => {
    a.fake.queue(PRIMARY, reply.text('No script needed.'));
    const b = browser();
    await b.get('/assistant');
    const posted = await b.post('/assistant/messages', { message: 'Does it work without JS?' });
    expect(posted.status).to.equal(303);
    expect(posted.headers.get('location')).to.equal('/assistant');
    const page = await b.get('/assistant');
    expect(page.html).to.contain('Does it work without JS?');
    expect(page.html).to.contain('No script needed.');
    expect(page.html).to.contain('action="/assistant/new"');
  });

  it('the panel is on every page with the form; the chat page itself has no second panel', async () => {
    const b = browser();
    const home = await b.get('/');
    expect(home.html).to.contain('<details class="assistant-box">');
    expect(home.html).to.contain('hx-post="/assistant/messages"');
    expect(home.html).to.contain('/assets/htmx/ext/hx-sse.min.js');
    const chat = await b.get('/assistant');
    expect(chat.html).not.to.contain('assistant-box');
    expect(chat.html.match(/id="assistant-log"/g)).to.have.length(1);
  });

  it('the hold card comes from the hold, with pay and release; the chat hold is in my reservations; releasing it from the card frees the seats', async () => {
    const b = browser();
    await b.signUp(email('card'));
    const slot = (await a.fx.catalog.listSchedules('perf-moonlight-garden')).find(
      (s) => s.startsAt > Date.now() + 86_400_000,
    )!;
    a.fake.responder = (req) => {
      if (req.userText === 'find')
        return req.toolResults.length
          ? reply.text('options')
          : reply.tools([{ name: 'get_available_seats', input: { scheduleId: slot.id, count: 2, grade: 'S' } }]);
      const option = /option 1 = (\S+) \(/.exec(req.dynamicSystemText)![1]!.split(',');
      return reply.tools([{ name: 'hold_seats', input: { scheduleId: slot.id, seatIds: option } }]);
    };
    await b.get('/assistant');
    await ask(b, 'find');
    const held = await ask(b, 'yes, option 1');
    const card = held.messages.find((m) => m.includes('class="hold-card"'))!;
    const holdId = /id="hold-([0-9a-f-]+)"/.exec(card)![1]!;
    expect(card).to.contain(`action="/holds/${holdId}/pay"`);
    expect(card).to.contain(`hx-post="/assistant/holds/${holdId}/release"`);
    expect(card).to.contain('달빛 정원');
    expect(card).to.match(/data-remaining-ms="\d+"/);
    // Before paying from the card, it says when cancelling this slot closes (or that it has closed).
    const closesAt = viewHelpers('ko', {}).dateTime(cancellationDeadline(DEFAULT_CANCELLATION_POLICY, slot.startsAt));
    expect(card).to.match(/class="[^"]*cancel-terms"/);
    expect(card).to.contain(closesAt);
    const page = await b.get('/assistant');
    expect(page.html).to.contain(`id="hold-${holdId}"`);
    // My reservations on the web lists the chat's hold as awaiting payment, with its seats and a pay button.
    const mine = await b.get('/reservations');
    const listed = /<article class="booking is-held" id="h-([0-9a-f-]+)">([\s\S]*?)<\/article>/.exec(mine.html);
    expect(listed?.[1]).to.equal(holdId);
    const entry = listed![2]!;
    expect(entry).to.contain('좌석 선점 중');
    expect(entry).to.contain(`action="/holds/${holdId}/pay"`);
    expect(entry.match(/<li>/g) ?? []).to.have.length(2);
    const released = await b.post(`/assistant/holds/${holdId}/release`, {}, { headers: { 'hx-request': 'true' } });
    expect(released.status).to.equal(200);
    expect(released.html).to.contain('이 좌석 선점은 해제되었습니다.');
    const seats = await a.fx.store.seatRecords(slot.id);
    expect(seats.filter((s) => s.holdId === holdId)).to.deep.equal([]);
    expect((await b.get('/reservations')).html).not.to.contain(`id="h-${holdId}"`);
  });
});
