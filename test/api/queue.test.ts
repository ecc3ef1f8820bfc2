import { expect } from 'chai';
import type { Express } from 'express';
import { createApiApp, createApiListener } from '../../app/api/app.js';
import { apiRequestListener } from '../../app/api/load-shedding.js';
import { listen, type RunningServer } from '../../app/server.js';
import { createLog } from '../../app/shared/log.js';
import { LINE_FLOOR_SECONDS } from '../../app/queue/rules.js';
import { DEFAULT_CLASS_LIMITS, OverloadGuard } from '../../app/shared/overload-guard.js';
import { MINUTE, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent, countDynamoCalls } from '../support/queue.js';
import { request, serveApi } from '../support/servers.js';

/** The Express app behind `apiRequestListener`, counting the requests that reach it. */
function countingCalls(app: Express) {
  const counter = { calls: 0, app: app };
  counter.app = ((req, res) => {
    counter.calls++;
    app(req, res);
  }) as Express;
  return counter;
}

describe('waiting room JSON API over HTTP', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let server: RunningServer;
  let base: string;
  before(async () => {
    fx = await createFixture('queue-api');
    server = await serveApi(fx);
    base = server.url;
  });
  after(() => server.close());

  it('GET /v1/queues/:id is public: phase, times, the seed commitment, and no seed before the draw', async () => {
    const { performance } = await addQueuedEvent(fx);
    await fx.queue.arm(performance.id);
    const { status, body } = await request(base, 'GET', `/v1/queues/${performance.id}`);
    expect(status).to.equal(200);
    expect(body.queue).to.deep.include({
      eventId: performance.id,
      phase: 'PRE_QUEUE',
      opensAt: performance.onSale!.opensAt,
      admitPerMinute: 60,
    });
    expect(body.queue.seedHash).to.match(/^[0-9a-f]{64}$/);
    expect(body.queue).not.to.have.property('seed');
  });

  it('unknown event 404, malformed id 400, joining without a session 401 — and nothing is written', async () => {
    const { performance } = await addQueuedEvent(fx);
    expect((await request(base, 'GET', '/v1/queues/perf-nope')).status).to.equal(404);
    expect((await request(base, 'GET', '/v1/queues/bad%20id')).status).to.equal(400);
    const anonymous = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`);
    expect(anonymous.status).to.equal(401);
    expect((await fx.queueStore.getCounter(performance.id, 1))?.issued ?? 0).to.equal(0);
  });

  it('PUT entry joins once: a repeat (reload, other tab) returns the same place; polls answer with or without the ticket', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-join');
    const first = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    expect(first.status).to.equal(200);
    expect(first.body.place).to.deep.include({ status: 'WAITING', position: 1, lottery: false });
    expect(first.body.ticket).to.match(/^mtq2\./);
    const again = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    expect(again.body.place.number).to.equal(first.body.place.number);

    const polled = await request(base, 'GET', `/v1/queues/${performance.id}/entry`, {
      token: user.token,
      headers: { 'x-queue-ticket': first.body.ticket },
    });
    expect(polled.status).to.equal(200);
    expect(polled.body.place).to.deep.include({ position: 1 });
    expect(polled.body.place.pollAfterMs).to.be.within(2_000, 30_000);
    const fresh = await request(base, 'GET', `/v1/queues/${performance.id}/entry`, { token: user.token });
    expect(fresh.body.ticket).to.match(/^mtq2\./);
  });

  it('POST admission before the turn: 409 NOT_YOUR_TURN with Retry-After; after release: 201 with a signed token', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute: 600 });
    const user = await signUp(fx, 'api-claim');
    await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    const early = await request(base, 'POST', `/v1/queues/${performance.id}/admission`, { token: user.token });
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal('NOT_YOUR_TURN');
    expect(early.headers.get('retry-after')).to.equal('2');
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
    }
    const claimed = await request(base, 'POST', `/v1/queues/${performance.id}/admission`, { token: user.token });
    expect(claimed.status).to.equal(201);
    expect(claimed.body.admission).to.deep.include({ eventId: performance.id, position: 1, holdsLeft: 2 });
    expect(claimed.body.admission.token).to.match(/^mta2\./);
  });

  it('before the pre-queue opens: 409 QUEUE_NOT_OPEN with Retry-After until the opening', async () => {
    const now = fx.clock.now();
    const { performance } = await addQueuedEvent(fx, { preQueueOpensAt: now + 2 * MINUTE, opensAt: now + 5 * MINUTE });
    await fx.queue.arm(performance.id);
    const user = await signUp(fx, 'api-early');
    const early = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal('QUEUE_NOT_OPEN');
    expect(early.headers.get('retry-after')).to.equal('120');
  });

  it('an instance whose event loop runs late sheds joins (429 + Retry-After, nothing written) yet serves polls and an admitted claim; the retry gets its place', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute: 600 });
    const waiting = await signUp(fx, 'api-shed-first');
    const late = await signUp(fx, 'api-shed-late');
    const joined = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: waiting.token });
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
    }
    // 300 ms of loop delay: past the join limit (100 ms), within the poll (400 ms) and claim (1.5 s) limits; no
    // floor of joins served regardless (in production a few are, so a starved process still progresses).
    const loopDelay = { delayMs: () => 300 };
    const limits = { ...DEFAULT_CLASS_LIMITS, join: { ...DEFAULT_CLASS_LIMITS.join, minInFlight: 0 } };
    const busy = await listen(
      createApiListener({ ...fx.apiDeps, overload: new OverloadGuard(loopDelay, limits, () => 0.5) }),
      '127.0.0.1',
      0,
    );
    const path = `/v1/queues/${performance.id}`;
    try {
      const counter = countDynamoCalls(fx);
      const shed = await request(busy.url, 'PUT', `${path}/entry`, { token: late.token });
      expect(shed.status).to.equal(429);
      expect(shed.body.error).to.deep.include({ code: 'RATE_LIMITED' });
      expect(Number(shed.headers.get('retry-after'))).to.be.within(1, 60);
      // Refused before authentication: not even the session was read.
      expect(counter.calls).to.deep.equal([]);
      expect(await fx.queueStore.getEntry(performance.id, late.userId)).to.equal(undefined);

      const polled = await request(busy.url, 'GET', `${path}/entry`, {
        token: waiting.token,
        headers: { 'x-queue-ticket': joined.body.ticket },
      });
      expect(polled.status).to.equal(200);
      expect(polled.body.place.status).to.equal('YOUR_TURN');
      const claimed = await request(busy.url, 'POST', `${path}/admission`, { token: waiting.token });
      expect(claimed.status).to.equal(201);
    } finally {
      await busy.close();
    }
    const retry = await request(base, 'PUT', `${path}/entry`, { token: late.token });
    expect(retry.status).to.equal(200);
    expect(retry.body.place.status).to.equal('WAITING');
  });

  /**
   * The API served through `apiRequestListener` with a guard on a clock the test moves, after a second of slow claims:
   * the loop is never late, so only the yield rule can refuse, and the one join slot is given up entirely.
   */
  async function afterSlowClaims() {
    const clock = { now: 0 };
    const limits = { ...DEFAULT_CLASS_LIMITS, join: { ...DEFAULT_CLASS_LIMITS.join, maxInFlight: 1, yieldFloor: 0 } };
    const guard = new OverloadGuard(
      { delayMs: () => 0 },
      limits,
      () => 0.5,
      () => clock.now,
    );
    const slowClaim = guard.acquire('claim');
    clock.now = DEFAULT_CLASS_LIMITS.claim.answerTargetMs! + 1_000;
    slowClaim();
    clock.now += 1_000;
    const express = countingCalls(createApiApp({ ...fx.apiDeps, overload: guard }));
    const busy = await listen(apiRequestListener(express.app, { ...fx.apiDeps, overload: guard }), '127.0.0.1', 0);
    return { clock, guard, express, busy };
  }

  it('joins yield to slow claims while the line is long: after a second of claims answered later than owed, a join past the lowered bound gets 429 + Retry-After in front of Express with nothing read or written, while a released waiter is still admitted; once claims are on time the retry gets its place', async () => {
    // 6 a minute: the line floor (LINE_FLOOR_SECONDS of the rate) is a few places, which the joins below exceed.
    const admitPerMinute = 6;
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute });
    const released = await signUp(fx, 'api-yield-released');
    const late = await signUp(fx, 'api-yield-late');
    const path = `/v1/queues/${performance.id}`;
    const joined = await request(base, 'PUT', `${path}/entry`, { token: released.token });
    for (let i = 0; i < 3 * Math.ceil((LINE_FLOOR_SECONDS * admitPerMinute) / 60); i++) {
      await fx.queue.join(`api-yield-behind-${performance.id}-${i}`, performance.id);
    }
    // 15 s at 6 a minute: one admission of budget, and the first place released.
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(5_000);
      await fx.queue.tick(performance.id);
    }
    const state = (await fx.queueStore.getState(performance.id, true))!;
    expect(state.issued - state.serving).to.be.at.least((LINE_FLOOR_SECONDS * admitPerMinute) / 60);
    const { clock, guard, express, busy } = await afterSlowClaims();
    try {
      const counter = countDynamoCalls(fx);
      const refused = await request(busy.url, 'PUT', `${path}/entry`, { token: late.token });
      expect(refused.status).to.equal(429);
      expect(refused.body.error).to.deep.include({ code: 'RATE_LIMITED' });
      expect(refused.body.error.details).to.deep.include({ reason: 'OVERLOADED' });
      expect(Number(refused.headers.get('retry-after')))
        .to.equal(refused.body.error.details.retryAfter)
        .and.be.at.least(1);
      expect(guard.bound('join')).to.equal(0);
      expect(express.calls).to.equal(0);
      expect(counter.calls).to.deep.equal([]);
      expect(await fx.queueStore.getEntry(performance.id, late.userId)).to.equal(undefined);

      const polled = await request(busy.url, 'GET', `${path}/entry`, {
        token: released.token,
        headers: { 'x-queue-ticket': joined.body.ticket },
      });
      expect(polled.body.place.status).to.equal('YOUR_TURN');
      const claimed = await request(busy.url, 'POST', `${path}/admission`, {
        token: released.token,
        headers: { 'x-queue-ticket': joined.body.ticket },
      });
      expect(claimed.status).to.equal(201);

      // A second in which the claim above was answered on time (the guard's clock stood still): a slot comes back.
      clock.now += 1_000;
      const retry = await request(busy.url, 'PUT', `${path}/entry`, { token: late.token });
      expect(retry.status).to.equal(200);
      expect(retry.body.place.status).to.equal('WAITING');
      expect(guard.bound('join')).to.equal(1);
    } finally {
      await busy.close();
    }
  });

  it('joins do not yield while the line is short: with claims late and the yielded join bound at 0, a join to a line shorter than the floor is placed, and it is the next place after the last one issued', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute: 600 });
    const released = await signUp(fx, 'api-short-released');
    const joiner = await signUp(fx, 'api-short-joiner');
    const path = `/v1/queues/${performance.id}`;
    const first = await request(base, 'PUT', `${path}/entry`, { token: released.token });
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
    }
    // Everyone placed has been released: nothing left ahead of the serving position to admit from.
    const state = (await fx.queueStore.getState(performance.id, true))!;
    expect(state.serving).to.equal(state.issued);
    const { guard, busy } = await afterSlowClaims();
    try {
      const placed = await request(busy.url, 'PUT', `${path}/entry`, { token: joiner.token });
      expect(placed.status).to.equal(200);
      expect(placed.body.place.status).to.equal('WAITING');
      const entry = (await fx.queueStore.getEntry(performance.id, joiner.userId))!;
      expect(entry.number).to.be.above(first.body.place.position);
      expect(guard.bound('join'), 'the join was taken with the yielded bound at 0').to.equal(0);
    } finally {
      await busy.close();
    }
  });

  it('a shed join, poll and claim are answered in front of Express: 429, Retry-After, the error shape and the API headers, nothing read or written', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-shed-front');
    // Every class refused whatever its floor: the loop is 10 s late and nothing may be in flight.
    const limits = Object.fromEntries(
      Object.entries(DEFAULT_CLASS_LIMITS).map(([cls, l]) => [cls, { ...l, minInFlight: 0 }]),
    ) as typeof DEFAULT_CLASS_LIMITS;
    const guard = new OverloadGuard({ delayMs: () => 10_000 }, limits, () => 0.5);
    const express = countingCalls(createApiApp({ ...fx.apiDeps, overload: guard }));
    const busy = await listen(apiRequestListener(express.app, { ...fx.apiDeps, overload: guard }), '127.0.0.1', 0);
    const path = `/v1/queues/${performance.id}`;
    try {
      const counter = countDynamoCalls(fx);
      const asked = [
        ['PUT', `${path}/entry`],
        ['GET', `${path}/entry`],
        ['GET', `${path}/`],
        ['POST', `${path.toUpperCase().replace(performance.id.toUpperCase(), performance.id)}/Admission?x=1`],
      ] as const;
      for (const [method, url] of asked) {
        const shed = await request(busy.url, method, url, {
          token: user.token,
          headers: { 'x-request-id': `shed-${method}` },
        });
        expect(shed.status, `${method} ${url}`).to.equal(429);
        expect(shed.body.error).to.deep.include({ code: 'RATE_LIMITED', requestId: `shed-${method}` });
        expect(shed.body.error.message).to.be.a('string').and.not.equal('');
        expect(shed.body.error.details).to.deep.include({ reason: 'OVERLOADED' });
        expect(Number(shed.headers.get('retry-after')))
          .to.equal(shed.body.error.details.retryAfter)
          .and.be.at.least(1);
        expect(shed.headers.get('content-type')).to.equal('application/json; charset=utf-8');
        expect(shed.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(shed.headers.get('cache-control')).to.equal('no-store');
        expect(shed.headers.get('x-api-region')).to.equal(fx.apiDeps.region);
        expect(shed.headers.get('x-request-id')).to.equal(`shed-${method}`);
      }
      expect(express.calls).to.equal(0);
      expect(counter.calls).to.deep.equal([]);
      expect(await fx.queueStore.getEntry(performance.id, user.userId)).to.equal(undefined);
      // Anything else still reaches Express, on the same connection pool.
      const health = await request(busy.url, 'GET', '/v1/queues/bad%20id/seats');
      expect(health.status).to.equal(404);
      expect(express.calls).to.equal(1);
    } finally {
      await busy.close();
    }
  });

  it('a poll with a genuine ticket is answered in front of Express, with the API headers; any other poll goes on to Express', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-poll-front');
    const joined = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    const express = countingCalls(createApiApp(fx.apiDeps));
    const front = await listen(apiRequestListener(express.app, fx.apiDeps), '127.0.0.1', 0);
    try {
      const polled = await request(front.url, 'GET', `/v1/queues/${performance.id}/entry?t=1`, {
        headers: { 'x-queue-ticket': joined.body.ticket, 'x-request-id': 'poll-front' },
      });
      expect(polled.status).to.equal(200);
      expect(polled.body.place).to.deep.include({ number: joined.body.place.number, status: 'WAITING' });
      expect(polled.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(polled.headers.get('cache-control')).to.equal('no-store');
      expect(polled.headers.get('x-request-id')).to.equal('poll-front');
      expect(express.calls).to.equal(0);
      // The same poll through Express alone gives the same place.
      const viaExpress = await request(base, 'GET', `/v1/queues/${performance.id}/entry`, {
        headers: { 'x-queue-ticket': joined.body.ticket },
      });
      expect(viaExpress.body).to.deep.equal(polled.body);
      const tampered = joined.body.ticket.slice(0, -2) + (joined.body.ticket.endsWith('AA') ? 'BB' : 'AA');
      const refused = await request(front.url, 'GET', `/v1/queues/${performance.id}/entry`, {
        headers: { 'x-queue-ticket': tampered },
      });
      expect(refused.status).to.equal(401);
      expect(express.calls).to.equal(1);
    } finally {
      await front.close();
    }
  });

  it("a released waiter's claim refused for budget is answered in front of Express with the answer Express gives, nothing written, logged once; any other claim goes on to Express", async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 60 });
    const joiners = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(fx, `api-budget-${i}`)));
    const tickets = new Map<string, string>();
    for (const user of joiners) {
      const joined = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
      tickets.set(user.userId, joined.body.ticket);
    }
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
    }
    let state = (await fx.queueStore.getState(performance.id, true))!;
    const released = joiners.slice(0, state.serving);
    expect(released.length, 'more released than the budget').to.be.greaterThan(state.allowed + 1);
    for (const user of released.slice(0, state.allowed)) await fx.queue.claim(user.userId, performance.id);
    state = (await fx.queueStore.getState(performance.id, true))!;
    expect(state.claimed).to.equal(state.allowed);
    // Past the instance's state cache (1 s), without a tick: the state it reads next says the budget is spent.
    fx.clock.advance(1_001);

    const lines: Record<string, unknown>[] = [];
    const log = createLog('info', (line) => lines.push(JSON.parse(line)));
    const express = countingCalls(createApiApp({ ...fx.apiDeps, log }));
    const front = await listen(apiRequestListener(express.app, { ...fx.apiDeps, log }), '127.0.0.1', 0);
    const late = released[state.allowed]!;
    const claimPath = `/v1/queues/${performance.id}/admission`;
    const claimAs = (url: string, user: { token?: string }, ticket: string, extra: { body?: unknown } = {}) =>
      request(url, 'POST', claimPath, {
        token: user.token,
        headers: { 'x-queue-ticket': ticket, 'x-request-id': 'claim-front' },
        ...extra,
      });
    try {
      const counter = countDynamoCalls(fx);
      const refused = await claimAs(front.url, late, tickets.get(late.userId)!);
      expect(refused.status).to.equal(429);
      expect(refused.body.error).to.deep.include({ code: 'RATE_LIMITED', requestId: 'claim-front' });
      expect(refused.body.error.details).to.deep.include({ reason: 'ADMISSION_BUDGET' });
      expect(refused.body.error.details.retryAfter).to.be.within(1, 8);
      expect(Number(refused.headers.get('retry-after'))).to.equal(refused.body.error.details.retryAfter);
      expect(refused.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(refused.headers.get('cache-control')).to.equal('no-store');
      expect(refused.headers.get('x-api-region')).to.equal(fx.apiDeps.region);
      expect(express.calls).to.equal(0);
      // The session (if not cached) and the queue state, nothing else: no entry read, no write.
      expect(counter.calls.filter((c) => !c.endsWith(':STATE') && !c.includes('SESSION'))).to.deep.equal([]);
      expect((await fx.queueStore.getEntry(performance.id, late.userId))!.state).to.equal('WAITING');
      expect((await fx.queueStore.getState(performance.id, true))!.claimed).to.equal(state.claimed);
      expect(lines.filter((l) => l.msg === 'request')).to.deep.equal([
        {
          ...lines.find((l) => l.msg === 'request'),
          method: 'POST',
          route: '/v1/queues/:id/admission',
          status: 429,
          reqId: 'claim-front',
        },
      ]);

      // Through Express alone, the same refusal.
      const viaExpress = await claimAs(base, late, tickets.get(late.userId)!);
      expect(viaExpress.status).to.equal(429);
      expect(viaExpress.body.error.code).to.equal(refused.body.error.code);
      expect(viaExpress.body.error.details.reason).to.equal('ADMISSION_BUDGET');

      // Not this account's ticket, no session, a body: Express answers, after every check of its own.
      const stranger = await signUp(fx, 'api-budget-stranger');
      const notTheirs = await claimAs(front.url, stranger, tickets.get(late.userId)!);
      expect(notTheirs.body.error?.details?.reason).not.to.equal('ADMISSION_BUDGET');
      expect(express.calls).to.equal(1);
      const anonymous = await claimAs(front.url, {}, tickets.get(late.userId)!);
      expect(anonymous.status).to.equal(401);
      expect(express.calls).to.equal(2);
      const withBody = await claimAs(front.url, late, tickets.get(late.userId)!, { body: {} });
      expect(withBody.body.error.details.reason).to.equal('ADMISSION_BUDGET');
      expect(express.calls).to.equal(3);
      // Each of them one request line, the ones Express answered too.
      expect(lines.filter((l) => l.msg === 'request').map((l) => [l.route, l.status])).to.deep.equal([
        ['/v1/queues/:id/admission', 429],
        ['/v1/queues/:id/admission', notTheirs.status],
        ['/v1/queues/:id/admission', 401],
        ['/v1/queues/:id/admission', 429],
      ]);

      // The writer's next tick gives budget: the same claim now reaches Express and is admitted.
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
      const admitted = await claimAs(front.url, late, tickets.get(late.userId)!);
      expect(admitted.status).to.equal(201);
      expect(express.calls).to.equal(4);
      expect((await fx.queueStore.getEntry(performance.id, late.userId))!.state).to.equal('ADMITTED');
    } finally {
      await front.close();
    }
  });

  it('createApiApp served alone (no listener in front) sheds the same way, with the same answer', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-shed-express');
    const limits = { ...DEFAULT_CLASS_LIMITS, join: { ...DEFAULT_CLASS_LIMITS.join, minInFlight: 0 } };
    const guard = new OverloadGuard({ delayMs: () => 10_000 }, limits, () => 0.5);
    const busy = await listen(createApiApp({ ...fx.apiDeps, overload: guard }), '127.0.0.1', 0);
    try {
      const counter = countDynamoCalls(fx);
      const shed = await request(busy.url, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
      expect(shed.status).to.equal(429);
      expect(shed.body.error).to.deep.include({ code: 'RATE_LIMITED' });
      expect(shed.body.error.details).to.deep.include({ reason: 'OVERLOADED' });
      expect(Number(shed.headers.get('retry-after'))).to.equal(shed.body.error.details.retryAfter);
      expect(shed.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(shed.headers.get('x-request-id')).to.be.a('string');
      expect(counter.calls).to.deep.equal([]);
      expect(await fx.queueStore.getEntry(performance.id, user.userId)).to.equal(undefined);
    } finally {
      await busy.close();
    }
  });

  it('a poll with a genuine ticket is answered without the session or the entry: no DynamoDB read but the cached state', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-ticket');
    const joined = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    const counter = countDynamoCalls(fx);
    const polled = await request(base, 'GET', `/v1/queues/${performance.id}/entry`, {
      headers: { 'x-queue-ticket': joined.body.ticket },
    });
    expect(polled.status).to.equal(200);
    expect(polled.body.place.number).to.equal(joined.body.place.number);
    // The fixture caches nothing (cache 0 ms), so the only read is the queue state: no session, no entry.
    expect(counter.calls).to.deep.equal(['GetItemCommand:STATE']);
  });

  it('a tampered ticket, or one for another event, is no credential: without a session the poll is 401', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const other = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    const user = await signUp(fx, 'api-forged');
    const { body } = await request(base, 'PUT', `/v1/queues/${performance.id}/entry`, { token: user.token });
    const tampered = body.ticket.slice(0, -3) + (body.ticket.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const [eventId, ticket] of [
      [performance.id, tampered],
      [other.performance.id, body.ticket],
    ]) {
      const polled = await request(base, 'GET', `/v1/queues/${eventId}/entry`, {
        headers: { 'x-queue-ticket': ticket },
      });
      expect(polled.status).to.equal(401);
    }
  });
});
