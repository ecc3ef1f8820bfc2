import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { listen, type RunningServer } from '../../app/server.js';
import { composeWeb, type ComposedWeb } from '../../app/web/compose.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { serveApi } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

/** The token a page carries for its visitor (the hidden field at the end of every page). */
const pageToken = (html: string) => /id="csrf-token" value="([^"]*)"/.exec(html)?.[1];

/** The body bytes as sent (fetch would decode them), with the response's encoding. */
function rawGet(base: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; encoding?: string; body: Buffer; cookie?: string }>((resolve, reject) => {
    const url = new URL(path, base);
    httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: res.headers['content-encoding'],
            body: Buffer.concat(chunks),
            cookie: res.headers['set-cookie']
              ?.find((c) => c.startsWith('mt.csrf='))
              ?.split(';')[0]
              ?.slice(8),
          }),
        );
      },
    )
      .on('error', reject)
      .end();
  });
}

describe('pages shared by anonymous visitors: per-visitor tokens, never another user’s data, no added staleness', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let api: RunningServer;
  let web: RunningServer;
  let composed: ComposedWeb;
  const SEAT_STATE_TTL_MS = 200;

  before(async () => {
    fx = await createFixture('web-shared');
    api = await serveApi(fx);
    // Real cache periods (the other web suites turn them off), so pages are actually shared here.
    composed = composeWeb({
      apiUrl: api.url,
      region: 'ap-northeast-2',
      production: true,
      cookieSecure: false,
      log: () => {},
      catalogTtlMs: 5_000,
      seatStateTtlMs: SEAT_STATE_TTL_MS,
    });
    web = await listen(composed.app, '127.0.0.1', 0);
  });
  after(async () => {
    await web.close();
    await api.close();
  });

  const client = () => new WebClient(web.url);
  const slot = (days: number) => addSlot(fx, MOONLIGHT, fx.clock.now() + days * DAY);
  const kept = () => composed.sharedPages!.size;

  it('two anonymous visitors get one shared seat map, each with their own CSRF token, which works only for them', async () => {
    const s = await slot(30);
    const [alice, bob] = [client(), client()];
    const first = await alice.get(`/schedules/${s.id}`);
    const before = kept();
    const second = await bob.get(`/schedules/${s.id}`);
    expect(kept()).to.equal(before); // bob was answered from the page kept for alice's visit
    expect(first.html.match(/name="seat"/g)).to.have.length(1210);
    expect(second.html.replaceAll(bob.csrf, '')).to.equal(first.html.replaceAll(alice.csrf, ''));
    for (const visitor of [alice, bob]) {
      expect(visitor.csrf).to.equal(visitor.cookies.get('mt.csrf')); // the form's token is the visitor's own cookie
      expect(pageToken(visitor.lastHtml)).to.equal(visitor.csrf);
    }
    expect(alice.csrf).not.to.equal(bob.csrf);
    expect(second.html).not.to.contain(alice.csrf);
    // The filled-in token passes CSRF (an anonymous hold is sent to log in), another visitor's does not.
    const own = await bob.post(`/schedules/${s.id}/hold`, { seat: '1F-B-9-9' });
    expect(own.status).to.equal(303);
    expect(own.headers.get('location')).to.match(/^\/login\?next=/);
    const stolen = await bob.post(`/schedules/${s.id}/hold`, { seat: '1F-B-9-9' }, { csrf: alice.csrf });
    expect(stolen.status).to.equal(403);
  });

  it('a logged-in visitor never gets the shared page nor leaves theirs: their name and held seats stay theirs', async () => {
    const s = await slot(31);
    await client().get(`/schedules/${s.id}`); // an anonymous page for this slot is kept
    const user = client();
    await user.signUp(`shared-${process.pid}-${Date.now()}@example.com`, 'correct horse battery', 'Kim Secret');
    await user.get(`/schedules/${s.id}`);
    expect((await user.post(`/schedules/${s.id}/hold`, { seat: '1F-B-4-4' })).status).to.equal(303);
    const before = kept();
    const own = await user.get(`/schedules/${s.id}`);
    expect(own.html).to.contain('Kim Secret');
    expect(own.html).to.match(/class="seat g-\w+ is-mine" id="s1F-B-4-4"/);
    expect(kept()).to.equal(before);
    await new Promise((r) => setTimeout(r, SEAT_STATE_TTL_MS + 50));
    const anonymous = (await client().get(`/schedules/${s.id}`)).html;
    expect(anonymous).not.to.contain('Kim Secret');
    expect(anonymous).not.to.match(/class="seat [^"]*is-mine/);
    expect(anonymous).to.match(/class="seat g-\w+ is-held" id="s1F-B-4-4"/);
    expect(anonymous).not.to.contain(user.csrf);
  });

  it('a seat taken after a page was shared shows as taken once the seat-state cache period has passed', async () => {
    const s = await slot(32);
    const seat = /class="seat g-\w+ is-available" id="s1F-B-6-6"/;
    expect((await client().get(`/schedules/${s.id}`)).html).to.match(seat);
    expect((await client().get(`/schedules/${s.id}`)).html).to.match(seat); // shared
    const someone = await signUp(fx, 'taker');
    await fx.booking.hold(someone.userId, s.id, ['1F-B-6-6']);
    await new Promise((r) => setTimeout(r, SEAT_STATE_TTL_MS + 50));
    const fresh = (await client().get(`/schedules/${s.id}`)).html;
    expect(fresh).to.match(/class="seat g-\w+ is-held" id="s1F-B-6-6"/);
  });

  it('the htmx fragment, the full page and each language of one URL are kept apart, with Vary covering them', async () => {
    const full = await client().get('/');
    expect(full.html).to.contain('<html');
    expect(full.headers.get('vary')).to.contain('HX-Request').and.contain('Accept-Encoding');
    const fragment = await client().get('/', { 'HX-Request': 'true', 'HX-Target': 'div#results' });
    expect(fragment.html).not.to.contain('<html');
    expect(fragment.html).to.contain('card');
    expect((await client().get('/')).html).to.contain('<html');
    const english = await client().get('/', { cookie: 'lang=en' });
    expect(english.html).to.contain('<html lang="en"');
    expect((await client().get('/')).html).to.contain('<html lang="ko"');
  });

  it('a refused page (bad filter, 400) is never kept', async () => {
    const before = kept();
    const refused = await client().get('/?genre=opera');
    expect(refused.status).to.equal(400);
    expect(kept()).to.equal(before);
  });

  it('gzip and (from the second visit on) brotli bodies decode to the page with the requester’s own token', async () => {
    const s = await slot(33);
    const gzip = await rawGet(web.url, `/schedules/${s.id}`, { 'accept-encoding': 'gzip' });
    expect(gzip.encoding).to.equal('gzip');
    expect(pageToken(gunzipSync(gzip.body).toString())).to.equal(gzip.cookie);
    await rawGet(web.url, `/schedules/${s.id}`, { 'accept-encoding': 'br' }); // asks for the brotli copy
    await new Promise((r) => setTimeout(r, 500));
    const br = await rawGet(web.url, `/schedules/${s.id}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.encoding).to.equal('br');
    const html = brotliDecompressSync(br.body).toString();
    expect(html.match(/name="seat"/g)).to.have.length(1210);
    expect(pageToken(html)).to.equal(br.cookie).and.not.equal(gzip.cookie);
    expect(br.body.length).to.be.lessThan(gzip.body.length);
  });

  it('the DR banner is part of what a shared page is kept under: it appears once the web tier sees DR active', async function () {
    this.timeout(30_000);
    const calm = (await client().get('/')).html;
    expect(calm).not.to.contain('dr-banner');
    fx.dr.state = { active: true, since: fx.clock.now() };
    try {
      await new Promise((r) => setTimeout(r, 5_200)); // the web tier reads the DR state at most every 5 s
      const during = (await client().get('/')).html;
      expect(during).to.contain('class="dr-banner"');
    } finally {
      fx.dr.state = { active: false };
    }
  });
});
