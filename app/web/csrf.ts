import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';
import { sessionToken } from './session.js';

/**
 * CSRF protection for every state-changing request (csrf-csrf: a maintained double-submit-cookie implementation).
 * The token is an HMAC over a random value and the session identifier, so a token minted for one session (or for
 * an anonymous visitor) is refused after login; forms carry it as `_csrf`, htmx requests as `X-CSRF-Token`.
 */
export function csrfProtection(options: { secret?: string; secure: boolean }) {
  const secret = options.secret ?? randomBytes(32).toString('hex');
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => sessionToken(req) ?? '',
    cookieName: options.secure ? '__Host-mt.csrf' : 'mt.csrf',
    cookieOptions: { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
    },
  });
}
