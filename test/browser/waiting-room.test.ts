/// <reference lib="dom" />
import { expect } from 'chai';
import { systemClock } from '../../app/shared/clock.js';
import { addQueuedEvent } from '../support/queue.js';
import { firstSlotUrl, newPerson, screenshot, signUpInBrowser, useBrowserSuite, watchedPage } from './support.js';

describe('the waiting room in a real browser (Chromium, both tiers, DynamoDB Local)', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite('browser-queue');

  it('join the pre-queue → the page refreshes itself through the draw → the turn comes → entered automatically → admitted: seat map → hold → pay closes the turn', async () => {
    const api = suite.app.app.api!;
    const context = await newPerson(suite.browser);
    const { page, errors } = await watchedPage(context);
    await signUpInBrowser(page, suite.app.url, 'queue');
    // The event is created only now (opening in 10 s), so a slow sign-up cannot eat the pre-queue.
    const now = Date.now();
    const { performance } = await addQueuedEvent(
      { clock: systemClock, dynamoCatalog: api.dynamoCatalog },
      { preQueueOpensAt: now, opensAt: now + 10_000, admitPerMinute: 600 },
    );
    await api.queue.arm(performance.id);
    // The writer ticks this event twice a second (the app's own loop only sees catalog changes after its cache).
    const ticker = setInterval(() => void api.queue.tick(performance.id).catch(() => undefined), 500);
    try {
      await page.goto(`${suite.app.url}/queue/${performance.id}`);
      await page.click('#queue-status button[type="submit"]');
      await page.waitForSelector('text=사전 대기열에 들어왔습니다.');
      await screenshot(page, 'waiting-room-pre-queue');
      // No clicks from here: htmx polls at the pace the API sets, the draw happens, the turn comes and is entered.
      await page.waitForURL(`${suite.app.url}/performances/${performance.id}?admitted=1`, { timeout: 60_000 });
      expect(await page.locator('.queue-banner').textContent()).to.contain('대기실에서 입장했습니다.');
      const cookies = await context.cookies();
      const admission = cookies.find((c) => c.name === `mt_adm_${performance.id}`);
      expect(admission?.httpOnly).to.equal(true);
      // Admitted: the seat map, the hold and the payment carry the admission (an HttpOnly cookie) to the API.
      await page.goto(await firstSlotUrl(page, suite.app.url, performance.id));
      expect(await page.locator('.queue-banner').textContent()).to.contain('대기실에서 입장했습니다.');
      await page.selectOption('#best-form select[name="best"]', '2');
      await page.click('#best-form button[type="submit"]');
      await page.waitForURL(/best=2/);
      await page.click('#selection button[type="submit"]');
      await page.waitForURL(/\/holds\//);
      await page.click('form[action$="/pay"] button');
      await page.waitForURL(/\/complete$/);
      expect(await page.locator('.number strong').textContent()).to.match(/^MT[A-Z0-9]{10}$/);
      // Paying closed the admission: the waiting room (in English) says the turn was used.
      await page.goto(`${suite.app.url}/queue/${performance.id}?lang=en`);
      expect(await page.locator('#queue-status').textContent()).to.contain('Your purchase with this turn is complete.');
      expect(errors).to.deep.equal([]);
    } finally {
      clearInterval(ticker);
    }
  });
});
