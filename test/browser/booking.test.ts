/// <reference lib="dom" />
import { expect } from 'chai';
import {
  firstSlotUrl,
  hasHorizontalScroll,
  newPerson,
  screenshot,
  signUpInBrowser,
  useBrowserSuite,
  startStandbyApp,
  watchedPage,
} from './support.js';

const MOONLIGHT = 'perf-moonlight-garden';

describe('booking in a real browser (Chromium, both tiers, DynamoDB Local)', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite('browser');

  it('sign up → find a show → pick a date → best available 2 adjacent seats → pay → my reservations → cancel with the quoted refund', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'journey');

    await page.fill('input[name="q"]', '달빛');
    await page.click('.filters button[type="submit"]');
    await page.waitForURL(/q=/);
    expect(await page.locator('.card h2').allTextContents()).to.deep.equal(['달빛 정원']);
    await page.click('.card-link');
    await page.waitForURL(`${suite.app.url}/performances/${MOONLIGHT}`);
    expect(await page.locator('h1').textContent()).to.equal('달빛 정원');

    // A different date from the calendar (htmx swaps only the picker and pushes the URL).
    const second = page.locator('.month a.day:not(.selected)').first();
    const date = ((await second.getAttribute('href')) ?? '').split('date=')[1]!;
    await second.click();
    await page.waitForURL(new RegExp(`date=${date}`));
    expect(await page.locator('.slots h3').textContent()).to.match(/\d+월 \d+일/);
    await page.locator('.slots a.button').first().click();
    await page.waitForURL(/\/schedules\//);

    await page.selectOption('#best-form select[name="best"]', '2');
    await page.selectOption('#best-form select[name="grade"]', 'R');
    await page.click('#best-form button[type="submit"]');
    await page.waitForURL(/best=2/);
    const chosen = await page
      .locator('#seat-map input[name="seat"]:checked')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(chosen).to.have.length(2);
    const [a, b] = chosen.map((id) => id.split('-'));
    expect(a!.slice(0, 3)).to.deep.equal(b!.slice(0, 3)); // same floor, section and row
    expect(Math.abs(Number(a![3]) - Number(b![3]))).to.equal(1); // adjacent
    expect(await page.locator('#selection').textContent()).to.contain('280,000원');

    await page.click('#selection button[type="submit"]');
    await page.waitForURL(/\/holds\//);
    expect(await page.locator('.lines tfoot').textContent()).to.contain('284,000원');
    expect(await page.locator('.countdown .clock').textContent()).to.match(/^(10:00|9:5\d)$/);
    await page.click('form[action$="/pay"] button');
    await page.waitForURL(/\/complete$/);
    const number = (await page.locator('.number strong').textContent())!;
    expect(number).to.match(/^MT[A-Z0-9]{10}$/);

    await page.click('a.button[href="/reservations"]');
    await page.waitForURL(`${suite.app.url}/reservations`);
    const booking = page.locator(`#r-${number}`);
    expect(await booking.locator('.status').textContent()).to.equal('예매 완료');
    await booking.locator('a.button').click();
    await page.waitForURL(/\/cancel$/);
    // The quote shown before confirming is what is refunded (the ladder depends on how far away the date is).
    const refund = /([\d,]+원)/.exec((await page.locator('.lines tfoot').textContent())!)![1]!;
    expect(await page.locator('button.danger').textContent()).to.contain(refund);
    await page.click('button.danger');
    await page.waitForURL(/cancelled=/);
    expect(await page.locator(`#r-${number} .status`).textContent()).to.equal('취소됨');
    expect(await page.locator(`#r-${number}`).textContent()).to.contain(`환불 ${refund}`);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('two browsers race for one seat: the loser sees the "just taken" message on a refreshed map', async () => {
    const [alice, bob] = await Promise.all([newPerson(suite.browser), newPerson(suite.browser)]);
    const a = await watchedPage(alice);
    const b = await watchedPage(bob);
    await signUpInBrowser(a.page, suite.app.url, 'alice');
    await signUpInBrowser(b.page, suite.app.url, 'bob');
    const slot = await firstSlotUrl(a.page, suite.app.url, MOONLIGHT);
    await Promise.all([a.page.goto(slot), b.page.goto(slot)]);
    await a.page.click('#s1F-B-9-6');
    await b.page.click('#s1F-B-9-6');
    await b.page.click('#s1F-B-9-7');
    await a.page.locator('#selection .subtotal').filter({ hasText: '1석' }).waitFor();
    await b.page.locator('#selection .subtotal').filter({ hasText: '2석' }).waitFor();
    // Both press "hold" at the same moment: exactly one wins the seat.
    await Promise.all([
      a.page.click('#selection button[type="submit"]'),
      b.page.click('#selection button[type="submit"]'),
    ]);
    await Promise.race([a.page.waitForURL(/\/holds\//), b.page.waitForURL(/\/holds\//)]);
    const [winner, loser] = a.page.url().includes('/holds/') ? [a, b] : [b, a];
    await loser.page.locator('.notice.is-error').waitFor();
    expect(winner.page.url()).to.contain('/holds/');
    expect(loser.page.url()).to.contain('/schedules/');
    expect(await loser.page.locator('.notice.is-error').textContent()).to.contain(
      '방금 다른 분이 선택한 좌석입니다: 1층 B구역 9열 6번',
    );
    expect(await loser.page.getAttribute('#s1F-B-9-6', 'class')).to.contain('is-taken-now');
    expect(await loser.page.isDisabled('#s1F-B-9-6 input')).to.equal(true);
    if (loser === b) expect(await b.page.isChecked('#s1F-B-9-7 input')).to.equal(true);
    const { errors } = loser;
    // The only console message is the browser's own note of the 409 answer.
    expect(errors.filter((e) => !/409/.test(e))).to.deep.equal([]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('an open seat map shows a seat taken elsewhere within 5 seconds, without reloading', async () => {
    const [viewer, taker] = await Promise.all([newPerson(suite.browser), newPerson(suite.browser)]);
    const v = await watchedPage(viewer);
    const t = await watchedPage(taker);
    await signUpInBrowser(t.page, suite.app.url, 'taker');
    const slot = await firstSlotUrl(t.page, suite.app.url, MOONLIGHT);
    await v.page.goto(slot);
    await t.page.goto(slot);
    await v.page.click('#s1F-A-3-4');
    await t.page.click('#s1F-A-3-4');
    await t.page.locator('#selection .subtotal').waitFor();
    await t.page.click('#selection button[type="submit"]');
    await t.page.waitForURL(/\/holds\//);
    const started = Date.now();
    await v.page.locator('#s1F-A-3-4.is-taken-now').waitFor({ timeout: 6_000 });
    expect(Date.now() - started).to.be.lessThan(6_000);
    expect(await v.page.locator('#seat-notice').textContent()).to.contain('1층 A구역 3열 4번');
    expect(await v.page.locator('#selection').textContent()).to.contain('선택한 좌석이 없습니다');
    expect(v.errors).to.deep.equal([]);
    await Promise.all([viewer.close(), taker.close()]);
  });

  it('an anonymous visitor of a shared seat map holds with htmx: the POST carries their own token and goes to log in', async () => {
    const [first, visitor] = await Promise.all([newPerson(suite.browser), newPerson(suite.browser)]);
    const a = await watchedPage(first);
    const slot = await firstSlotUrl(a.page, suite.app.url, MOONLIGHT);
    await a.page.goto(slot); // the page every anonymous visitor of this slot now shares
    const { page, errors } = await watchedPage(visitor);
    await page.goto(slot);
    const token = await page.locator('#csrf-token').inputValue();
    const cookie = (await visitor.cookies()).find((c) => c.name === 'mt.csrf')?.value;
    expect(token).to.equal(cookie);
    expect(token).not.to.equal(await a.page.locator('#csrf-token').inputValue());
    await page.click('#s1F-A-6-4');
    await page.locator('#selection .subtotal').waitFor();
    const [hold] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/hold')),
      page.click('#selection button[type="submit"]'),
    ]);
    expect(hold.headers()['x-csrf-token']).to.equal(token); // app.js, from the field at the end of the page
    expect(new URLSearchParams(hold.postData() ?? '').get('_csrf')).to.equal(token); // the form's own field
    await page.waitForURL(/\/login\?next=/);
    expect(errors).to.deep.equal([]);
    await Promise.all([first.close(), visitor.close()]);
  });

  it('keyboard only: Tab into the map, arrows move, Space and Enter select, a 5th seat is refused, Enter holds', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'keyboard');
    await page.goto(await firstSlotUrl(page, suite.app.url, MOONLIGHT));
    await page.focus('#best-form button[type="submit"]');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    expect(await focused()).to.equal('1F-A-1-1');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).to.equal('1F-A-1-3');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).to.equal('1F-A-2-3');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space'); // the 5th
    expect(await page.locator('#seat-notice').textContent()).to.contain('최대 4석');
    expect(await page.locator('#seat-map input:checked').count()).to.equal(4);
    await page.locator('#selection .subtotal').filter({ hasText: '4석' }).waitFor();
    const label = await page.evaluate(() => document.activeElement!.getAttribute('aria-label'));
    expect(label).to.equal('1층 A구역 2열 6번, R석 140,000원, 선택 가능');
    await page.focus('#selection button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/holds\//);
    expect(await page.locator('.lines tbody tr').count()).to.equal(6); // 4 seats, tickets, fee
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('the English switch keeps the current page and query, and every label is English', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await page.goto(`${suite.app.url}/?genre=musical&q=moon`);
    await page.click('#lang-switch');
    await page.waitForURL(/lang=en/);
    const url = new URL(page.url());
    expect(url.searchParams.get('genre')).to.equal('musical');
    expect(url.searchParams.get('q')).to.equal('moon');
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    expect(await page.locator('h1').textContent()).to.equal('Performances');
    expect(await page.locator('.card .genre-tag').first().textContent()).to.equal('Musical');
    expect(await page.locator('.card .price').first().textContent()).to.match(/^From KRW \d{1,3}(,\d{3})+$/);
    expect(await page.locator('.card .run').first().textContent()).to.match(/^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} – /);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('screenshots of the seat map and the payment page at 1280 and 390 px: no console errors, no horizontal scroll', async () => {
    for (const width of [1280, 390]) {
      const context = await newPerson(suite.browser, width, 900);
      const { page, errors } = await watchedPage(context);
      await signUpInBrowser(page, suite.app.url, `shots${width}`);
      await page.goto(await firstSlotUrl(page, suite.app.url, MOONLIGHT));
      const row = width === 1280 ? 4 : 5;
      await page.click(`#s1F-B-${row}-7`);
      await page.click(`#s1F-B-${row}-8`);
      await page.locator('#selection .subtotal').waitFor();
      expect(await hasHorizontalScroll(page), `seat map ${width}`).to.equal(false);
      await screenshot(page, `seat-map-${width}`);
      await page.click('#selection button[type="submit"]');
      await page.waitForURL(/\/holds\//);
      expect(await hasHorizontalScroll(page), `payment ${width}`).to.equal(false);
      await screenshot(page, `payment-${width}`);
      expect(errors, `console at ${width}`).to.deep.equal([]);
      await context.close();
    }
  });

  it('a DR_RECOVERED booking is paid from my reservations in Tokyo (the standby, same tables) and becomes DR_RESERVED', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'dr');
    await page.goto(await firstSlotUrl(page, suite.app.url, MOONLIGHT));
    await page.click('#s1F-C-5-5');
    await page.locator('#selection .subtotal').waitFor();
    await page.click('#selection button[type="submit"]');
    await page.waitForURL(/\/holds\//);
    // Seoul fails over while the hold is live: DR active since now. Tokyo serves over the same (global) tables and
    // the browser keeps its session (cookies are per host, not per port); Seoul takes no writes any more.
    suite.app.dr.state = { active: true, since: Date.now() };
    const tokyo = await startStandbyApp(suite.app);
    try {
      // Tokyo's recovery loop converts the hold on start; one more pass makes sure before the page is read.
      await tokyo.app.api!.booking.recoverHoldsForDr();
      // The web tier reads the DR state at most every 5 s; the banner follows within that.
      for (let i = 0; i < 8; i++) {
        await page.goto(`${tokyo.url}/reservations`);
        if ((await page.locator('.dr-banner').count()) > 0) break;
        await page.waitForTimeout(1000);
      }
      const recovered = page.locator('.booking.is-recovered');
      expect(await recovered.locator('.status').textContent()).to.equal('결제 대기 (재해 복구로 보호됨)');
      expect(await recovered.textContent()).to.match(/\d{4}년 \d+월 \d+일 \(.\) \d{2}:\d{2}까지 결제하면/);
      expect(await page.locator('.dr-banner').textContent()).to.contain('도쿄');
      await recovered.locator('button.primary').click();
      await page.waitForURL(/\/complete$/);
      expect(await page.locator('.complete').textContent()).to.contain('예매 완료 (재해 복구 중 결제)');
    } finally {
      suite.app.dr.state = { active: false };
      await tokyo.stop();
    }
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});

describe('the payment countdown in a real browser (short holds)', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite('browser-countdown', { HOLD_SECONDS: '6' });

  it('counts down from the server expiry; at 0 the page says the hold expired, offers the map, and the seats are free', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'countdown');
    const slot = await firstSlotUrl(page, suite.app.url, MOONLIGHT);
    await page.goto(slot);
    await page.click('#s1F-B-2-2');
    await page.locator('#selection .subtotal').waitFor();
    await page.click('#selection button[type="submit"]');
    await page.waitForURL(/\/holds\//);
    expect(await page.locator('.countdown .clock').textContent()).to.match(/^0:0[0-6]$/);
    await page.locator('text=좌석 선점 시간이 만료되어').waitFor({ timeout: 15_000 });
    expect(await page.locator('a.button', { hasText: '좌석 다시 선택하기' }).getAttribute('href')).to.equal(
      new URL(slot).pathname,
    );
    expect(await page.locator('form[action$="/pay"]').count()).to.equal(0);
    await page.click('a.button:has-text("좌석 다시 선택하기")');
    await page.waitForURL(/\/schedules\//);
    expect(await page.isDisabled('#s1F-B-2-2 input')).to.equal(false);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
