import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import type { RunningServer } from '../../app/server.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { tableContents } from '../support/dynamo.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { rawRequest, serveApi } from '../support/servers.js';

type Who = 'alice' | 'bob' | 'nobody';

interface Probe {
  readonly name: string;
  readonly method: string;
  readonly path: string | ((ids: Ids) => string);
  readonly as?: Who;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer | ((ids: Ids) => string);
  readonly status: number;
  readonly code: string;
  /** A fragment the message must contain, so the client learns what and where the mistake was. */
  readonly says?: string;
}

interface Ids {
  readonly slotId: string;
  readonly aliceId: string;
  readonly liveHoldId: string;
  readonly reservationId: string;
  readonly cancelledId: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const holdBody = (ids: Ids, seatIds: unknown = ['1F-B-10-1']) => JSON.stringify({ scheduleId: ids.slotId, seatIds });

/**
 * What an attacker (or a buggy client) can send, each with the 4xx it must get. Every probe runs against the real API
 * over HTTP with DynamoDB Local behind it.
 */
const PROBES: readonly Probe[] = [
  // Body encodings body-parser refuses (these answered 500 before).
  ...['latin1', 'utf-99', 'koi8-r'].map((charset): Probe => ({
    name: `JSON with charset=${charset}`,
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { 'content-type': `application/json; charset=${charset}` },
    body: holdBody,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    says: 'charset',
  })),
  ...['compress', 'x-bogus'].map((encoding): Probe => ({
    name: `Content-Encoding: ${encoding}`,
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { ...JSON_TYPE, 'content-encoding': encoding },
    body: holdBody,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    says: 'Content-Encoding',
  })),
  {
    name: 'Content-Encoding: gzip over bytes that are not gzip',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    body: '{"scheduleId":"x"}',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body:',
  },
  {
    name: 'a gzip bomb (1 MB of JSON whitespace in a few kB)',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(`{${' '.repeat(1_000_000)}}`)),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a text/plain body',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { 'content-type': 'text/plain' },
    body: holdBody,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a form-encoded body',
    method: 'POST',
    path: '/v1/auth/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=a%40b.c&password=12345678',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'truncated JSON',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: '{"scheduleId":',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body: not valid JSON',
  },
  {
    name: 'JSON null',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: 'null',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a JSON array instead of an object',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: '[]',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body:',
  },
  {
    name: 'JSON nested 5,000 deep',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: `{"seatIds":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a 20 kB body',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: JSON.stringify({ x: 'a'.repeat(20_000) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'chunked JSON that does not parse',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' },
    body: '{"seatIds": [',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // Hold bodies that parse but are wrong.
  {
    name: 'five seats',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: (ids) => holdBody(ids, ['1F-B-9-1', '1F-B-9-2', '1F-B-9-3', '1F-B-9-4', '1F-B-9-5']),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'seat ids that are not strings',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: (ids) => holdBody(ids, [1, { $ne: null }]),
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body.seatIds',
  },
  {
    name: 'a seat id with an unpaired surrogate',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: (ids) => holdBody(ids, ['1F-B-9-\ud800']),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a schedule id with path characters',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: JSON.stringify({ scheduleId: '../SCHED#x', seatIds: ['1F-B-9-1'] }),
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body.scheduleId: not a valid id',
  },
  {
    name: 'an unknown schedule',
    method: 'POST',
    path: '/v1/holds',
    as: 'alice',
    headers: JSON_TYPE,
    body: JSON.stringify({ scheduleId: 'no-such-slot', seatIds: ['1F-B-9-1'] }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "seats held by someone else (alice's live hold, asked by bob)",
    method: 'POST',
    path: '/v1/holds',
    as: 'bob',
    headers: JSON_TYPE,
    body: (ids) => holdBody(ids, ['1F-B-2-2']),
    status: 409,
    code: 'SEATS_UNAVAILABLE',
  },
  {
    name: 'a hold without a session',
    method: 'POST',
    path: '/v1/holds',
    headers: JSON_TYPE,
    body: holdBody,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a bearer token of 300 characters',
    method: 'GET',
    path: '/v1/me',
    headers: { authorization: `Bearer ${'x'.repeat(300)}` },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  // Ids in the path.
  {
    name: 'a malformed percent-encoding in the path',
    method: 'GET',
    path: '/v1/holds/%E0%A4%A',
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'path: malformed percent-encoding',
  },
  {
    name: 'a malformed percent-encoding in a confirm path',
    method: 'POST',
    path: '/v1/holds/%ZZ/confirm',
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'path:',
  },
  {
    name: 'a script tag as an id',
    method: 'GET',
    path: `/v1/reservations/${encodeURIComponent('<script>')}`,
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'path.id: not a valid id',
  },
  {
    name: 'an encoded slash in an id',
    method: 'GET',
    path: '/v1/venues/a%2F..%2Fb',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'path.id',
  },
  {
    name: "bob confirms alice's hold",
    method: 'POST',
    path: (ids) => `/v1/holds/${ids.liveHoldId}/confirm`,
    as: 'bob',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "bob releases alice's hold",
    method: 'DELETE',
    path: (ids) => `/v1/holds/${ids.liveHoldId}`,
    as: 'bob',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "bob cancels alice's reservation",
    method: 'POST',
    path: (ids) => `/v1/reservations/${ids.reservationId}/cancel`,
    as: 'bob',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "bob asks for a quote on alice's reservation",
    method: 'GET',
    path: (ids) => `/v1/reservations/${ids.reservationId}/cancellation-quote`,
    as: 'bob',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a confirm of a hold that does not exist',
    method: 'POST',
    path: '/v1/holds/00000000-0000-0000-0000-000000000000/confirm',
    as: 'alice',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'cancelling a cancelled reservation',
    method: 'POST',
    path: (ids) => `/v1/reservations/${ids.cancelledId}/cancel`,
    as: 'alice',
    status: 409,
    code: 'ALREADY_CANCELLED',
  },
  {
    name: 'a cancellation quote for a cancelled reservation',
    method: 'GET',
    path: (ids) => `/v1/reservations/${ids.cancelledId}/cancellation-quote`,
    as: 'alice',
    status: 409,
    code: 'ALREADY_CANCELLED',
  },
  // Query strings.
  ...(
    [
      ['only the index partition key', (ids: Ids) => ({ gsi1pk: `USER#${ids.aliceId}#RES` })],
      [
        'an extra key',
        (ids: Ids) => ({ gsi1pk: `USER#${ids.aliceId}#RES`, gsi1sk: 'x', pk: 'RES#x', sk: 'RES', extra: 'x' }),
      ],
      ['an empty key value', (ids: Ids) => ({ gsi1pk: `USER#${ids.aliceId}#RES`, gsi1sk: '', pk: 'RES#x', sk: 'RES' })],
      ['a number as a key', (ids: Ids) => ({ gsi1pk: `USER#${ids.aliceId}#RES`, gsi1sk: 1, pk: 'RES#x', sk: 'RES' })],
      ['a JSON array', () => ['USER#x#RES']],
      ['a JSON string', () => 'USER#x#RES'],
    ] as const
  ).map(([what, key]): Probe => ({
    name: `a page cursor on the caller's own partition with ${what}`,
    method: 'GET',
    path: (ids) => `/v1/reservations?cursor=${cursor(key(ids))}`,
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'query.cursor',
  })),
  {
    name: 'a page cursor that is not base64 JSON',
    method: 'GET',
    path: '/v1/reservations?cursor=%%%not-a-cursor',
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'query.cursor',
  },
  ...['limit=0', 'limit=abc', 'limit=1&limit=2', 'limit=2.5', 'cursor=a&cursor=b'].map((query): Probe => ({
    name: `GET /v1/reservations?${query}`,
    method: 'GET',
    path: `/v1/reservations?${query}`,
    as: 'alice',
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'query.',
  })),
  ...['date=2026-13-45', 'genre=opera', 'date=2026-12-01&date=2026-12-02', `q=${'x'.repeat(101)}`].map(
    (query): Probe => ({
      name: `GET /v1/performances?${query}`,
      method: 'GET',
      path: `/v1/performances?${query}`,
      status: 400,
      code: 'VALIDATION_FAILED',
      says: 'query.',
    }),
  ),
  // Methods.
  ...(
    [
      ['PUT', '/v1/holds', 'POST'],
      ['DELETE', '/v1/performances', 'GET'],
      ['POST', '/v1/reservations/abc', 'GET'],
      ['PATCH', '/v1/holds/abc', 'DELETE'],
      ['GET', '/v1/auth/login', 'POST'],
    ] as const
  ).map(([method, path, allowed]): Probe => ({
    name: `${method} ${path}`,
    method,
    path,
    as: 'alice',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    says: allowed,
  })),
  // Accounts.
  ...[
    ['a TAB', 'Kim\tMinsu'],
    ['a NUL', 'Kim\u0000'],
    ['a right-to-left override', 'Kim\u202Egnp.exe'],
    ['a line separator', 'Kim\u2028Minsu'],
  ].map(([what, displayName]): Probe => ({
    name: `a display name with ${what}`,
    method: 'POST',
    path: '/v1/auth/signup',
    headers: JSON_TYPE,
    body: JSON.stringify({ email: `probe-${what!.length}@example.com`, password: 'long enough pass', displayName }),
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body.displayName',
  })),
  {
    name: 'a login with an object as password',
    method: 'POST',
    path: '/v1/auth/login',
    headers: JSON_TYPE,
    body: JSON.stringify({ email: 'a@example.com', password: { $gt: '' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body.password',
  },
  {
    name: 'a signup with an email of 300 characters',
    method: 'POST',
    path: '/v1/auth/signup',
    headers: JSON_TYPE,
    body: JSON.stringify({ email: `${'a'.repeat(290)}@example.com`, password: 'long enough pass' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    says: 'body.email',
  },
];

describe('API bad-input corpus: every client mistake is a 4xx with the error shape, and nothing is written', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let server: RunningServer;
  let ids: Ids;
  const tokens: Record<Who, string | undefined> = { alice: undefined, bob: undefined, nobody: undefined };
  let initially: Record<string, string[]>;

  before(async () => {
    fx = await createFixture('bad-input');
    server = await serveApi(fx);
    const [alice, bob] = [await signUp(fx, 'probe-alice'), await signUp(fx, 'probe-bob')];
    tokens.alice = alice.token;
    tokens.bob = bob.token;
    const slotId = (await addSlot(fx, MOONLIGHT, fx.clock.now() + 40 * DAY)).id;
    const paid = await fx.booking.hold(alice.userId, slotId, ['1F-B-1-1']);
    const reservationId = (await fx.booking.confirm(alice.userId, paid.holdId)).reservationId;
    const toCancel = await fx.booking.hold(alice.userId, slotId, ['1F-B-1-2']);
    const cancelledId = (await fx.booking.confirm(alice.userId, toCancel.holdId)).reservationId;
    await fx.booking.cancel(alice.userId, cancelledId);
    const live = await fx.booking.hold(alice.userId, slotId, ['1F-B-2-2']);
    ids = { slotId, aliceId: alice.userId, liveHoldId: live.holdId, reservationId, cancelledId };
    initially = await tableContents(fx.db, fx.tables);
  });
  after(() => server.close());

  it(`${PROBES.length} probes: each answers its 4xx and code naming the place; all tables unchanged afterwards`, async () => {
    const failures: string[] = [];
    for (const probe of PROBES) {
      const token = probe.as ? tokens[probe.as] : undefined;
      const body = typeof probe.body === 'function' ? probe.body(ids) : probe.body;
      const response = await rawRequest(
        server.url,
        probe.method,
        typeof probe.path === 'function' ? probe.path(ids) : probe.path,
        { headers: { ...probe.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body },
      );
      let parsed: { error?: { code?: string; message?: string } } | undefined;
      try {
        parsed = JSON.parse(response.text);
      } catch {
        parsed = undefined;
      }
      const got = `${response.status} ${parsed?.error?.code ?? '(no error shape)'}: ${parsed?.error?.message ?? response.text.slice(0, 80)}`;
      const ok =
        response.status === probe.status &&
        parsed?.error?.code === probe.code &&
        typeof parsed.error.message === 'string' &&
        (probe.says === undefined || parsed.error.message.includes(probe.says));
      if (!ok) failures.push(`${probe.name}: expected ${probe.status} ${probe.code}, got ${got}`);
      if (probe.status === 405 && response.headers.allow === undefined) failures.push(`${probe.name}: no Allow header`);
    }
    expect(failures).to.deep.equal([]);
    expect(await tableContents(fx.db, fx.tables)).to.deep.equal(initially);
  });
});
