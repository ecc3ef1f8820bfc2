import { expect } from 'chai';
import type { NextFunction, Request, Response } from 'express';
import { csrfProtection, RandomPool } from '../../../app/web/csrf.js';
import { csrfKeys } from '../../../app/web/csrf-keys.js';

const KEY = 'k'.repeat(64);

/** A cookie-less visitor's request through `issueTokens`: the token it gets and the Set-Cookie headers written. */
function firstVisit(protection: ReturnType<typeof csrfProtection>, session?: string) {
  const setCookies: string[] = [];
  const req = {
    method: 'GET',
    cookies: session ? { mt_session: session } : {},
    signedCookies: {},
  } as unknown as Request;
  const res = {
    locals: {},
    append: (name: string, value: string) => (expect(name).to.equal('Set-Cookie'), setCookies.push(value)),
  } as unknown as Response;
  protection.issueTokens(req, res, (() => {}) as NextFunction);
  const token = req.csrfToken!();
  return { token, again: req.csrfToken!(), setCookies, session };
}

/** Whether a form post carrying `token` (cookie and field) is accepted by csrf-csrf's own validation. */
function accepted(protection: ReturnType<typeof csrfProtection>, token: string, session?: string): boolean {
  const cookies: Record<string, string> = { 'mt.csrf': token, ...(session ? { mt_session: session } : {}) };
  const req = { method: 'POST', cookies, signedCookies: {}, body: { _csrf: token }, get: () => undefined };
  return protection.validateRequest(req as unknown as Request);
}

describe('CSRF tokens minted for a visitor without the cookie (csrf.ts mintToken)', () => {
  const protection = csrfProtection({ keys: csrfKeys(KEY, [], 't'), secure: false });

  it('are csrf-csrf tokens: accepted by the library, for that session only, and by no other key', () => {
    const anonymous = firstVisit(protection);
    expect(anonymous.token).to.match(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    expect(accepted(protection, anonymous.token)).to.equal(true);
    expect(accepted(protection, anonymous.token, 'session-1')).to.equal(false);
    const bound = firstVisit(protection, 'session-1');
    expect(accepted(protection, bound.token, 'session-1')).to.equal(true);
    expect(accepted(protection, bound.token)).to.equal(false);
    const other = csrfProtection({ keys: csrfKeys('o'.repeat(64), [], 't'), secure: false });
    expect(accepted(other, anonymous.token)).to.equal(false);
  });

  it('one token and one Set-Cookie per response, as the library would write it (Secure and __Host- over HTTPS)', () => {
    const visit = firstVisit(protection);
    expect(visit.again).to.equal(visit.token);
    expect(visit.setCookies).to.deep.equal([`mt.csrf=${visit.token}; Path=/; HttpOnly; SameSite=Lax`]);
    const secure = firstVisit(csrfProtection({ keys: csrfKeys(KEY, [], 't'), secure: true }));
    expect(secure.setCookies).to.deep.equal([`__Host-mt.csrf=${secure.token}; Path=/; HttpOnly; Secure; SameSite=Lax`]);
  });

  it('every visitor gets a different random value; the pool never hands out the same bytes twice', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => firstVisit(protection).token.split('.')[1]));
    expect(tokens.size).to.equal(1_000);
    const pool = new RandomPool(4, 3); // refilled every 3 values
    const values = Array.from({ length: 12 }, () => pool.hex());
    expect(values.every((v) => /^[0-9a-f]{8}$/.test(v))).to.equal(true);
    expect(new Set(values).size).to.equal(12);
  });
});
