import { expect } from 'chai';
import type { RunningServer } from '../../app/server.js';
import { MOONLIGHT } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { serveApi, serveWeb } from '../support/servers.js';

describe('web tier (catalog page) over the real web → API HTTP hop', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningServer;
  let web: RunningServer;
  before(async () => {
    fx = await createFixture('web');
    api = await serveApi(fx);
    web = await serveWeb(api.url);
  });
  after(async () => {
    await web.close();
    await api.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, web.url), { headers });

  it('GET / renders the full page with the catalog, the Seoul region badge and Vary: HX-Request', async () => {
    const response = await get('/');
    const html = await response.text();
    expect(response.status).to.equal(200);
    expect(response.headers.get('vary')).to.contain('HX-Request');
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.contain('달빛 정원');
    expect(html).to.contain('class="region-badge" title="서비스 리전">서울<');
  });

  it('the same URL with HX-Request: true returns only the fragment (no layout)', async () => {
    const html = await (await get('/?genre=play', { 'HX-Request': 'true' })).text();
    expect(html).not.to.contain('<!doctype html>');
    expect(html).to.match(/^<section class="catalog">/);
    expect(html).not.to.contain('달빛 정원');
  });

  it('a scripted search term is escaped, never reflected as markup', async () => {
    const html = await (await get(`/?q=${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(html).not.to.contain('<script>alert(1)</script>');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('every page carries a strict CSP without unsafe-inline', async () => {
    const csp = (await get('/')).headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("frame-ancestors 'none'");
    expect(csp).not.to.contain('unsafe-inline');
  });

  it('English is switchable with ?lang=en and remembered by cookie', async () => {
    const first = await get('/?lang=en');
    expect(await first.text()).to.contain('Moonlight Garden');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const html = await (await get('/', { cookie })).text();
    expect(html).to.contain('<html lang="en">');
    expect(html).to.contain('>Seoul<');
  });

  it('an unknown URL renders the friendly 404 page', async () => {
    const response = await get('/no-such-page');
    expect(response.status).to.equal(404);
    expect(await response.text()).to.contain('페이지를 찾을 수 없습니다.');
  });

  it('posters are generated SVG served as image/svg+xml', async () => {
    const response = await get(`/posters/${MOONLIGHT}.svg`);
    expect(response.headers.get('content-type')).to.contain('image/svg+xml');
    expect(await response.text()).to.match(/^<svg/);
  });

  it('the web health check answers without calling the API', async () => {
    const response = await get('/health');
    expect(await response.json()).to.deep.equal({ status: 'ok', role: 'web', region: 'ap-northeast-2' });
  });
});

describe('web tier DR banner', function () {
  this.timeout(60_000);
  it('shows the DR banner while the API reports DR active, and none otherwise', async () => {
    const fx = await createFixture('web-dr');
    const api = await serveApi(fx);
    const make = () => serveWeb(api.url, 'ap-northeast-1');
    const calm = await make();
    const calmHtml = await (await fetch(calm.url)).text();
    fx.dr.state = { active: true, since: fx.clock.now() };
    const failedOver = await make();
    const drHtml = await (await fetch(failedOver.url)).text();
    await Promise.all([calm.close(), failedOver.close(), api.close()]);
    expect(calmHtml).not.to.contain('dr-banner');
    expect(drHtml).to.contain('class="dr-banner"');
    expect(drHtml).to.contain('>도쿄<');
  });
});

describe('web tier in front of an API that does not answer', function () {
  this.timeout(30_000);
  let web: RunningServer;
  before(async () => {
    web = await serveWeb('http://127.0.0.1:9'); // nothing listens on the discard port
  });
  after(async () => {
    await web.close();
  });

  it('a page that needs the API answers 503 with "try again shortly", not the 500 error page', async () => {
    const response = await fetch(new URL('/', web.url));
    const html = await response.text();
    expect(response.status).to.equal(503);
    expect(html).to.contain('예매 서비스가 잠시 응답하지 않습니다.');
  });
});
