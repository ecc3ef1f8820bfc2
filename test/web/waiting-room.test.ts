import { expect } from 'chai';
import { takeoverState } from '../../app/queue/release.js';
import type { RunningServer } from '../../app/server.js';
import { MINUTE } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent } from '../support/queue.js';
import { serveApi, serveWeb } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

let emailCounter = 0;
const email = (name: string) => `${name}-${++emailCounter}-${process.pid}@example.com`;
const HTMX = { 'HX-Request': 'true', 'HX-Target': 'div#queue-status' };

describe('waiting room pages over the real web → API hop (DynamoDB Local behind it)', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let api: RunningServer;
  let web: RunningServer;
  before(async () => {
    fx = await createFixture('web-queue');
    api = await serveApi(fx);
    web = await serveWeb(api.url);
  });
  after(async () => {
    await web.close();
    await api.close();
  });

  async function member(name: string) {
    const browser = new WebClient(web.url);
    await browser.signUp(email(name));
    return browser;
  }
  const tick = async (eventId: string, seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(eventId);
    }
  };

  it('anonymous visitors see the on-sale times, the lottery commitment and a log-in link, in Korean and in English', async () => {
    const { performance } = await addQueuedEvent(fx);
    const armed = await fx.queue.arm(performance.id);
    const visitor = new WebClient(web.url);
    const page = await visitor.get(`/queue/${performance.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('대기실').and.contain('사전 대기열 오픈').and.contain(armed.seedHash);
    expect(page.html).to.contain(`/login?next=${encodeURIComponent(`/queue/${performance.id}`)}`);
    expect(page.html).not.to.contain(armed.seed);
    const english = await visitor.get(`/queue/${performance.id}?lang=en`);
    expect(english.html).to.contain('Waiting room').and.contain('How the pre-queue lottery works');
  });

  it('without JavaScript: join (CSRF form) → 303 → the place, people ahead and ETA, with a meta refresh; the ticket cookie is HttpOnly', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const browser = await member('join');
    await browser.get(`/queue/${performance.id}`);
    const joined = await browser.post(`/queue/${performance.id}/join`);
    expect(joined.status).to.equal(303);
    expect(joined.headers.get('location')).to.equal(`/queue/${performance.id}`);
    const cookie = joined.headers.getSetCookie().find((c) => c.startsWith(`mt_q_${performance.id}=`))!;
    expect(cookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i);
    const page = await browser.get(`/queue/${performance.id}`);
    expect(page.html).to.contain('나의 대기 순번').and.contain('내 앞에 0명').and.contain('예상 대기 시간');
    expect(page.html).to.match(/<noscript><meta http-equiv="refresh" content="\d+"><\/noscript>/);
    expect(page.html).to.match(/hx-trigger="load delay:\d+ms"/);
    // Joining again (another tab, a double click) keeps the one place.
    const again = await browser.post(`/queue/${performance.id}/join`);
    expect(again.status).to.equal(303);
    expect((await fx.queueStore.getCounter(performance.id, 1))?.issued).to.equal(1);
  });

  it('the htmx poll answers only the status partial (Vary: HX-Request); without htmx it sends the browser to the page', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const browser = await member('poll');
    await browser.get(`/queue/${performance.id}`);
    await browser.post(`/queue/${performance.id}/join`);
    const partial = await browser.get(`/queue/${performance.id}/status`, HTMX);
    expect(partial.status).to.equal(200);
    expect(partial.html.trim()).to.match(/^<div id="queue-status"/);
    expect(partial.html).not.to.contain('<html');
    expect(partial.headers.get('vary')).to.contain('HX-Request');
    const plain = await browser.get(`/queue/${performance.id}/status`);
    expect([plain.status, plain.headers.get('location')]).to.deep.equal([303, `/queue/${performance.id}`]);
  });

  it('in the pre-queue the page shows the lottery ticket and when the order is drawn', async () => {
    const { performance } = await addQueuedEvent(fx, {
      preQueueOpensAt: fx.clock.now(),
      opensAt: fx.clock.now() + 5 * MINUTE,
    });
    await fx.queue.arm(performance.id);
    const browser = await member('pre');
    await browser.get(`/queue/${performance.id}?lang=en`);
    await browser.post(`/queue/${performance.id}/join`);
    const page = await browser.get(`/queue/${performance.id}?lang=en`);
    expect(page.html).to.contain('You are in the pre-queue.').and.contain('Ticket no. 1.');
  });

  it('your turn: the page offers Enter (auto-submitted by htmx); entering sets the admission cookie and goes to the show', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute: 600 });
    const browser = await member('turn');
    await browser.get(`/queue/${performance.id}`);
    await browser.post(`/queue/${performance.id}/join`);
    await tick(performance.id, 3);
    const page = await browser.get(`/queue/${performance.id}`);
    expect(page.html).to.contain('입장 차례입니다!');
    expect(page.html).to.match(/action="\/queue\/[^"]+\/enter"[^>]*hx-trigger="submit, load delay:\d+ms"/);
    const entered = await browser.post(`/queue/${performance.id}/enter`);
    expect(entered.status).to.equal(303);
    expect(entered.headers.get('location')).to.equal(`/performances/${performance.id}?admitted=1`);
    const cookie = entered.headers.getSetCookie().find((c) => c.startsWith(`mt_adm_${performance.id}=`))!;
    expect(cookie)
      .to.match(/HttpOnly/i)
      .and.match(/mta2\./);
    const after = await browser.get(`/queue/${performance.id}`);
    expect(after.html).to.contain('입장했습니다.').and.contain('남은 좌석 선점 횟수: 2회');
  });

  it('CSRF: a join without the token is refused and writes nothing', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const browser = await member('csrf');
    await browser.get(`/queue/${performance.id}`);
    const forged = await browser.post(`/queue/${performance.id}/join`, {}, { csrf: null });
    expect(forged.status).to.equal(403);
    expect((await fx.queueStore.getCounter(performance.id, 1))?.issued ?? 0).to.equal(0);
  });

  it('a place lost to a failover (a new writer epoch that never saw its number) is re-joined by the page itself, with a notice', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const browser = await member('lost');
    await browser.get(`/queue/${performance.id}`);
    await browser.post(`/queue/${performance.id}/join`);
    // A new writer takes over having seen none of epoch 1's numbers (its joins never replicated).
    const state = (await fx.queueStore.getState(performance.id, true))!;
    expect(
      await fx.queueStore.takeover(takeoverState(state, 0, state.writerRegion, fx.clock.now()), {
        epoch: state.epoch,
        writerRegion: state.writerRegion,
      }),
    ).to.equal(true);
    const page = await browser.get(`/queue/${performance.id}`);
    expect(page.html).to.contain('대기열에 다시 배정했습니다').and.contain('나의 대기 순번');
    const user = await fx.accounts.authenticate(browser.cookies.get('mt_session'));
    expect(await fx.queueStore.getEntry(performance.id, user!.userId)).to.deep.include({ epoch: 2, number: 1 });
  });

  it('a closed on-sale says so and offers no join; a forced join is answered on the page (409)', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    await fx.queue.setControl(performance.id, 'CLOSED');
    const browser = await member('closed');
    const page = await browser.get(`/queue/${performance.id}`);
    expect(page.html).to.contain('이 예매는 마감되었습니다.');
    expect(page.html).not.to.contain('/join"');
    const forced = await browser.post(`/queue/${performance.id}/join`);
    expect(forced.status).to.equal(409);
    expect(forced.html).to.contain('이 예매는 마감되었습니다.');
  });
});
