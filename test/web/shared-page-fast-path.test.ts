import { expect } from 'chai';
import { listen, type RunningServer } from '../../app/server.js';
import { createLog } from '../../app/shared/log.js';
import { composeWeb, type ComposedWeb } from '../../app/web/compose.js';
import { addSlot, DAY, MOONLIGHT } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { serveApi } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

type Line = Record<string, unknown>;

/** A web tier whose route renders and page sends are counted, so a test can tell the fast path from the route. */
async function countedWeb(apiUrl: string, recheckMs: number) {
  const lines: Line[] = [];
  const composed: ComposedWeb = composeWeb({
    apiUrl,
    region: 'ap-northeast-2',
    production: true,
    cookieSecure: false,
    log: createLog('info', (line) => lines.push(JSON.parse(line) as Line)),
    catalogTtlMs: 5_000,
    seatStateTtlMs: 60_000,
    sharedPagesRecheckMs: recheckMs,
  });
  const counts = { routed: 0 };
  const render = composed.deps.render;
  const page = render.page.bind(render);
  const sentShared = render.sentShared.bind(render);
  render.page = (...args: Parameters<typeof page>) => (counts.routed++, page(...args));
  render.sentShared = (...args: Parameters<typeof sentShared>) => (counts.routed++, sentShared(...args));
  const server = await listen(composed.app, '127.0.0.1', 0);
  return { server, counts, lines };
}

/** The headers a visitor gets, without those that differ per response (date, request id, the token's cookie value). */
function comparable(response: Response, token: string): Record<string, string> {
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => !['date', 'x-request-id', 'keep-alive', 'connection'].includes(name)),
  );
  return { ...headers, 'set-cookie': (headers['set-cookie'] ?? '').replace(token, '<token>') };
}

/** The visitor's new token, from its cookie (a fragment may carry no form). */
const tokenOf = (response: Response) => /mt\.csrf=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';

describe('shared-page fast path: an anonymous GET of a page its route confirmed a moment ago skips the router', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let api: RunningServer;
  let fast: Awaited<ReturnType<typeof countedWeb>>;
  let routed: Awaited<ReturnType<typeof countedWeb>>;

  before(async () => {
    fx = await createFixture('web-fast-path');
    api = await serveApi(fx);
    fast = await countedWeb(api.url, 60_000); // every repeat within the test is answered by the fast path
    routed = await countedWeb(api.url, 0); // the fast path is off: every request goes through the route
  });
  after(async () => {
    await fast.server.close();
    await routed.server.close();
    await api.close();
  });

  const visit = async (web: typeof fast, path: string, headers: Record<string, string> = {}) => {
    const client = new WebClient(web.server.url);
    const response = await client.get(path, { 'accept-encoding': 'gzip, br', ...headers });
    return { response, html: response.html, token: tokenOf(response) };
  };

  for (const [name, path, headers] of [
    ['the catalog', '/', {}],
    ['the catalog in English, filtered', '/?genre=musical&lang=en', {}],
    ['the detail page', `/performances/${MOONLIGHT}`, {}],
    [
      'the detail page’s calendar fragment (htmx)',
      `/performances/${MOONLIGHT}`,
      { 'HX-Request': 'true', 'HX-Target': 'div#schedule-picker' },
    ],
  ] as const) {
    it(`${name}: the fast path's headers (helmet's CSP and all) and body equal the route's, with the visitor's own token`, async () => {
      await visit(fast, path, headers);
      await visit(routed, path, headers);
      const before = { fast: fast.counts.routed, routed: routed.counts.routed };
      const viaFastPath = await visit(fast, path, headers);
      const viaRoute = await visit(routed, path, headers);
      expect(fast.counts.routed, 'the fast path answered').to.equal(before.fast);
      expect(routed.counts.routed, 'the route answered').to.be.greaterThan(before.routed);
      expect(viaFastPath.response.status).to.equal(200);
      expect(viaFastPath.response.headers.get('content-security-policy')).to.contain("script-src 'self'");
      expect(comparable(viaFastPath.response, viaFastPath.token)).to.deep.equal(
        comparable(viaRoute.response, viaRoute.token),
      );
      expect(viaFastPath.token).to.match(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
      expect(viaFastPath.html.replaceAll(viaFastPath.token, '')).to.equal(viaRoute.html.replaceAll(viaRoute.token, ''));
    });
  }

  it('the fast path’s token is the visitor’s own and passes CSRF; another visitor’s does not', async () => {
    const s = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
    await visit(fast, `/schedules/${s.id}`);
    const before = fast.counts.routed;
    const alice = new WebClient(fast.server.url);
    const bob = new WebClient(fast.server.url);
    await alice.get(`/schedules/${s.id}`);
    await bob.get(`/schedules/${s.id}`);
    expect(fast.counts.routed).to.equal(before);
    expect(alice.csrf).to.equal(alice.cookies.get('mt.csrf')).and.not.equal(bob.csrf);
    // An anonymous hold with a valid token is sent to log in (303); with another visitor's token it is refused (403).
    expect((await alice.post(`/schedules/${s.id}/hold`, { seat: '1F-B-9-9' })).status).to.equal(303);
    expect((await bob.post(`/schedules/${s.id}/hold`, { seat: '1F-B-9-9' }, { csrf: alice.csrf })).status).to.equal(
      403,
    );
  });

  it('a logged-in visitor (or one with any session cookie) never gets the page the fast path keeps', async () => {
    const s = await addSlot(fx, MOONLIGHT, fx.clock.now() + 31 * DAY);
    await visit(fast, `/schedules/${s.id}`); // kept for anonymous visitors
    const user = new WebClient(fast.server.url);
    await user.signUp(`fast-${process.pid}-${Date.now()}@example.com`, 'correct horse battery', 'Kim FastPath');
    const before = fast.counts.routed;
    const own = await user.get(`/schedules/${s.id}`);
    expect(fast.counts.routed).to.be.greaterThan(before);
    expect(own.html).to.contain('Kim FastPath');
    const routedBefore = fast.counts.routed;
    const stale = await visit(fast, `/schedules/${s.id}`, { cookie: 'mt_session=not-a-session' });
    expect(fast.counts.routed).to.be.greaterThan(routedBefore);
    expect(stale.response.status).to.equal(200);
  });

  it('one request log line per fast-path response, with its request id (forwarded to nobody: no API call) and route', async () => {
    await visit(fast, `/performances/${MOONLIGHT}`);
    fast.lines.splice(0);
    const before = fast.counts.routed;
    const { response } = await visit(fast, `/performances/${MOONLIGHT}`, { 'x-request-id': 'fast-path-1' });
    expect(fast.counts.routed).to.equal(before);
    expect(response.headers.get('x-request-id')).to.equal('fast-path-1');
    await new Promise((r) => setTimeout(r, 50)); // the line is written when the response closes
    const lines = fast.lines.filter((l) => l.msg === 'request');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      reqId: 'fast-path-1',
      method: 'GET',
      route: '/performances/:id',
      status: 200,
      level: 'info',
    });
  });

  it('without the fast path (recheck 0) every request goes through the route', async () => {
    await visit(routed, '/');
    const before = routed.counts.routed;
    await visit(routed, '/');
    await visit(routed, '/');
    expect(routed.counts.routed).to.equal(before + 2);
  });
});
