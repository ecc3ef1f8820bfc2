import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  ADMISSION_CLAIMS,
  checkAdmission,
  signAdmission,
  unverifiedAdmissionClaims,
  type AdmissionClaims,
} from '../../../app/queue/admission-token.js';
import { openTicket, signTicket } from '../../../app/queue/queue-ticket.js';
import { decodeKey, TOKEN_KINDS, TokenSigner } from '../../../app/queue/signed-token.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const key = randomBytes(32);
const signer = new TokenSigner(key);
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

const KIND = TOKEN_KINDS.admission;
const macOf = (t: string) => t.slice(t.lastIndexOf('.') + 1);
/** The claims' text of a token (readable by anyone; only the MAC protects it). */
const bodyOf = (t: string) => t.slice(KIND.length + 1, t.lastIndexOf('.'));

/** Re-encodes the claims with `change` applied but keeps the original MAC. */
function withPayload(change: (c: AdmissionClaims) => AdmissionClaims): string {
  return `${KIND}.${ADMISSION_CLAIMS.encode(change(unverifiedAdmissionClaims(token)!))}.${macOf(token)}`;
}

/** Correctly signed (a leaked key, or a bug in the signer), with claim `index` of the body replaced by `text`. */
function signedWithClaim(index: number, text: string): string {
  const fields = bodyOf(token).split('~');
  fields[index] = text;
  return signer.seal('admission', fields.join('~'));
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
    [
      'a queue ticket passed off as an admission',
      () => signer.sign('ticket', claims, ADMISSION_CLAIMS),
      {},
      'MALFORMED',
    ],
    ['kind prefix swapped on a genuine token', () => TOKEN_KINDS.ticket + token.slice(KIND.length), {}, 'MALFORMED'],
    ['the MAC moved into the claims (one dot fewer)', () => token.replace(/\.([^.]*)$/, '~$1'), {}, 'MALFORMED'],
    ['truncated', () => token.slice(0, token.lastIndexOf('.')), {}, 'MALFORMED'],
    ['MAC stripped', () => token.slice(0, token.lastIndexOf('.') + 1), {}, 'MALFORMED'],
    ['empty', () => '', {}, 'MALFORMED'],
    ['claims in another form with a garbage MAC', () => `${KIND}.{"sub":"user-a"}.${'A'.repeat(43)}`, {}, 'MALFORMED'],
    [
      'the earlier JSON form (mta1), even under the right key',
      () => {
        const body = `mta1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
        return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
      },
      {},
      'MALFORMED',
    ],
    ['oversized', () => token + 'A'.repeat(2_000), {}, 'MALFORMED'],
    ['correctly signed but with an extra claim', () => signer.seal('admission', `${bodyOf(token)}~1`), {}, 'MALFORMED'],
    [
      'correctly signed but with a claim missing',
      () => signer.seal('admission', bodyOf(token).replace(/~[^~]*$/, '')),
      {},
      'MALFORMED',
    ],
    ['correctly signed but with a non-integer position', () => signedWithClaim(2, '1.5'), {}, 'MALFORMED'],
    ['correctly signed but with position 0', () => signedWithClaim(2, '0'), {}, 'MALFORMED'],
    ['correctly signed but with a negative epoch', () => signedWithClaim(3, '-1'), {}, 'MALFORMED'],
    [
      'correctly signed but with an expiry beyond safe integers',
      () => signedWithClaim(5, '9'.repeat(17)),
      {},
      'MALFORMED',
    ],
    [
      'correctly signed but with a negative zero (a second spelling of 0)',
      () => signedWithClaim(4, '-0'),
      {},
      'MALFORMED',
    ],
    ['correctly signed but with a padded number', () => signedWithClaim(5, `0${claims.exp}`), {}, 'MALFORMED'],
    ['correctly signed but with an empty account', () => signedWithClaim(0, ''), { userId: '' }, 'MALFORMED'],
    [
      'correctly signed but with a token id of 65 characters',
      () => signedWithClaim(6, 't'.repeat(65)),
      {},
      'MALFORMED',
    ],
    [
      'correctly signed but with an account outside the id alphabet',
      () => signedWithClaim(0, 'user a'),
      { userId: 'user a' },
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

  it('an event id with dots round-trips (the MAC is found by its length, not by the last dot)', () => {
    const dotted = { ...claims, evt: 'perf.neon.tide' };
    expect(
      checkAdmission(signer, signAdmission(signer, dotted), { ...expected, eventId: 'perf.neon.tide' }),
    ).to.deep.equal({
      ok: true,
      claims: dotted,
    });
  });

  it('the signer refuses to sign claims outside the definition (nothing ambiguous is ever signed)', () => {
    for (const bad of [
      { ...claims, sub: 'user~a' },
      { ...claims, evt: 'perf/x' },
      { ...claims, pos: 1.5 },
      { ...claims, pos: 0 },
      { ...claims, admin: true },
    ]) {
      expect(() => signAdmission(signer, bad as AdmissionClaims), JSON.stringify(bad)).to.throw(RangeError);
    }
  });

  it('keys: shorter than 32 bytes are refused; ADMISSION_KEY text decodes from base64url', () => {
    expect(() => new TokenSigner(randomBytes(31))).to.throw(RangeError);
    expect(() => decodeKey('c2hvcnQ')).to.throw(RangeError);
    const key = randomBytes(32);
    const fromText = new TokenSigner(decodeKey(key.toString('base64url')));
    expect(checkAdmission(fromText, signAdmission(new TokenSigner(key), claims), expected).ok).to.equal(true);
  });

  it('key rotation: a signer also accepting the previous key opens its tokens but signs with the current one; a key it does not list is refused', () => {
    const previous = randomBytes(32);
    const current = randomBytes(32);
    const rotated = new TokenSigner(current, [previous]);
    const issuedBefore = signAdmission(new TokenSigner(previous), claims);
    expect(checkAdmission(rotated, issuedBefore, expected)).to.deep.equal({ ok: true, claims });
    const issuedAfter = signAdmission(rotated, claims);
    expect(checkAdmission(new TokenSigner(current), issuedAfter, expected).ok).to.equal(true);
    expect(checkAdmission(new TokenSigner(previous), issuedAfter, expected)).to.deep.include({ ok: false });
    const stranger = signAdmission(new TokenSigner(randomBytes(32)), claims);
    expect(checkAdmission(rotated, stranger, expected)).to.deep.include({ ok: false, reason: 'MALFORMED' });
    expect(() => new TokenSigner(current, [randomBytes(16)])).to.throw(RangeError);
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
