import { expect } from 'chai';
import type { Request, Response } from 'express';
import { csrfProtection } from '../../../app/web/csrf.js';
import { CSRF_KEY_MIN_LENGTH, CsrfKeyError, csrfKeys } from '../../../app/web/csrf-keys.js';

const OLD = 'o'.repeat(64);
const NEW = 'n'.repeat(64);
const NEXT = 'x'.repeat(64);

/** Mints a token (and its cookie) with one protection, as a rendered form would carry it. */
function mint(protection: ReturnType<typeof csrfProtection>, session = 'session-1') {
  const cookies: Record<string, string> = {};
  const req = { cookies: { mt_session: session }, signedCookies: {} } as unknown as Request;
  const res = {
    cookie: (name: string, value: string) => {
      cookies[name] = value;
    },
  } as unknown as Response;
  const token = protection.generateCsrfToken(req, res);
  return { token, cookies: { ...cookies, mt_session: session } };
}

/** Whether another protection accepts that form post. */
function accepts(protection: ReturnType<typeof csrfProtection>, minted: ReturnType<typeof mint>): boolean {
  const req = {
    method: 'POST',
    cookies: minted.cookies,
    signedCookies: {},
    body: { _csrf: minted.token },
    get: () => undefined,
  } as unknown as Request;
  return protection.validateRequest(req);
}

describe('CSRF keys (csrf-keys.ts) and the protection built on them', () => {
  it('csrfKeys: the signing key first, the accepted ones de-duplicated without the signing key or absent labels', () => {
    expect(csrfKeys(NEW, [undefined, OLD, NEW, OLD], 'test')).to.deep.equal({ signing: NEW, alsoAccepted: [OLD] });
    expect(csrfKeys(NEW, [], 'test')).to.deep.equal({ signing: NEW, alsoAccepted: [] });
  });

  it(`csrfKeys: a key shorter than ${CSRF_KEY_MIN_LENGTH} characters (signing or accepted) is refused naming its source`, () => {
    const short = 'k'.repeat(CSRF_KEY_MIN_LENGTH - 1);
    expect(() => csrfKeys(short, [], 'WEB_CSRF_SECRET_ID (arn:x)')).to.throw(
      CsrfKeyError,
      /^WEB_CSRF_SECRET_ID \(arn:x\): a CSRF key must be at least 32 characters$/,
    );
    expect(() => csrfKeys(NEW, [short], 'src')).to.throw(CsrfKeyError, /src/);
    expect(() => csrfKeys('k'.repeat(CSRF_KEY_MIN_LENGTH), [], 'src')).not.to.throw();
  });

  it('two protections with the same key accept each other’s tokens; a different key refuses them', () => {
    const a = csrfProtection({ keys: csrfKeys(NEW, [], 't'), secure: false });
    const b = csrfProtection({ keys: csrfKeys(NEW, [], 't'), secure: false });
    const other = csrfProtection({ keys: csrfKeys(OLD, [], 't'), secure: false });
    expect(accepts(b, mint(a))).to.equal(true);
    expect(accepts(a, mint(b))).to.equal(true);
    expect(accepts(other, mint(a))).to.equal(false);
  });

  it('rotation: tokens signed with the previous key or the pending one are accepted; an unrelated key is not', () => {
    const rotated = csrfProtection({ keys: csrfKeys(NEW, [NEXT, OLD], 't'), secure: false });
    expect(accepts(rotated, mint(csrfProtection({ keys: csrfKeys(OLD, [], 't'), secure: false })))).to.equal(true);
    expect(accepts(rotated, mint(csrfProtection({ keys: csrfKeys(NEXT, [NEW], 't'), secure: false })))).to.equal(true);
    expect(accepts(rotated, mint(csrfProtection({ keys: csrfKeys('z'.repeat(64), [], 't'), secure: false })))).to.equal(
      false,
    );
    // It signs with NEW: an instance that only knows NEW accepts what it mints.
    expect(accepts(csrfProtection({ keys: csrfKeys(NEW, [], 't'), secure: false }), mint(rotated))).to.equal(true);
  });

  it('without keys each protection invents its own: two of them refuse each other (why production needs one key)', () => {
    const a = csrfProtection({ secure: false });
    const b = csrfProtection({ secure: false });
    expect(accepts(a, mint(a))).to.equal(true);
    expect(accepts(b, mint(a))).to.equal(false);
  });

  it('a token minted for one session is refused for another, even under the same key', () => {
    const a = csrfProtection({ keys: csrfKeys(NEW, [], 't'), secure: false });
    const minted = mint(a, 'session-1');
    expect(accepts(a, { ...minted, cookies: { ...minted.cookies, mt_session: 'session-2' } })).to.equal(false);
  });
});
