import { expect } from 'chai';
import express from 'express';
import { listen, type RunningServer } from '../../app/server.js';
import { DEEP_HEALTH_PATH } from '../../app/shared/load-balancing.js';
import { serveWeb } from '../support/servers.js';

/** A stand-in API tier whose /health answer (or silence) the test controls, counting the probes it receives. */
async function fakeApi(answer: 'ok' | 'tokyo' | 'hang' | 'error') {
  let probes = 0;
  const app = express();
  app.get('/health', (_req, res) => {
    probes++;
    if (answer === 'hang') return; // never answers: the web tier's 1 s timeout must end the probe
    if (answer === 'error') return void res.status(500).json({ error: { code: 'INTERNAL', message: 'x' } });
    res.json({ status: 'ok', role: 'api', region: answer === 'tokyo' ? 'ap-northeast-1' : 'ap-northeast-2' });
  });
  const server = await listen(app, '127.0.0.1', 0);
  return { server, probes: () => probes };
}

describe('web tier health paths (Route53 checks the deep one)', function () {
  this.timeout(30_000);
  const servers: RunningServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });
  const start = async (answer: 'ok' | 'tokyo' | 'hang' | 'error') => {
    const api = await fakeApi(answer);
    const web = await serveWeb(api.server.url);
    servers.push(web, api.server);
    const get = async (path: string) => {
      const response = await fetch(new URL(path, web.url));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    return { get, probes: api.probes };
  };

  it('/health/deep: 200 when the region-local API answers its liveness path from the same region', async () => {
    const { get } = await start('ok');
    expect(await get(DEEP_HEALTH_PATH)).to.deep.equal({
      status: 200,
      body: { role: 'web', region: 'ap-northeast-2', status: 'ok', api: { status: 'ok', region: 'ap-northeast-2' } },
    });
  });

  it('/health/deep: 503 api-unreachable when the API tier is down, errors, or hangs past the probe timeout; /health stays 200', async () => {
    for (const answer of ['error', 'hang'] as const) {
      const { get } = await start(answer);
      expect(await get(DEEP_HEALTH_PATH), answer).to.deep.equal({
        status: 503,
        body: { role: 'web', region: 'ap-northeast-2', status: 'unavailable', reason: 'api-unreachable' },
      });
      expect((await get('/health')).status, answer).to.equal(200);
    }
    const web = await serveWeb('http://127.0.0.1:9');
    servers.push(web);
    const response = await fetch(new URL(DEEP_HEALTH_PATH, web.url));
    expect([response.status, ((await response.json()) as { reason: string }).reason]).to.deep.equal([
      503,
      'api-unreachable',
    ]);
  });

  it('/health/deep: 503 api-mismatch when the API answering is another region’s (a web tier wired to the wrong NLB)', async () => {
    const { get } = await start('tokyo');
    const { status, body } = await get(DEEP_HEALTH_PATH);
    expect([status, body['reason']]).to.deep.equal([503, 'api-mismatch']);
  });

  it('the deep probe reaches the API at most once per second however often it is asked; /health never reaches it', async () => {
    const { get, probes } = await start('ok');
    for (let i = 0; i < 5; i++) await get('/health');
    expect(probes()).to.equal(0);
    await Promise.all(Array.from({ length: 20 }, () => get(DEEP_HEALTH_PATH)));
    expect(probes()).to.equal(1);
  });
});
