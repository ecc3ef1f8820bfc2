import type { Request, RequestHandler, Response } from 'express';
import type { User } from '../api/contracts.js';
import { SingleFlightCache } from '../shared/single-flight-cache.js';
import { systemClock } from '../shared/clock.js';
import { ApiError, type ApiClient, type CallContext } from './api-client.js';
import { HX } from './htmx.js';

/** The session cookie carries the API's opaque session token; the API resolves it (the web tier trusts nothing). */
export const SESSION_COOKIE = 'mt_session';

export function sessionToken(req: Request): string | undefined {
  const value = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

/** What every API call of this request carries: the user's token and the browser's address. */
export function callContext(req: Request): CallContext {
  return { token: sessionToken(req), clientIp: req.ip };
}

export function setSessionCookie(res: Response, token: string, expiresAt: number, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * Puts the logged-in user (or undefined) into `res.locals.user` for the header. Resolved by the API and kept per
 * token for a few seconds in this instance, so a page view does not cost a session read; logging out through this
 * instance forgets the token at once, and every action is still authorised by the API itself.
 */
export function currentUser(api: ApiClient, cookieSecure: boolean, ttlMs = 15_000) {
  // Past two thirds of its life a user is refreshed in the background, so someone active (a chat message every few
  // seconds) never waits for the session read, and nobody is shown as logged in longer than `ttlMs` after logout.
  const cache = new SingleFlightCache<User | undefined>(systemClock, ttlMs, {
    maxEntries: 20_000,
    refreshAfterMs: (ttlMs * 2) / 3,
  });
  const middleware: RequestHandler = async (req, res, next) => {
    const token = sessionToken(req);
    if (!token) return next();
    try {
      res.locals.user = await cache.get(token, async () => {
        try {
          return (await api.me(callContext(req))).user;
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) return undefined;
          throw error;
        }
      });
      if (!res.locals.user) clearSessionCookie(res, cookieSecure);
    } catch {
      res.locals.user = undefined; // the API is unreachable: render the page as anonymous rather than fail it
    }
    next();
  };
  return { middleware, forget: (token: string) => cache.delete(token) };
}

/** Only same-site paths are followed after login, so `next` cannot send anyone elsewhere. */
export function safeNext(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 500 ? value : fallback;
}

/** Sends the browser to the login page and back to `next` afterwards; htmx requests get HX-Redirect. */
export function redirectToLogin(req: Request, res: Response, next: string): void {
  const location = `/login?next=${encodeURIComponent(safeNext(next))}`;
  if (req.get(HX.request) === 'true') {
    res.setHeader(HX.redirect, location).status(204).end();
    return;
  }
  res.redirect(303, location);
}

/** For pages that need a user: anonymous visitors go to the login page and come back here after. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (sessionToken(req) && res.locals.user) return next();
  redirectToLogin(req, res, req.method === 'GET' ? req.originalUrl : (req.get('referer') ?? '/'));
};
