import { expect } from 'chai';
import { createApiApp } from '../../app/api/app.js';
import { composeApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { listen, type RunningServer } from '../../app/server.js';
import { composeWeb } from '../../app/web/compose.js';
import { ManualClock } from '../../app/shared/clock.js';
import { createLog } from '../../app/shared/log.js';
import { signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { request } from '../support/servers.js';

type Line = Record<string, any>;

/** A pino log (the production one) whose lines the test reads back. */
function capturingLog() {
  const lines: Line[] = [];
  return { log: createLog('info', (line) => lines.push(JSON.parse(line))), lines };
}

const requestLines = (lines: Line[]) => lines.filter((l) => l.msg === 'request');

describe('request logs and request ids (one pino line per request), API and web tiers', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningServer;
  let apiLines: Line[];

  before(async () => {
    fx = await createFixture('request-log');
    const captured = capturingLog();
    apiLines = captured.lines;
    api = await listen(createApiApp({ ...fx.apiDeps, log: captured.log }), '127.0.0.1', 0);
  });
  after(() => api.close());
  beforeEach(() => apiLines.splice(0));

  it('each API request is logged once as a JSON line: reqId, method, route pattern, status, durationMs', async () => {
    const user = await signUp(fx, 'log');
    const response = await request(api.url, 'GET', '/v1/reservations/MTNOSUCHRES', { token: user.token });
    expect(response.status).to.equal(404);
    const lines = requestLines(apiLines);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      level: 'info',
      method: 'GET',
      route: '/v1/reservations/:id',
      status: 404,
      reqId: response.headers.get('x-request-id'),
    });
    expect(lines[0]!.durationMs).to.be.a('number');
    expect(JSON.stringify(lines[0])).not.to.contain(user.token);
  });

  it('a forwarded X-Request-Id is kept, echoed, and carried by the error response; a malformed one is replaced', async () => {
    const kept = await request(api.url, 'GET', '/v1/holds/abc', { headers: { 'x-request-id': 'web-7f3a.42' } });
    expect(kept.status).to.equal(401);
    expect(kept.headers.get('x-request-id')).to.equal('web-7f3a.42');
    expect(kept.body.error.requestId).to.equal('web-7f3a.42');
    const forged = await request(api.url, 'GET', '/v1/holds/abc', {
      headers: { 'x-request-id': '"}, {"level":"fatal' },
    });
    const replaced = forged.headers.get('x-request-id')!;
    expect(replaced).to.match(/^[0-9a-f-]{36}$/);
    expect(forged.body.error.requestId).to.equal(replaced);
    expect(requestLines(apiLines).map((l) => l.reqId)).to.deep.equal(['web-7f3a.42', replaced]);
  });

  it('an unhandled error: 500 with the request id, and the error log line and request line share it', async () => {
    const broken = composeApi({
      config: loadConfig({ DYNAMODB_MODE: 'external', TABLE_PREFIX: 'unreachable', DR_STATE_CACHE_SECONDS: '0' }),
      clock: new ManualClock(Date.now()),
      dynamoEndpoint: 'http://127.0.0.1:9',
      log: () => {},
    });
    const captured = capturingLog();
    const server = await listen(createApiApp({ ...broken.apiDeps, log: captured.log }), '127.0.0.1', 0);
    try {
      const response = await request(server.url, 'GET', '/v1/venues/venue-x', { headers: { 'x-request-id': 'r-500' } });
      expect(response.status).to.equal(500);
      expect(response.body.error).to.deep.equal({
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Please try again.',
        requestId: 'r-500',
      });
      const errorLine = captured.lines.find((l) => l.msg === 'unhandled API error');
      expect(errorLine).to.include({ level: 'error', reqId: 'r-500', method: 'GET', path: '/v1/venues/venue-x' });
      expect(errorLine!.err.stack).to.be.a('string');
      expect(requestLines(captured.lines)).to.have.length(1);
      expect(requestLines(captured.lines)[0]).to.include({ level: 'error', status: 500, reqId: 'r-500' });
    } finally {
      await server.close();
    }
  });

  it('the web tier logs its request and forwards its id to the API: both lines carry the same reqId', async () => {
    const web = capturingLog();
    const server = await listen(
      composeWeb({ apiUrl: api.url, region: 'ap-northeast-2', production: false, cookieSecure: false, log: web.log })
        .app,
      '127.0.0.1',
      0,
    );
    try {
      const page = await fetch(new URL('/?genre=play', server.url), { headers: { 'x-request-id': 'page-1234' } });
      expect(page.status).to.equal(200);
      expect(page.headers.get('x-request-id')).to.equal('page-1234');
      await page.text(); // the line is written when the response has finished, after the compressed body
      const pageLines = requestLines(web.lines);
      expect(pageLines).to.have.length(1);
      expect(pageLines[0]).to.include({ reqId: 'page-1234', method: 'GET', route: '/', status: 200 });
      const apiCalls = requestLines(apiLines).filter((l) => l.route === '/v1/performances');
      expect(apiCalls.map((l) => l.reqId)).to.deep.equal(['page-1234']);
    } finally {
      await server.close();
    }
  });
});
