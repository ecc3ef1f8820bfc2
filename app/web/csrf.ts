import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';
import { csrfKeys, type CsrfKeys } from './csrf-keys.js';
import { sessionToken } from './session.js';

/**
 * CSRF protection for every state-changing request (csrf-csrf: a maintained double-submit-cookie implementation).
 * The token is an HMAC over a random value and the session identifier, so a token minted for one session (or for
 * an anonymous visitor) is refused after login; forms carry it as `_csrf`, htmx requests as `X-CSRF-Token`.
 *
 * The keys are shared by every web instance of the deployment (`csrf-keys.ts`); without them (local runs and tests
 * only: config refuses production without a key) each process invents its own and accepts only its own tokens.
 */
export function csrfProtection(options: { keys?: CsrfKeys; secure: boolean }) {
  const keys = options.keys ?? csrfKeys(randomBytes(32).toString('hex'), [], 'per-process key');
  // csrf-csrf signs with the first secret and accepts a token that verifies under any of them.
  const secrets = [keys.signing, ...keys.alsoAccepted];
  return doubleCsrf({
    getSecret: () => secrets,
    getSessionIdentifier: (req: Request) => sessionToken(req) ?? '',
    cookieName: options.secure ? '__Host-mt.csrf' : 'mt.csrf',
    cookieOptions: { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
    },
  });
}
