import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { checkAdmission, signAdmission, type AdmissionClaims } from '../../../app/queue/admission-token.js';
import { openTicket, signTicket } from '../../../app/queue/queue-ticket.js';
import { decodeKey, TokenSigner } from '../../../app/queue/signed-token.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const signer = new TokenSigner(randomBytes(32));
const claims: AdmissionClaims = {
  sub: 'user-a',
  evt: 'perf-neon-tide-live',
  pos: 42,
  ep: 1,
  iat: T0,
  exp: T0 + 600_000,
  tid: 'tok-1',
};
const expected = { userId: 'user-a', eventId: 'perf-neon-tide-live', now: T0 + 1_000 };
const token = signAdmission(signer, claims);

/** Re-encodes the payload segment with `change` applied but keeps the original MAC. */
function withPayload(change: (c: Record<string, unknown>) => Record<string, unknown>): string {
  const [kind, payload, mac] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `${kind}.${Buffer.from(JSON.stringify(change(decoded))).toString('base64url')}.${mac}`;
}

describe('queue/admission-token (HMAC, verified without I/O)', () => {
  it('a token signed for an account and event verifies for them and returns its claims', () => {
    expect(checkAdmission(signer, token, expected)).to.deep.equal({ ok: true, claims });
  });

  const refusals: [string, () => string, Partial<typeof expected>, string][] = [
    ['used by another account', () => token, { userId: 'user-b' }, 'WRONG_ACCOUNT'],
    ['used for another event', () => token, { eventId: 'perf-moonlight-garden' }, 'WRONG_EVENT'],
    ['used at its expiry instant', () => token, { now: claims.exp }, 'EXPIRED'],
    [
      'payload altered (later expiry) with the old MAC',
      () => withPayload((c) => ({ ...c, exp: T0 + 9e9 })),
      {},
      'MALFORMED',
    ],
    [
      'payload altered (another account) with the old MAC',
      () => withPayload((c) => ({ ...c, sub: 'user-b' })),
      { userId: 'user-b' },
      'MALFORMED',
    ],
    ['MAC altered by one character', () => token.slice(0, -2) + (token.endsWith('A') ? 'BA' : 'AA'), {}, 'MALFORMED'],
    ['signed with another key', () => signAdmission(new TokenSigner(randomBytes(32)), claims), {}, 'MALFORMED'],
    ['a queue ticket passed off as an admission', () => signer.sign('ticket', claims), {}, 'MALFORMED'],
    ['kind prefix swapped on a genuine token', () => token.replace(/^mta1/, 'mtq1'), {}, 'MALFORMED'],
    ['truncated', () => token.slice(0, token.lastIndexOf('.')), {}, 'MALFORMED'],
    ['MAC stripped', () => token.slice(0, token.lastIndexOf('.') + 1), {}, 'MALFORMED'],
    ['empty', () => '', {}, 'MALFORMED'],
    ['not base64 JSON', () => `mta1.${Buffer.from('{not json').toString('base64url')}.AAAA`, {}, 'MALFORMED'],
    ['oversized', () => token + 'A'.repeat(2_000), {}, 'MALFORMED'],
    [
      'correctly signed but with an extra claim the schema does not know',
      () => signer.sign('admission', { ...claims, admin: true }),
      {},
      'MALFORMED',
    ],
    [
      'correctly signed but with a non-integer position',
      () => signer.sign('admission', { ...claims, pos: 1.5 }),
      {},
      'MALFORMED',
    ],
  ];
  for (const [name, make, override, reason] of refusals) {
    it(`refused when ${name}: ${reason}`, () => {
      expect(checkAdmission(signer, make(), { ...expected, ...override })).to.deep.equal({ ok: false, reason });
    });
  }

  it('a confirm grace extends the expiry by exactly the grace, no further', () => {
    expect(checkAdmission(signer, token, { ...expected, now: claims.exp + 5_000, graceMs: 10_000 }).ok).to.equal(true);
    expect(checkAdmission(signer, token, { ...expected, now: claims.exp + 10_000, graceMs: 10_000 })).to.deep.equal({
      ok: false,
      reason: 'EXPIRED',
    });
  });

  it('keys: shorter than 32 bytes are refused; ADMISSION_KEY text decodes from base64url', () => {
    expect(() => new TokenSigner(randomBytes(31))).to.throw(RangeError);
    expect(() => decodeKey('c2hvcnQ')).to.throw(RangeError);
    const key = randomBytes(32);
    const fromText = new TokenSigner(decodeKey(key.toString('base64url')));
    expect(checkAdmission(fromText, signAdmission(new TokenSigner(key), claims), expected).ok).to.equal(true);
  });

  it('queue tickets: open for their account and event only, and never from an admission token', () => {
    const ref = { eventId: 'perf-neon-tide-live', userId: 'user-a', epoch: 2, number: 17, lottery: true };
    const ticket = signTicket(signer, ref, T0);
    const at = { eventId: 'perf-neon-tide-live', now: T0 + 1_000 };
    expect(openTicket(signer, ticket, { ...at, userId: 'user-a' })).to.deep.equal(ref);
    expect(openTicket(signer, ticket, at), 'without an account: the one it names').to.deep.equal(ref);
    expect(openTicket(signer, ticket, { ...at, userId: 'user-b' })).to.equal(undefined);
    expect(openTicket(signer, ticket, { ...at, eventId: 'perf-hamlet' })).to.equal(undefined);
    expect(openTicket(signer, ticket, { ...at, now: T0 + 25 * 3_600_000 }), 'older than a day').to.equal(undefined);
    expect(openTicket(signer, token, at)).to.equal(undefined);
    expect(openTicket(new TokenSigner(randomBytes(32)), ticket, at)).to.equal(undefined);
  });
});
