import { expect } from 'chai';
import { createApiApp } from '../../app/api/app.js';
import { loadConfig } from '../../app/config.js';
import { startApp, type RunningApp } from '../../app/runtime.js';
import { listen, type RunningServer } from '../../app/server.js';
import { addSlot, DAY, MINUTE, MOONLIGHT } from '../support/builders.js';
import { FAKE_CREDENTIALS, startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager.js';
import { createFixture, otherRegion, type Fixture } from '../support/fixture.js';
import { serveApi } from '../support/servers.js';
import { WebClient } from '../support/web-client.js';

const SEOUL = 'ap-northeast-2';
const TOKYO = 'ap-northeast-1';
const KEY = 'a1b2c3d4'.repeat(8);
const secretArn = (region: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:megaticket-csrf-AbCdEf`;

/**
 * Web instances started exactly as in AWS (MEGATICKET_ROLE=web, WEB_CSRF_SECRET_ID = this region's copy of the secret,
 * read through the real SDK from a local Secrets Manager endpoint per region), in front of one API per region over the
 * same tables: a form rendered by one instance must be accepted by any other of the deployment, in either region.
 */
describe('CSRF key shared by every web instance (Secrets Manager secret with its Tokyo replica)', function () {
  this.timeout(90_000);
  let fx: Fixture;
  let seoulApi: RunningServer;
  let tokyoApi: RunningServer;
  const fakes: FakeSecretsManager[] = [];
  const apps: RunningApp[] = [];
  let seoulA: string;
  let seoulB: string;
  let tokyo: string;
  let stranger: string;

  async function web(region: string, apiUrl: string, env: Record<string, string>, fake?: FakeSecretsManager) {
    const config = loadConfig({
      MEGATICKET_ROLE: 'web',
      API_URL: apiUrl,
      AWS_REGION: region,
      HOST: '127.0.0.1',
      WEB_PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    });
    const app = await startApp(config, {
      log: () => {},
      ...(fake ? { secretsManager: { endpoint: fake.url, credentials: FAKE_CREDENTIALS } } : {}),
    });
    apps.push(app);
    return app.webUrl!;
  }

  before(async () => {
    fx = await createFixture('csrf-shared');
    seoulApi = await serveApi(fx);
    tokyoApi = await listen(createApiApp(otherRegion(fx, TOKYO).apiDeps), '127.0.0.1', 0);
    // The primary secret in Seoul and its replica in Tokyo: same value, each region's own ARN.
    for (const region of [SEOUL, TOKYO]) {
      const arn = secretArn(region);
      const versions = [{ versionId: 'v1', value: KEY, stages: ['AWSCURRENT'] }];
      fakes.push(await startFakeSecretsManager({ region, secrets: [{ arn, name: 'megaticket-csrf', versions }] }));
    }
    seoulA = await web(SEOUL, seoulApi.url, { WEB_CSRF_SECRET_ID: secretArn(SEOUL) }, fakes[0]);
    seoulB = await web(SEOUL, seoulApi.url, { WEB_CSRF_SECRET_ID: secretArn(SEOUL) }, fakes[0]);
    tokyo = await web(TOKYO, tokyoApi.url, { WEB_CSRF_SECRET_ID: secretArn(TOKYO) }, fakes[1]);
    stranger = await web(SEOUL, seoulApi.url, { WEB_CSRF_SECRET: 'z'.repeat(64) });
  });
  after(async () => {
    for (const app of apps) await app.stop();
    await seoulApi.close();
    await tokyoApi.close();
    for (const fake of fakes) await fake.close();
  });
  afterEach(() => {
    fx.dr.state = { active: false };
  });

  /** A signed-up browser that has the seat map of a fresh slot open on Seoul instance A. */
  async function onSeatMap(name: string) {
    const browser = new WebClient(seoulA);
    await browser.signUp(`${name}-${process.pid}@example.com`);
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
    expect((await browser.get(`/schedules/${slot.id}`)).status).to.equal(200);
    return { browser, slot };
  }

  it('each instance read this region’s copy of the secret, signed for its own region', () => {
    expect(fakes[0]!.requests.map((r) => [r.region, r.body['SecretId']])).to.deep.include([SEOUL, secretArn(SEOUL)]);
    expect(fakes[1]!.requests.map((r) => [r.region, r.body['SecretId']])).to.deep.include([TOKYO, secretArn(TOKYO)]);
    expect(fakes[1]!.requests.every((r) => r.region === TOKYO)).to.equal(true);
  });

  it('load-balanced: a seat-map form rendered by Seoul A and posted to Seoul B holds the seats (303)', async () => {
    const { browser, slot } = await onSeatMap('lb');
    const held = await browser.via(seoulB).post(`/schedules/${slot.id}/hold`, { seat: ['1F-B-4-4'] });
    expect(held.status).to.equal(303);
    expect((await fx.store.seatRecords(slot.id)).map((r) => [r.seatId, r.status])).to.deep.equal([
      ['1F-B-4-4', 'HOLDING'],
    ]);
  });

  it('failed over: the form rendered in Seoul and posted to Tokyo (the writer during DR) holds the seats', async () => {
    const { browser, slot } = await onSeatMap('failover');
    fx.dr.state = { active: true, since: fx.clock.now() - MINUTE };
    const held = await browser.via(tokyo).post(`/schedules/${slot.id}/hold`, { seat: ['1F-B-5-5'] });
    expect(held.status).to.equal(303);
    expect((await fx.store.seatRecords(slot.id)).map((r) => r.seatId)).to.deep.equal(['1F-B-5-5']);
  });

  it('an instance with another key refuses the same form with 403 and writes nothing; the token itself was valid', async () => {
    const { browser, slot } = await onSeatMap('stranger');
    const refused = await browser.via(stranger).post(`/schedules/${slot.id}/hold`, { seat: ['1F-B-6-6'] });
    expect(refused.status).to.equal(403);
    expect(await fx.store.seatRecords(slot.id)).to.deep.equal([]);
    const logout = await browser.via(stranger).post('/logout');
    expect(logout.status).to.equal(403);
    // The session survived the refused logout, and the token is good on an instance of the deployment.
    const held = await browser.via(seoulB).post(`/schedules/${slot.id}/hold`, { seat: ['1F-B-6-6'] });
    expect(held.status).to.equal(303);
  });

  it('a web instance whose role may not read the secret does not start (AccessDeniedException named)', async () => {
    fakes[0]!.denied.add(secretArn(SEOUL));
    try {
      const error = await web(SEOUL, seoulApi.url, { WEB_CSRF_SECRET_ID: secretArn(SEOUL) }, fakes[0]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String(error)).to.match(/could not read .* \(AWSCURRENT\): AccessDeniedException/);
    } finally {
      fakes[0]!.denied.clear();
    }
  });
});
