import { expect } from 'chai';
import express from 'express';
import type { RunningServer } from '../../app/server.js';
import { listen } from '../../app/server.js';
import { cancellationDeadline, DEFAULT_CANCELLATION_POLICY } from '../../app/booking/cancellation-policy.js';
import { viewHelpers } from '../../app/web/view-helpers.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { serveApi, serveWeb } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

let emailCounter = 0;
const email = (name: string) => `${name}-${++emailCounter}-${process.pid}@example.com`;

describe('web booking pages over the real web → API hop (DynamoDB Local behind it)', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let api: RunningServer;
  let web: RunningServer;
  before(async () => {
    fx = await createFixture('web-pages');
    api = await serveApi(fx);
    web = await serveWeb(api.url);
  });
  after(async () => {
    await web.close();
    await api.close();
  });

  const client = () => new WebClient(web.url);
  const slot = (days: number) => addSlot(fx, MOONLIGHT, fx.clock.now() + days * DAY);

  /** A signed-up browser with a live hold of `seats` on a fresh slot. */
  async function holding(seats: string[], days = 20) {
    const browser = client();
    await browser.signUp(email('holder'));
    const s = await slot(days);
    await browser.get(`/schedules/${s.id}`);
    const held = await browser.post(`/schedules/${s.id}/hold`, { seat: seats });
    expect(held.status).to.equal(303);
    const holdId = held.headers.get('location')!.split('/').pop()!;
    return { browser, slot: s, holdId };
  }

  describe('the booking flow without JavaScript', () => {
    it('sign up → seat map → hold → payment page → pay → completion → my reservations → quote → cancel', async () => {
      const { browser, holdId } = await holding(['1F-B-5-7', '1F-B-5-8']);
      const payment = await browser.get(`/holds/${holdId}`);
      expect(payment.status).to.equal(200);
      expect(payment.html).to.contain('1층 B구역 5열 7번');
      expect(payment.html).to.contain('280,000원'); // 2 × R 140,000
      expect(payment.html).to.contain('4,000원'); // booking fee 2 × 2,000
      expect(payment.html).to.contain('284,000원');
      expect(payment.html).to.match(/data-remaining-ms="\d+"/);
      const paid = await browser.post(`/holds/${holdId}/pay`);
      expect(paid.status).to.equal(303);
      const completion = paid.headers.get('location')!;
      expect(completion).to.match(/^\/reservations\/MT[A-Z0-9]+\/complete$/);
      const done = await browser.get(completion);
      const number = completion.split('/')[2]!;
      expect(done.html).to.contain(number);
      expect(done.html).to.contain('예매 완료');
      const list = await browser.get('/reservations');
      expect(list.html).to.contain(number);
      const quote = await browser.get(`/reservations/${number}/cancel`);
      expect(quote.html).to.contain('총 환불 예정액');
      expect(quote.html).to.contain('284,000원'); // booked today, show 20 days away: free, fee refunded
      const cancelled = await browser.post(`/reservations/${number}/cancel`);
      expect(cancelled.status).to.equal(303);
      expect((await fx.store.getReservation(number))!.status).to.equal('CANCELLED');
      const after = await browser.get(cancelled.headers.get('location')!);
      expect(after.html).to.contain('취소됨');
    });

    it('the payment page says until when the booking can be cancelled, with a link to the policy', async () => {
      const { browser, slot: s, holdId } = await holding(['1F-B-5-7'], 20);
      const payment = await browser.get(`/holds/${holdId}`);
      const closesAt = cancellationDeadline(DEFAULT_CANCELLATION_POLICY, s.startsAt);
      const ko = viewHelpers('ko', {}).dateTime(closesAt);
      expect(payment.html).to.contain(`${ko}까지 취소할 수 있으며`);
      expect(payment.html).to.contain(`href="/performances/${MOONLIGHT}#policy-title"`);
      expect(payment.html).not.to.contain('결제한 뒤에는 취소할 수 없습니다');
    });

    it('a slot past its cancellation deadline: the payment page warns, before paying, that it cannot be cancelled', async () => {
      const { browser, slot: s, holdId } = await holding(['1F-B-5-8'], 3 / 24); // starts in 3 h: closed yesterday 17:00 or earlier today
      const payment = await browser.get(`/holds/${holdId}`);
      const ko = viewHelpers('ko', {}).dateTime(cancellationDeadline(DEFAULT_CANCELLATION_POLICY, s.startsAt));
      expect(payment.html).to.contain(`이 회차는 취소 마감(${ko})이 지났습니다. 결제한 뒤에는 취소할 수 없습니다.`);
      expect(payment.html).not.to.contain('까지 취소할 수 있으며');
      // English, same hold
      const english = await browser.get(`/holds/${holdId}?lang=en`);
      expect(english.html).to.contain('once paid, this booking cannot be cancelled');
    });

    it('the session cookie is HttpOnly and SameSite=Lax, and logging in again rotates it (the old token stops working)', async () => {
      const browser = client();
      const address = email('rotate');
      const signedUp = await browser.signUp(address);
      const setCookie = signedUp.headers.getSetCookie().find((c) => c.startsWith('mt_session='))!;
      expect(setCookie)
        .to.match(/HttpOnly/i)
        .and.match(/SameSite=Lax/i);
      const first = browser.cookies.get('mt_session')!;
      await browser.get('/login');
      const loggedIn = await browser.post('/login', {
        email: address,
        password: 'correct horse battery',
        next: '/reservations',
      });
      expect(loggedIn.status).to.equal(303);
      expect(loggedIn.headers.get('location')).to.equal('/reservations');
      const second = browser.cookies.get('mt_session')!;
      expect(second).not.to.equal(first);
      expect(await fx.accounts.authenticate(first)).to.equal(undefined);
      expect((await fx.accounts.authenticate(second))?.email).to.equal(address);
    });

    it('a page that needs a login redirects to it and comes back after; htmx requests get HX-Redirect', async () => {
      const anonymous = client();
      const plain = await anonymous.get('/reservations');
      expect(plain.status).to.equal(303);
      expect(plain.headers.get('location')).to.equal('/login?next=%2Freservations');
      const htmx = await anonymous.get('/reservations', { 'HX-Request': 'true' });
      expect(htmx.headers.get('hx-redirect')).to.equal('/login?next=%2Freservations');
      const login = await anonymous.get('/login?next=%2Freservations');
      expect(login.html).to.contain('name="next" value="/reservations"');
      const offsite = await anonymous.get('/login?next=%2F%2Fevil.example');
      expect(offsite.html).to.contain('name="next" value="/"');
    });

    it('a hold by an anonymous visitor sends them to log in and back to the map with their seats', async () => {
      const s = await slot(21);
      const anonymous = client();
      await anonymous.get(`/schedules/${s.id}`);
      const response = await anonymous.post(`/schedules/${s.id}/hold`, { seat: ['1F-A-3-3'] });
      expect(response.status).to.equal(303);
      expect(decodeURIComponent(response.headers.get('location')!)).to.equal(
        `/login?next=/schedules/${s.id}?seat=1F-A-3-3`,
      );
      expect(await fx.store.seatRecords(s.id)).to.deep.equal([]);
    });
  });

  describe('CSRF', () => {
    it('a hold without a token or with a forged one → 403, and no seat is written', async () => {
      const browser = client();
      await browser.signUp(email('csrf'));
      const s = await slot(22);
      await browser.get(`/schedules/${s.id}`);
      const missing = await browser.post(`/schedules/${s.id}/hold`, { seat: ['1F-B-9-1'] }, { csrf: null });
      expect(missing.status).to.equal(403);
      const forged = await browser.post(
        `/schedules/${s.id}/hold`,
        { seat: ['1F-B-9-1'] },
        { csrf: 'f'.repeat(64) + '.abc' },
      );
      expect(forged.status).to.equal(403);
      expect(forged.html).to.contain('보안 토큰');
      expect(await fx.store.seatRecords(s.id)).to.deep.equal([]);
    });

    it('a token minted for another session is refused (cancel stays undone)', async () => {
      const { browser, holdId } = await holding(['1F-B-6-1']);
      const paid = await browser.post(`/holds/${holdId}/pay`);
      const number = paid.headers.get('location')!.split('/')[2]!;
      const attacker = client();
      await attacker.get('/');
      // The attacker's own valid token and cookie, replayed against the victim's session cookie.
      const victimSession = browser.cookies.get('mt_session')!;
      attacker.cookies.set('mt_session', victimSession);
      const response = await attacker.post(`/reservations/${number}/cancel`);
      expect(response.status).to.equal(403);
      expect((await fx.store.getReservation(number))!.status).to.equal('CONFIRMED');
    });

    it('login and logout without a token → 403', async () => {
      const browser = client();
      expect((await browser.post('/login', { email: 'a@b.co', password: 'x' }, { csrf: null })).status).to.equal(403);
      expect((await browser.post('/logout', {}, { csrf: null })).status).to.equal(403);
    });
  });

  describe('ownership', () => {
    it("another user's hold and reservation answer 404 pages, and paying or cancelling them changes nothing", async () => {
      const { browser: owner, holdId } = await holding(['1F-C-2-2']);
      const other = client();
      await other.signUp(email('other'));
      expect((await other.get(`/holds/${holdId}`)).status).to.equal(404);
      await other.get('/');
      expect((await other.post(`/holds/${holdId}/pay`)).status).to.equal(404);
      expect((await fx.store.getHold(holdId))!.status).to.equal('HOLDING');
      const paid = await owner.post(`/holds/${holdId}/pay`);
      const number = paid.headers.get('location')!.split('/')[2]!;
      expect((await other.get(`/reservations/${number}/cancel`)).status).to.equal(404);
      expect((await other.get(`/reservations/${number}/complete`)).status).to.equal(404);
      await other.get('/');
      expect((await other.post(`/reservations/${number}/cancel`)).status).to.equal(404);
      expect((await fx.store.getReservation(number))!.status).to.equal('CONFIRMED');
    });
  });

  describe('escaping', () => {
    const script = '<script>alert(1)</script>';
    it('a scripted display name, email, search term and next value are escaped wherever they are shown', async () => {
      const browser = client();
      await browser.signUp(email('xss'), 'correct horse battery', script);
      const home = await browser.get(`/?q=${encodeURIComponent(script)}`);
      expect(home.html).not.to.contain(script);
      expect(home.html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const anonymous = client();
      await anonymous.get('/login');
      const refused = await anonymous.post('/login', {
        email: `${script}@x.com`,
        password: 'whatever1',
        next: `/"${script}`,
      });
      expect(refused.status).to.equal(400);
      expect(refused.html).not.to.contain(script);
      const badNext = await anonymous.get(`/login?next=${encodeURIComponent(`/"><script>alert(1)</script>`)}`);
      expect(badNext.html).not.to.contain(script);
    });
  });

  describe('full page vs htmx fragment', () => {
    it('the detail page: full page normally, the page body for htmx, only the calendar when htmx targets it', async () => {
      const browser = client();
      const full = await browser.get(`/performances/${MOONLIGHT}`);
      expect(full.html).to.match(/^<!doctype html>/);
      expect(full.headers.get('vary')).to.contain('HX-Request');
      const body = await browser.get(`/performances/${MOONLIGHT}`, { 'HX-Request': 'true', 'HX-Target': 'main#main' });
      expect(body.html).not.to.contain('<!doctype html>');
      expect(body.html).to.contain('class="detail"');
      expect(body.html).to.contain('<hx-partial hx-target="#lang-switch"');
      const picker = await browser.get(`/performances/${MOONLIGHT}`, {
        'HX-Request': 'true',
        'HX-Target': 'div#schedule-picker',
      });
      expect(picker.html).not.to.contain('class="detail"');
      expect(picker.html).to.contain('class="calendar"');
    });

    it('the seat map selection summary is a fragment with server prices', async () => {
      const s = await slot(23);
      const browser = client();
      const summary = await browser.get(`/schedules/${s.id}?seat=1F-B-1-1&seat=1F-B-4-1`, {
        'HX-Request': 'true',
        'HX-Target': 'div#selection',
      });
      expect(summary.html).to.match(/^<div id="selection"/);
      expect(summary.html).to.contain('2석 합계 310,000원'); // VIP 170,000 + R 140,000
    });
  });

  describe('the seat map', () => {
    it('renders all 1,210 seats with an accessible name (label, grade, price, state); taken seats are disabled', async () => {
      const { slot: s } = await holding(['1F-B-2-5']);
      const html = (await client().get(`/schedules/${s.id}`)).html;
      expect(html.match(/name="seat"/g)).to.have.length(1210);
      expect(html).to.contain('aria-label="1층 B구역 2열 5번, VIP석 170,000원, 다른 고객이 선택 중" disabled');
      expect(html).to.contain('aria-label="1층 B구역 2열 6번, VIP석 170,000원, 선택 가능"');
      const english = (await client().get(`/schedules/${s.id}?lang=en`)).html;
      expect(english).to.contain('aria-label="Floor 1, Section B, Row 2, Seat 6, VIP KRW 170,000, available"');
    });

    it('the owner sees their own held seats marked as theirs', async () => {
      const { browser, slot: s } = await holding(['1F-B-3-3']);
      const html = (await browser.get(`/schedules/${s.id}`)).html;
      expect(html).to.contain('id="s1F-B-3-3"');
      expect(html).to.match(/class="seat g-VIP is-mine" id="s1F-B-3-3"/);
    });

    it('the availability refresh answers 204 when nothing changed and only the changed seats otherwise', async () => {
      const s = await slot(24);
      const viewer = client();
      const page = await viewer.get(`/schedules/${s.id}`);
      const refresh = /hx-get="(\/schedules\/[^"]+\/availability\?s=[^"]+)"/.exec(page.html)![1]!;
      const unchanged = await viewer.get(refresh, { 'HX-Request': 'true' });
      expect(unchanged.status).to.equal(204);
      const someone = await signUp(fx, 'taker');
      await fx.booking.hold(someone.userId, s.id, ['1F-B-10-5', '1F-B-10-6']);
      const changed = await viewer.get(`${refresh}&seat=1F-B-10-5`, { 'HX-Request': 'true' });
      expect(changed.status).to.equal(200);
      expect(changed.html.match(/<hx-partial hx-target="#s\d/g)).to.have.length(2);
      expect(changed.html).to.contain('hx-target="#s1F-B-10-5"');
      expect(changed.html).to.contain('방금 다른 분이 선택한 좌석입니다: 1층 B구역 10열 5번');
      expect(changed.html.length).to.be.lessThan(8_000);
    });

    it('two users race for one seat: the loser gets 409 with the map refreshed, the seat marked and named', async () => {
      const s = await slot(25);
      const [a, b] = [client(), client()];
      await a.signUp(email('race-a'));
      await b.signUp(email('race-b'));
      await a.get(`/schedules/${s.id}`);
      await b.get(`/schedules/${s.id}`);
      const first = await a.post(`/schedules/${s.id}/hold`, { seat: ['1F-B-12-7', '1F-B-12-8'] });
      expect(first.status).to.equal(303);
      const second = await b.post(`/schedules/${s.id}/hold`, { seat: ['1F-B-12-8', '1F-B-12-9'] });
      expect(second.status).to.equal(409);
      expect(second.html).to.contain('방금 다른 분이 선택한 좌석입니다: 1층 B구역 12열 8번');
      expect(second.html).to.match(/class="seat g-S is-taken-now" id="s1F-B-12-8"/);
      expect(second.html).to.match(/class="seat g-S is-selected" id="s1F-B-12-9"/);
    });

    it('a 5th seat is refused with a clear message and nothing is held', async () => {
      const browser = client();
      await browser.signUp(email('five'));
      const s = await slot(26);
      await browser.get(`/schedules/${s.id}`);
      const seats = ['1F-A-5-1', '1F-A-5-2', '1F-A-5-3', '1F-A-5-4', '1F-A-5-5'];
      const response = await browser.post(`/schedules/${s.id}/hold`, { seat: seats });
      expect(response.status).to.equal(400);
      expect(response.html).to.contain('한 번에 최대 4석까지 선택할 수 있습니다.');
      expect(await fx.store.seatRecords(s.id)).to.deep.equal([]);
    });

    it('best available preselects adjacent seats of the chosen grade', async () => {
      const s = await slot(27);
      const html = (await client().get(`/schedules/${s.id}?best=2&grade=VIP`)).html;
      expect(html).to.match(/class="seat g-VIP is-selected" id="s1F-B-1-7"/);
      expect(html).to.match(/class="seat g-VIP is-selected" id="s1F-B-1-8"/);
      expect(html).to.contain('2석 합계 340,000원');
    });
  });

  describe('errors: one mapping, no 500 page for a client mistake', () => {
    it('/?genre=opera and /?date=2024-13-45 → 400 with the catalog and a message; /posters/a%20b.svg → 404', async () => {
      for (const path of ['/?genre=opera', '/?date=2024-13-45']) {
        const response = await client().get(path);
        expect(response.status, path).to.equal(400);
        expect(response.html).to.contain('class="catalog"');
        expect(response.html).to.contain('입력 내용을 확인해 주세요.');
      }
      expect((await client().get('/posters/a%20b.svg')).status).to.equal(404);
      expect((await client().get('/performances/no-such-show')).status).to.equal(404);
      expect((await client().get('/schedules/no-such-slot')).status).to.equal(404);
    });

    it('wrong password → 401 on the form; a duplicate email → 409 on the form; too many logins → 429 "try again in N s"', async () => {
      const address = email('errors');
      await client().signUp(address);
      const browser = client();
      await browser.get('/login');
      const wrong = await browser.post('/login', { email: address, password: 'not the password' });
      expect(wrong.status).to.equal(401);
      expect(wrong.html).to.contain('이메일 또는 비밀번호가 올바르지 않습니다.');
      const again = client();
      const duplicate = await again.signUp(address);
      expect(duplicate.status).to.equal(409);
      expect(duplicate.html).to.contain('이미 가입된 이메일입니다');
      let last = wrong;
      for (let i = 0; i < 11 && last.status !== 429; i++)
        last = await browser.post('/login', { email: address, password: 'nope nope' });
      expect(last.status).to.equal(429);
      expect(last.html).to.match(/\d+초 후에 다시 시도해 주세요/);
    });

    it('paying an expired hold → 409 on the payment page saying it expired, with a way back to the map', async () => {
      const { browser, holdId, slot: s } = await holding(['1F-A-8-8']);
      fx.clock.advance(11 * 60 * 1000);
      try {
        const response = await browser.post(`/holds/${holdId}/pay`);
        expect(response.status).to.equal(409);
        expect(response.html).to.contain('좌석 선점 시간이 만료되어');
        expect(response.html).to.contain(`href="/schedules/${s.id}"`);
      } finally {
        fx.clock.advance(-11 * 60 * 1000);
      }
    });
  });

  it("the browser's address reaches the API as X-Forwarded-For (per-IP limits count browsers)", async () => {
    const seen: (string | undefined)[] = [];
    const capture = express();
    capture.use((req, res) => {
      seen.push(req.get('x-forwarded-for'));
      res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'no' } });
    });
    const fake = await listen(capture, '127.0.0.1', 0);
    const front = await serveWeb(fake.url);
    try {
      const browser = new WebClient(front.url);
      await browser.get('/login');
      await browser.post(
        '/login',
        { email: 'a@b.co', password: 'whatever1' },
        { headers: { 'x-forwarded-for': '203.0.113.9' } },
      );
      expect(seen).to.include('203.0.113.9');
    } finally {
      await front.close();
      await fake.close();
    }
  });
});
