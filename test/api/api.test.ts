import { expect } from 'chai';
import { createApiApp } from '../../app/api/app.js';
import { sequentialRoundTrips, traceDynamoCalls, type DynamoCall } from '../../app/adapters/dynamodb/call-trace.js';
import { composeApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { listen, type RunningServer } from '../../app/server.js';
import { ManualClock } from '../../app/shared/clock.js';
import { kstDateOf, kstInstant } from '../../app/shared/time.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { request, serveApi } from '../support/servers.js';

describe('JSON API over HTTP (DynamoDB Local behind it)', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let server: RunningServer;
  let base: string;
  before(async () => {
    fx = await createFixture('api');
    server = await serveApi(fx);
    base = server.url;
  });
  after(() => server.close());

  describe('health and headers', () => {
    it('GET /health answers 200 with the region, and every response (even a 404) carries X-Api-Region', async () => {
      const health = await request(base, 'GET', '/health');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok', role: 'api', region: 'ap-northeast-2' });
      const missing = await request(base, 'GET', '/v1/nope');
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('NOT_FOUND');
      for (const response of [health, missing]) {
        expect(response.headers.get('x-api-region')).to.equal('ap-northeast-2');
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      }
    });

    it('a known path with another method → 405 with Allow; OPTIONS → Allow; an unknown path stays 404', async () => {
      const wrong = await request(base, 'PUT', '/v1/holds/abc/confirm');
      expect(wrong.status).to.equal(405);
      expect(wrong.body.error.code).to.equal('METHOD_NOT_ALLOWED');
      expect(wrong.headers.get('allow')).to.equal('POST');
      expect((await request(base, 'PATCH', '/v1/holds/abc')).headers.get('allow')).to.equal('DELETE, GET, HEAD');
      const options = await fetch(new URL('/v1/holds/abc', base), { method: 'OPTIONS' });
      expect(options.status).to.equal(200);
      expect(options.headers.get('allow')).to.equal('DELETE, GET, HEAD');
      expect((await request(base, 'PUT', '/v1/nothing-here')).status).to.equal(404);
    });

    it('liveness does not depend on DynamoDB: with DynamoDB unreachable /health is 200 and /health/ready is 503', async () => {
      const config = loadConfig({
        DYNAMODB_MODE: 'external',
        TABLE_PREFIX: 'unreachable',
        DR_STATE_CACHE_SECONDS: '0',
      });
      const broken = composeApi({
        config,
        clock: new ManualClock(Date.now()),
        dynamoEndpoint: 'http://127.0.0.1:9',
        log: () => {},
      });
      const brokenServer = await listen(createApiApp(broken.apiDeps), '127.0.0.1', 0);
      try {
        expect((await request(brokenServer.url, 'GET', '/health')).status).to.equal(200);
        const ready = await request(brokenServer.url, 'GET', '/health/ready');
        expect(ready.status).to.equal(503);
        expect(ready.headers.get('x-api-region')).to.equal('ap-northeast-2');
      } finally {
        await brokenServer.close();
      }
    });

    it('GET /health/ready is 200 when DynamoDB answers', async () => {
      expect((await request(base, 'GET', '/health/ready')).status).to.equal(200);
    });
  });

  describe('catalog', () => {
    it('lists only ACTIVE performances with a starting price, filterable by genre and title', async () => {
      const all = await request(base, 'GET', '/v1/performances');
      expect(all.body.performances.length).to.be.at.least(8);
      expect(all.body.performances.every((p: { status: string }) => p.status === 'ACTIVE')).to.equal(true);
      const plays = await request(base, 'GET', '/v1/performances?genre=play');
      expect(plays.body.performances.map((p: { genre: string }) => p.genre)).to.satisfy(
        (g: string[]) => g.length > 0 && g.every((x) => x === 'play'),
      );
      const moonlight = await request(base, 'GET', `/v1/performances?q=${encodeURIComponent('moonlight')}`);
      expect(moonlight.body.performances.map((p: { id: string }) => p.id)).to.deep.equal([MOONLIGHT]);
    });

    it('every listed performance names its venue (id and Korean/English name) without a call per item', async () => {
      const { performances } = (await request(base, 'GET', '/v1/performances')).body;
      for (const p of performances) {
        const venue = await fx.catalog.getVenue(p.venueId);
        expect(p.venue, p.id).to.deep.equal({ id: p.venueId, name: venue!.name });
      }
    });

    it('?date=D lists only performances with a slot on D that has not started yet', async () => {
      const realNow = fx.clock.now();
      const schedules = new Map(
        await Promise.all(
          (await fx.catalog.listPerformances())
            .filter((p) => p.status === 'ACTIVE')
            .map(async (p) => [p.id, await fx.catalog.listSchedules(p.id)] as const),
        ),
      );
      const expectedOn = (date: string, at: number) =>
        [...schedules]
          .filter(([, slots]) => slots.some((s) => s.date === date && s.status === 'ON_SALE' && s.startsAt > at))
          .map(([id]) => id)
          .sort();
      // About three weeks ahead, on the first day with shows both before and after 19:01 (the demo catalog has days
      // without shows, e.g. Mondays, and weekdays with evening shows only: a fixed offset failed on such days).
      const day = [20, 21, 22, 23, 24, 25, 26]
        .map((offset) => kstDateOf(realNow + offset * DAY))
        .find((d) => expectedOn(d, kstInstant(d, '19:01')).length < expectedOn(d, kstInstant(d, '00:00')).length)!;
      const expectedAt = (at: number) => expectedOn(day, at);
      const listedAt = async (at: number) => {
        fx.clock.set(at);
        const { body } = await request(base, 'GET', `/v1/performances?date=${day}`);
        return body.performances.map((p: { id: string }) => p.id).sort();
      };
      try {
        const morning = await listedAt(kstInstant(day, '00:00'));
        const evening = await listedAt(kstInstant(day, '19:01'));
        const night = await listedAt(kstInstant(day, '23:59'));
        expect(morning).to.deep.equal(expectedAt(kstInstant(day, '00:00')));
        expect(morning.length).to.be.greaterThan(0);
        expect(evening).to.deep.equal(expectedAt(kstInstant(day, '19:01')));
        expect(evening.length).to.be.lessThan(morning.length);
        expect(night).to.deep.equal([]);
      } finally {
        fx.clock.set(realNow);
      }
    });

    it('a slot says when cancelling it closes: 17:00 KST the day before, 11:00 when that day is a Saturday', async () => {
      // 2027-01-05 is a Tuesday (the day before, Monday, closes at 17:00); 2027-01-10 is a Sunday (Saturday: 11:00).
      const tuesday = await addSlot(fx, MOONLIGHT, kstInstant('2027-01-05', '19:30'));
      const sunday = await addSlot(fx, MOONLIGHT, kstInstant('2027-01-10', '15:00'));
      const closesAt = async (id: string) =>
        (await request(base, 'GET', `/v1/schedules/${id}`)).body.cancellationClosesAt;
      expect(await closesAt(tuesday.id)).to.equal(kstInstant('2027-01-04', '17:00'));
      expect(await closesAt(sunday.id)).to.equal(kstInstant('2027-01-09', '11:00'));
    });

    it('rejects an unknown genre with 400 VALIDATION_FAILED naming the field', async () => {
      const response = await request(base, 'GET', '/v1/performances?genre=opera');
      expect(response.status).to.equal(400);
      expect(response.body.error.details.fields[0].field).to.equal('genre');
    });

    it('performance detail includes the price table and the cancellation policy text in both languages', async () => {
      const response = await request(base, 'GET', `/v1/performances/${MOONLIGHT}`);
      expect(response.status).to.equal(200);
      expect(response.body.priceTable.map((r: { grade: { code: string } }) => r.grade.code)).to.include.members([
        'VIP',
        'R',
        'S',
        'A',
      ]);
      expect(response.body.cancellationPolicy.ko.join('\n')).to.contain('17:00');
      expect(response.body.cancellationPolicy.en.join('\n')).to.contain('11:00');
      expect(response.body.venue.totalSeats).to.equal(1210);
    });

    it('the seat map of the 1,210-seat theatre derives availability from seat state', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
      const user = await signUp(fx, 'map');
      const before = (await request(base, 'GET', `/v1/schedules/${slot.id}/seats`)).body.seatMap;
      expect(before.seats).to.have.length(1210);
      await request(base, 'POST', '/v1/holds', {
        token: user.token,
        body: { scheduleId: slot.id, seatIds: ['1F-B-1-1', '1F-B-1-2'] },
      });
      const anonymous = (await request(base, 'GET', `/v1/schedules/${slot.id}/seats`)).body.seatMap;
      expect(anonymous.available).to.equal(before.available - 2);
      expect(anonymous.seats.find((s: { seatId: string }) => s.seatId === '1F-B-1-1').state).to.equal('held');
      const own = (await request(base, 'GET', `/v1/schedules/${slot.id}/seats`, { token: user.token })).body.seatMap;
      expect(own.seats.find((s: { seatId: string }) => s.seatId === '1F-B-1-1').state).to.equal('mine');
    });
  });

  describe('holds and reservations', () => {
    it('POST /v1/holds without a session → 401 UNAUTHENTICATED and nothing is written', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 31 * DAY);
      const response = await request(base, 'POST', '/v1/holds', {
        body: { scheduleId: slot.id, seatIds: ['1F-B-2-1'] },
      });
      expect(response.status).to.equal(401);
      expect(await fx.store.seatRecords(slot.id)).to.deep.equal([]);
    });

    it('a client-supplied price is ignored: the hold is priced by the server', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 32 * DAY);
      const user = await signUp(fx, 'cheat');
      const response = await request(base, 'POST', '/v1/holds', {
        token: user.token,
        body: {
          scheduleId: slot.id,
          seatIds: ['1F-B-2-1'],
          price: 1,
          total: 1,
          seats: [{ seatId: '1F-B-2-1', price: 1 }],
        },
      });
      expect(response.status).to.equal(201);
      expect(response.body.hold.seats[0].price).to.equal(170_000);
      expect(response.body.hold.total).to.equal(172_000);
    });

    it('5 seats over HTTP → 400 and no seat item written', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 33 * DAY);
      const user = await signUp(fx, 'five');
      const seatIds = ['1F-B-9-1', '1F-B-9-2', '1F-B-9-3', '1F-B-9-4', '1F-B-9-5'];
      const response = await request(base, 'POST', '/v1/holds', {
        token: user.token,
        body: { scheduleId: slot.id, seatIds },
      });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_FAILED');
      expect(await fx.store.seatRecords(slot.id)).to.deep.equal([]);
    });

    it('hold → confirm → list → quote → cancel through the API, with another user refused at every step', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 40 * DAY);
      const [owner, other] = [await signUp(fx, 'owner'), await signUp(fx, 'other')];
      const hold = (
        await request(base, 'POST', '/v1/holds', {
          token: owner.token,
          body: { scheduleId: slot.id, seatIds: ['1F-B-7-14'] },
        })
      ).body.hold;
      expect((await request(base, 'GET', `/v1/holds/${hold.holdId}`, { token: other.token })).status).to.equal(404);
      expect((await request(base, 'POST', `/v1/holds/${hold.holdId}/confirm`, { token: other.token })).status).to.equal(
        404,
      );
      const confirmed = await request(base, 'POST', `/v1/holds/${hold.holdId}/confirm`, { token: owner.token });
      expect(confirmed.status).to.equal(201);
      const reservation = confirmed.body.reservation;
      expect(reservation.status).to.equal('CONFIRMED');
      expect(reservation.total).to.equal(142_000);
      const mine = await request(base, 'GET', '/v1/reservations', { token: owner.token });
      expect(mine.body.reservations.items.map((r: { reservationId: string }) => r.reservationId)).to.deep.equal([
        reservation.reservationId,
      ]);
      const theirs = await request(base, 'GET', '/v1/reservations', { token: other.token });
      expect(theirs.body.reservations.items).to.deep.equal([]);
      const quote = await request(base, 'GET', `/v1/reservations/${reservation.reservationId}/cancellation-quote`, {
        token: owner.token,
      });
      expect(quote.body.quote.cancellable).to.equal(true);
      expect(
        (await request(base, 'POST', `/v1/reservations/${reservation.reservationId}/cancel`, { token: other.token }))
          .status,
      ).to.equal(404);
      expect((await fx.store.getReservation(reservation.reservationId))?.status).to.equal('CONFIRMED');
      const cancelled = await request(base, 'POST', `/v1/reservations/${reservation.reservationId}/cancel`, {
        token: owner.token,
      });
      expect(cancelled.status).to.equal(200);
      expect(cancelled.body.reservation.status).to.equal('CANCELLED');
      expect(cancelled.body.reservation.cancellation.refundTotal).to.equal(quote.body.quote.refundTotal);
    });

    it('hold and confirm each wait on 1 DynamoDB round trip once session and slot are known; a replacing hold on 2', async () => {
      const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 41 * DAY);
      const user = await signUp(fx, 'trips');
      const calls: DynamoCall[] = [];
      const untrace = traceDynamoCalls(fx.db, (call) => calls.push(call));
      const traced = async (id: string, method: string, path: string, body?: unknown) => {
        const response = await request(base, method, path, {
          token: user.token,
          body,
          headers: { 'x-request-id': id },
        });
        const mine = calls.filter((c) => c.requestId === id);
        return { response, commands: mine.map((c) => c.command), trips: sequentialRoundTrips(mine) };
      };
      try {
        await traced('view', 'GET', `/v1/schedules/${slot.id}/seats`); // the page a hold starts from
        const first = await traced('hold-1', 'POST', '/v1/holds', { scheduleId: slot.id, seatIds: ['1F-B-9-9'] });
        const second = await traced('hold-2', 'POST', '/v1/holds', { scheduleId: slot.id, seatIds: ['1F-B-9-10'] });
        const holdId = second.response.body.hold.holdId;
        const confirm = await traced('confirm', 'POST', `/v1/holds/${holdId}/confirm`);
        expect(confirm.response.status).to.equal(201);
        expect(first.commands).to.deep.equal(['TransactWriteItemsCommand']); // no live hold: the write alone
        expect(first.trips).to.equal(1);
        // It finds the first hold live: the refused write returns the pointer, and the replacing write follows.
        expect(second.commands).to.deep.equal(['TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
        expect(second.trips).to.equal(2);
        expect(confirm.commands).to.deep.equal(['TransactWriteItemsCommand']); // a hold this instance made: no read
        expect(confirm.trips).to.equal(1);
        // Past the session cache window, resolving the token is one more round trip first.
        fx.clock.advance(fx.config.sessions.cacheSeconds * 1000);
        const cold = await traced('hold-3', 'POST', '/v1/holds', { scheduleId: slot.id, seatIds: ['1F-B-9-11'] });
        expect(cold.response.status).to.equal(201);
        expect(cold.trips).to.equal(2);
      } finally {
        untrace();
      }
    });

    it('a forged pagination cursor pointing at another user is refused with 400', async () => {
      const [a, b] = [await signUp(fx, 'cursor-a'), await signUp(fx, 'cursor-b')];
      const forged = Buffer.from(
        JSON.stringify({ gsi1pk: `USER#${b.userId}#RES`, gsi1sk: 'x', pk: 'x', sk: 'x' }),
      ).toString('base64url');
      const response = await request(base, 'GET', `/v1/reservations?cursor=${forged}`, { token: a.token });
      expect(response.status).to.equal(400);
      expect(response.body.error.details.field).to.equal('cursor');
    });
  });

  describe('accounts', () => {
    it('GET /v1/me shows when the account was created, not when this session logged in', async () => {
      const createdAt = fx.clock.now();
      const user = await signUp(fx, 'me');
      fx.clock.advance(DAY);
      try {
        const login = await request(base, 'POST', '/v1/auth/login', {
          body: { email: user.email, password: 'correct horse battery' },
        });
        const me = await request(base, 'GET', '/v1/me', { token: login.body.token });
        expect(me.body.user).to.deep.include({ userId: user.userId, email: user.email, createdAt });
      } finally {
        fx.clock.advance(-DAY);
      }
    });

    it('a display name in Korean, with spaces around it, is accepted and trimmed', async () => {
      const response = await request(base, 'POST', '/v1/auth/signup', {
        body: { email: `name-${Date.now()}@example.com`, password: 'long enough pass', displayName: '  김민수 🎭 ' },
      });
      expect(response.status).to.equal(201);
      expect(response.body.user.displayName).to.equal('김민수 🎭');
    });
  });

  describe('bad input', () => {
    it('malformed JSON → 400 VALIDATION_FAILED', async () => {
      const user = await signUp(fx, 'json');
      const response = await request(base, 'POST', '/v1/holds', { token: user.token, rawBody: '{"scheduleId":' });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_FAILED');
    });

    it('a body over 16 kB → 413 PAYLOAD_TOO_LARGE', async () => {
      const user = await signUp(fx, 'big');
      const response = await request(base, 'POST', '/v1/holds', {
        token: user.token,
        rawBody: JSON.stringify({ x: 'a'.repeat(20_000) }),
      });
      expect(response.status).to.equal(413);
      expect(response.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    });

    it('an id with path or script characters → 400, never a lookup', async () => {
      const user = await signUp(fx, 'ids');
      const response = await request(base, 'GET', `/v1/holds/${encodeURIComponent('<script>')}`, { token: user.token });
      expect(response.status).to.equal(400);
    });

    it('login is rate-limited per client and email: the 11th attempt in a minute → 429 with Retry-After', async () => {
      const email = `limited-${Date.now()}@example.com`;
      const responses = [];
      for (let i = 0; i < 11; i++) {
        responses.push(await request(base, 'POST', '/v1/auth/login', { body: { email, password: 'wrong-password' } }));
      }
      expect(responses.slice(0, 10).map((r) => r.status)).to.deep.equal(Array(10).fill(401));
      const limited = responses[10]!;
      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
    });

    it('wrong password and unknown email answer identically (401, same message)', async () => {
      const user = await signUp(fx, 'login');
      const wrong = await request(base, 'POST', '/v1/auth/login', {
        body: { email: user.email, password: 'not-the-password' },
      });
      const unknown = await request(base, 'POST', '/v1/auth/login', {
        body: { email: `x${user.email}`, password: 'not-the-password' },
      });
      expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
      // Only the request id (a fresh one per request) differs.
      const withoutId = ({ error: { requestId: _id, ...rest } }: { error: { requestId: string } }) => rest;
      expect(withoutId(wrong.body)).to.deep.equal(withoutId(unknown.body));
    });
  });
});

describe('GET /v1/dr', function () {
  this.timeout(60_000);
  it('reports the persisted DR state with the grace deadline since + 30 min and which region takes writes', async () => {
    const fx = await createFixture('api-dr');
    const server = await serveApi(fx);
    try {
      expect((await request(server.url, 'GET', '/v1/dr')).body).to.deep.equal({
        region: 'ap-northeast-2',
        active: false,
        writer: 'primary',
        writerRegion: 'ap-northeast-2',
        acceptsWrites: true,
      });
      const since = Date.parse('2026-11-22T03:00:00Z');
      fx.dr.state = { active: true, since };
      expect((await request(server.url, 'GET', '/v1/dr')).body).to.deep.equal({
        region: 'ap-northeast-2',
        active: true,
        since,
        graceUntil: since + 30 * 60_000,
        writer: 'standby',
        writerRegion: 'ap-northeast-1',
        acceptsWrites: false,
      });
    } finally {
      await server.close();
    }
  });
});
