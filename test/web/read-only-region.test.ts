import { expect } from 'chai';
import { createApiApp } from '../../app/api/app.js';
import { listen, type RunningServer } from '../../app/server.js';
import { addSlot, DAY, MINUTE, MOONLIGHT } from '../support/builders.js';
import { createFixture, otherRegion, type Fixture } from '../support/fixture.js';
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

describe('DR banner: a read-only Seoul names Tokyo, where bookings are handled', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let seoulApi: RunningServer;
  let tokyoApi: RunningServer;
  before(async () => {
    fx = await createFixture('web-dr-banner');
    seoulApi = await serveApi(fx);
    tokyoApi = await listen(createApiApp(otherRegion(fx, 'ap-northeast-1').apiDeps), '127.0.0.1', 0);
  });
  after(async () => {
    await seoulApi.close();
    await tokyoApi.close();
  });
  afterEach(() => {
    fx.dr.state = { active: false };
  });

  /** The banner text of the home page of a fresh web instance (the DR status is cached per instance) in front of an API. */
  async function banner(apiUrl: string, region: string, lang: 'ko' | 'en'): Promise<string | undefined> {
    const web = await serveWeb(apiUrl, region);
    try {
      const html = await (await fetch(`${web.url}/?lang=${lang}`)).text();
      return /<p class="dr-banner" role="status">([^<]*)<\/p>/.exec(html)?.[1];
    } finally {
      await web.close();
    }
  }
  const seoul = (lang: 'ko' | 'en') => banner(seoulApi.url, 'ap-northeast-2', lang);
  const tokyo = (lang: 'ko' | 'en') => banner(tokyoApi.url, 'ap-northeast-1', lang);

  it('Seoul pages while DR is active (REGION_READ_ONLY): bookings are handled in Tokyo, in Korean and English', async () => {
    fx.dr.state = { active: true, since: fx.clock.now() - MINUTE };
    const ko = await seoul('ko');
    expect(ko).to.equal(
      '재해 복구 모드: 지금은 도쿄 리전에서 예매를 처리합니다. 이 서버에서는 조회만 가능하니, 잠시 후 사이트에 다시 접속해 예매·결제·취소를 진행해 주세요.',
    );
    const en = await seoul('en');
    expect(en).to.contain('bookings are handled in the Tokyo region right now');
    expect(`${ko} ${en}`).not.to.match(/서울|Seoul/);
  });

  it('Tokyo pages while DR is active: served from Tokyo, finish a booking under my reservations', async () => {
    fx.dr.state = { active: true, since: fx.clock.now() - MINUTE };
    expect(await tokyo('ko')).to.equal(
      '재해 복구 모드: 지금은 도쿄 리전에서 서비스 중입니다. 진행 중이던 예매는 예매 확인에서 결제를 완료해 주세요.',
    );
    expect(await tokyo('en')).to.contain('now served from the Tokyo region');
  });

  it('during the failback hand-over both regions say bookings pause; with DR inactive there is no banner', async () => {
    fx.dr.state = { active: true, since: fx.clock.now() - MINUTE, failbackStartedAt: fx.clock.now() };
    for (const text of [await seoul('en'), await tokyo('en')]) {
      expect(text).to.equal(
        'Disaster recovery is ending: bookings pause for a few seconds while the service moves back to its primary region.',
      );
    }
    fx.dr.state = { active: false };
    expect([await seoul('ko'), await tokyo('ko')]).to.deep.equal([undefined, undefined]);
  });
});
