import { expect } from 'chai';
import type { RunningServer } from '../../app/server.js';
import { addSlot, DAY, MINUTE, MOONLIGHT } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { serveApi, serveWeb } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

describe('web tier in a read-only region (Seoul while DR is active)', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let api: RunningServer;
  let web: RunningServer;
  before(async () => {
    fx = await createFixture('web-read-only');
    api = await serveApi(fx);
    web = await serveWeb(api.url);
  });
  after(async () => {
    await web.close();
    await api.close();
  });

  it('a hold form answers 503 with the read-only explanation (not the 500 page), and no seat is written; the map still renders', async () => {
    const browser = new WebClient(web.url);
    await browser.signUp(`read-only-${process.pid}@example.com`);
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
    await browser.get(`/schedules/${slot.id}`);
    fx.dr.state = { active: true, since: fx.clock.now() - MINUTE };
    try {
      const response = await browser.post(`/schedules/${slot.id}/hold`, { seat: ['1F-B-3-3'] });
      expect(response.status).to.equal(503);
      expect(response.html).to.contain('재해 복구 중이라 이 리전에서는 지금 예매를 받지 않습니다.');
      expect(await fx.store.seatRecords(slot.id)).to.deep.equal([]);
      expect((await browser.get(`/schedules/${slot.id}`)).status).to.equal(200);
    } finally {
      fx.dr.state = { active: false };
    }
  });
});
