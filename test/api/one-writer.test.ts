import { expect } from 'chai';
import type { Express } from 'express';
import { createApiApp } from '../../app/api/app.js';
import { startDrRecoveryLoop } from '../../app/booking/dr-recovery-loop.js';
import type { BookingService } from '../../app/booking/service.js';
import { listen, type RunningServer } from '../../app/server.js';
import { addSlot, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, otherRegion, type Fixture } from '../support/fixture.js';
import { request } from '../support/servers.js';

/** Every route of an Express app as "METHOD /path", walking mounted routers. */
function routesOf(app: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

const SEOUL = 'ap-northeast-2';
const TOKYO = 'ap-northeast-1';

describe('one writer at a time: the API takes writes only in the region the DR state names', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let seoul: RunningServer;
  let tokyo: RunningServer;
  let tokyoApi: ReturnType<typeof otherRegion>;
  let user: { userId: string; token: string; email: string };
  let slotId: string;
  before(async () => {
    fx = await createFixture('one-writer');
    tokyoApi = otherRegion(fx, TOKYO);
    seoul = await listen(createApiApp(fx.apiDeps), '127.0.0.1', 0);
    tokyo = await listen(createApiApp(tokyoApi.apiDeps), '127.0.0.1', 0);
    user = await signUp(fx, 'writer');
    slotId = (await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY)).id;
  });
  after(async () => {
    await seoul.close();
    await tokyo.close();
  });
  beforeEach(() => {
    fx.dr.state = { active: false };
  });
  const drActive = () => (fx.dr.state = { active: true, since: fx.clock.now() - MINUTE });
  const hold = (base: string, seatIds: string[]) =>
    request(base, 'POST', '/v1/holds', { token: user.token, body: { scheduleId: slotId, seatIds } });
  const takenSeats = async () =>
    (await fx.store.seatRecords(slotId)).filter((r) => r.expiresAt > fx.clock.now() || r.status !== 'HOLDING');

  it('Seoul during DR: every state-changing route (found by walking the app) answers 503 REGION_READ_ONLY and writes nothing', async () => {
    drActive();
    const writes = routesOf(createApiApp(fx.apiDeps)).filter((r) => !r.startsWith('GET '));
    expect(writes).to.include.members([
      'POST /v1/holds',
      'DELETE /v1/holds/:id',
      'POST /v1/holds/:id/confirm',
      'POST /v1/reservations/:id/cancel',
      'POST /v1/auth/signup',
      'POST /v1/auth/login',
      'POST /v1/auth/logout',
    ]);
    const newcomer = `dr-newcomer-${Date.now()}@example.com`;
    const bodies: Record<string, unknown> = {
      'POST /v1/holds': { scheduleId: slotId, seatIds: ['1F-B-1-1'] },
      'POST /v1/auth/signup': { email: newcomer, password: 'correct horse battery' },
      'POST /v1/auth/login': { email: user.email, password: 'correct horse battery' },
    };
    for (const route of writes) {
      const [method, path] = route.split(' ') as [string, string];
      const response = await request(seoul.url, method, path.replace(':id', 'MTABCDEFGHIJ'), {
        token: user.token,
        body: bodies[route] ?? {},
      });
      expect(response.status, route).to.equal(503);
      expect(response.body.error.code, route).to.equal('REGION_READ_ONLY');
      expect(response.body.error.details, route).to.deep.equal({ region: SEOUL, writer: 'standby', drActive: true });
      expect(response.headers.get('x-api-region'), route).to.equal(SEOUL);
    }
    expect(await takenSeats()).to.deep.equal([]);
    expect((await request(seoul.url, 'GET', '/v1/me', { token: user.token })).status).to.equal(200);
    fx.dr.state = { active: false };
    const login = await request(seoul.url, 'POST', '/v1/auth/login', {
      body: { email: newcomer, password: 'correct horse battery' },
    });
    expect(login.body.error.code, 'the refused sign-up created no account').to.equal('INVALID_CREDENTIALS');
  });

  it('Seoul during DR still serves reads: catalog, seat map, my reservations; /v1/dr names the standby as writer', async () => {
    drActive();
    for (const path of ['/v1/performances', `/v1/schedules/${slotId}/seats`, '/v1/reservations']) {
      expect((await request(seoul.url, 'GET', path, { token: user.token })).status, path).to.equal(200);
    }
    expect((await request(seoul.url, 'GET', '/v1/dr')).body).to.deep.include({
      region: SEOUL,
      active: true,
      writer: 'standby',
      writerRegion: TOKYO,
      acceptsWrites: false,
    });
    expect((await request(tokyo.url, 'GET', '/v1/dr')).body).to.deep.include({
      region: TOKYO,
      writer: 'standby',
      acceptsWrites: true,
    });
  });

  it('Tokyo during DR takes the hold Seoul refused (201, region ap-northeast-1)', async () => {
    drActive();
    expect((await hold(seoul.url, ['1F-B-2-1'])).status).to.equal(503);
    const accepted = await hold(tokyo.url, ['1F-B-2-1']);
    expect(accepted.status).to.equal(201);
    expect(accepted.body.hold).to.deep.include({ region: TOKYO, status: 'HOLDING' });
    await request(tokyo.url, 'DELETE', `/v1/holds/${accepted.body.hold.holdId}`, { token: user.token });
  });

  it('DR inactive: Seoul takes writes and Tokyo (the pilot light) refuses them, naming the primary as writer', async () => {
    const refused = await hold(tokyo.url, ['1F-B-3-1']);
    expect([refused.status, refused.body.error.code, refused.body.error.details.writer]).to.deep.equal([
      503,
      'REGION_READ_ONLY',
      'primary',
    ]);
    const accepted = await hold(seoul.url, ['1F-B-3-1']);
    expect([accepted.status, accepted.body.hold.region]).to.deep.equal([201, SEOUL]);
    await request(seoul.url, 'DELETE', `/v1/holds/${accepted.body.hold.holdId}`, { token: user.token });
  });

  it('failback in progress: neither region writes (writer none, with a retry hint), so the hand-over cannot overlap', async () => {
    fx.dr.state = { active: true, since: fx.clock.now() - 30 * MINUTE, failbackStartedAt: fx.clock.now() };
    for (const base of [seoul.url, tokyo.url]) {
      const response = await hold(base, ['1F-B-4-1']);
      expect(response.status).to.equal(503);
      expect(response.body.error.details).to.deep.include({ writer: 'none', retryAfter: 10 });
    }
    expect(await takenSeats()).to.deep.equal([]);
  });

  it('the DR recovery loop converts holds only where writes are allowed: never in Seoul during DR', async () => {
    drActive();
    const passes: string[] = [];
    const counting = (region: string) =>
      ({ recoverHoldsForDr: async () => (passes.push(region), 0) }) as unknown as BookingService;
    const stops = [
      startDrRecoveryLoop(counting(SEOUL), fx.writer, 60_000, () => {}),
      startDrRecoveryLoop(counting(TOKYO), tokyoApi.writer, 60_000, () => {}),
    ];
    await new Promise((r) => setTimeout(r, 50));
    for (const stop of stops) stop();
    expect(passes).to.deep.equal([TOKYO]);
  });
});
