/// <reference lib="dom" />
import { expect } from 'chai';
import {
  hasHorizontalScroll,
  newPerson,
  screenshot,
  signUpInBrowser,
  useBrowserSuite,
  watchedPage,
} from './support.js';

describe('the booking assistant in a real browser (Chromium, htmx 4 + hx-sse, both tiers, offline model)', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite('assistant', { ASSISTANT_MODE: 'offline' });

  it('tokens arrive in the page one by one, the hold card appears (no sideways scroll at 1280 and 390 px), and paying from the card makes a reservation', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'chat');
    await page.goto(`${suite.app.url}/assistant`);
    expect(await page.locator('h1 .badge.offline').textContent()).to.equal('오프라인 도우미');

    // Watch the assistant's text grow: every change of its text node is recorded in the page.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const texts = document.querySelectorAll('#assistant-log .msg.assistant .text');
        const last = texts[texts.length - 1];
        if (last) seen.push(last.textContent ?? '');
      }).observe(document.getElementById('assistant-log')!, { childList: true, subtree: true, characterData: true });
    });
    const say = async (message: string) => {
      const answers = await page.locator('#assistant-log .answered-by:not(:empty)').count();
      await page.fill('#assistant-message', message);
      await page.press('#assistant-message', 'Enter');
      await page.locator('#assistant-log .answered-by:not(:empty)').nth(answers).waitFor();
      expect(await page.inputValue('#assistant-message')).to.equal('');
      return (await page.locator('#assistant-log .msg.assistant .text').last().textContent()) ?? '';
    };

    const schedules = await say('달빛 정원 보고 싶어요');
    expect(schedules).to.contain('예매할 수 있는 공연 일정이에요');
    const growth = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const distinct = [...new Set(growth.filter((t) => t !== ''))];
    expect(distinct.length, 'the answer grew in several steps').to.be.greaterThan(5);
    expect(distinct.every((t, i) => i === 0 || t.startsWith(distinct[i - 1]!))).to.equal(true);
    expect(await page.locator('#assistant-log .answered-by').last().textContent()).to.equal('답변: 오프라인 도우미');

    const firstSlot = schedules.split('\n')[1]!; // "1. 2026-12-01 19:30 (화) (잔여 1,210석)"
    const date = /(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d)/.exec(firstSlot)!;
    await say(`${Number(date[2])}월 ${Number(date[3])}일 ${date[4]}`);
    await say('2명이요');
    const options = await say('R석으로 할게요');
    expect(options).to.match(/1번: 1층 B구역 \d+열 \d+–\d+번, R석, 총 284,000원/);
    // Only the latest message has buttons: nothing to click yet.
    expect(await page.locator('#assistant-log .actions button').count()).to.equal(0);

    await say('1번으로 잡아 주세요');
    const card = page.locator('#assistant-log .hold-card');
    await card.waitFor();
    expect(await card.locator('h3').textContent()).to.equal('좌석을 잡아 두었어요');
    expect(await card.locator('.seats li').count()).to.equal(2);
    expect(await card.locator('.total strong').textContent()).to.equal('284,000원');
    const clock = await card.locator('.clock').textContent();
    expect(clock).to.match(/^(10:00|9:\d\d)$/);
    // The chat page with its hold card on a desktop and a phone: nothing scrolls sideways.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await hasHorizontalScroll(page), `horizontal scroll at ${width}px`).to.equal(false);
      await screenshot(page, `assistant-hold-card-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // A later message takes the buttons away from the card (the payment page link stays).
    await say('공연장이 어디예요?');
    expect(await card.locator('.actions').count()).to.equal(0);
    expect(await card.locator('.hold-link a').count()).to.equal(1);

    // The full chat page after a reload: the hold card is the latest item and has its buttons again.
    await page.goto(`${suite.app.url}/assistant`);
    const reloaded = page.locator('#assistant-log .hold-card');
    await Promise.all([
      page.waitForURL(/\/reservations\/[A-Z0-9]+\/complete/),
      reloaded.locator('button.primary').click(),
    ]);
    const number = /\/reservations\/([A-Z0-9]+)\/complete/.exec(page.url())![1]!;
    await page.goto(`${suite.app.url}/reservations`);
    expect(await page.locator('main').textContent()).to.contain(number);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('the panel on a show page: an anonymous visitor is asked to log in when it comes to holding', async () => {
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await page.goto(`${suite.app.url}/performances/perf-moonlight-garden`);
    await page.click('#assistant-panel summary');
    expect(await page.locator('#assistant-panel summary .badge.offline').count()).to.equal(1);
    const ask = async (message: string) => {
      const answers = await page.locator('#assistant-log .answered-by:not(:empty)').count();
      await page.fill('#assistant-message', message);
      await page.click('#assistant-panel form.assistant-form button[type="submit"]');
      await page.locator('#assistant-log .answered-by:not(:empty)').nth(answers).waitFor();
    };
    await ask('달빛 정원 아무 자리나 예약해 줘');
    await ask('1번이요');
    const login = page.locator('#assistant-log .login-needed a');
    await login.waitFor();
    expect(await login.getAttribute('href')).to.equal('/login?next=%2Fassistant');
    expect(await page.locator('#assistant-log .hold-card').count()).to.equal(0);
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
