import { createHmac, randomBytes, randomFillSync } from 'node:crypto';
import { doubleCsrf, type CsrfRequestMethod } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import { csrfKeys, type CsrfKeys } from './csrf-keys.js';
import { sessionToken } from './session.js';

/** Random bytes per token: csrf-csrf's default size, so a minted token is indistinguishable from one of its own. */
const RANDOM_BYTES = 32;

/** Requests that change nothing, so carry no token (csrf-csrf's `ignoredMethods`). */
const SAFE_METHODS: CsrfRequestMethod[] = ['GET', 'HEAD', 'OPTIONS'];
const isSafe = (method: string) => (SAFE_METHODS as string[]).includes(method);

/**
 * CSRF protection for every state-changing request (csrf-csrf: a maintained double-submit-cookie implementation).
 * The token is an HMAC over a random value and the session identifier, so a token minted for one session (or for
 * an anonymous visitor) is refused after login; forms carry it as `_csrf`, htmx requests as `X-CSRF-Token`.
 *
 * The keys are shared by every web instance of the deployment (`csrf-keys.ts`); without them (local runs and tests
 * only: config refuses production without a key) each process invents its own and accepts only its own tokens.
 *
 * Two middlewares: `issueTokens` early (the shared-page fast path needs the visitor's token), `verifyTokens` after
 * compression (a 403 page is compressed like any other). csrf-csrf verifies every token and reuses a visitor's valid
 * cookie; a visitor without the cookie (every first page view) gets a new token from `mintToken` instead of the
 * library's generator: the same token, HMAC message and cookie, with the random value drawn from a pool refilled in
 * batches (one `randomBytes` call per token cost more than the HMAC) and the `Set-Cookie` value built directly.
 */
export function csrfProtection(options: { keys?: CsrfKeys; secure: boolean }) {
  const keys = options.keys ?? csrfKeys(randomBytes(32).toString('hex'), [], 'per-process key');
  // csrf-csrf signs with the first secret and accepts a token that verifies under any of them.
  const secrets = [keys.signing, ...keys.alsoAccepted];
  const cookieName = options.secure ? '__Host-mt.csrf' : 'mt.csrf';
  const sessionIdentifier = (req: Request) => sessionToken(req) ?? '';
  const library = doubleCsrf({
    getSecret: () => secrets,
    getSessionIdentifier: sessionIdentifier,
    cookieName,
    cookieOptions: { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' },
    ignoredMethods: SAFE_METHODS,
    getCsrfTokenFromRequest: (req: Request) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
    },
  });
  const random = new RandomPool(RANDOM_BYTES);
  // What csrf-csrf's `res.cookie` call writes for these options (the token is hex and a dot: nothing to encode).
  const cookieAttributes = `; Path=/; HttpOnly${options.secure ? '; Secure' : ''}; SameSite=Lax`;

  /** csrf-csrf's token for this request: `hmac.random`, the HMAC over `len!session!len!random`. */
  const mintToken = (req: Request): string => {
    const value = random.hex();
    const session = sessionIdentifier(req);
    const hmac = createHmac('sha256', keys.signing)
      .update(`${session.length}!${session}!${value.length}!${value}`)
      .digest('hex');
    return `${hmac}.${value}`;
  };

  /** Gives the request `req.csrfToken()`: the visitor's valid token, or a new one (and its cookie) when they have none. */
  const issueTokens: RequestHandler = (req, res, next) => {
    const hasCookie = cookieName in (req.cookies as Record<string, string>);
    req.csrfToken = hasCookie
      ? (tokenOptions) => library.generateCsrfToken(req, res, tokenOptions)
      : () => withCookie(res, cookieName, mintToken(req), cookieAttributes);
    next();
  };

  /** Refuses a state-changing request unless its token matches its cookie and verifies (403, EBADCSRFTOKEN). */
  const verifyTokens: RequestHandler = (req, res, next) => {
    if (isSafe(req.method) || library.validateRequest(req)) next();
    else next(library.invalidCsrfTokenError);
  };
  return {
    issueTokens,
    verifyTokens,
    mintToken,
    generateCsrfToken: library.generateCsrfToken,
    validateRequest: library.validateRequest,
  };
}

/** The first call per response sets the cookie; later calls in the same response return the same token. */
function withCookie(res: Response, name: string, token: string, attributes: string): string {
  const minted = res.locals.mintedCsrf as string | undefined;
  if (minted !== undefined) return minted;
  res.locals.mintedCsrf = token;
  res.append('Set-Cookie', `${name}=${token}${attributes}`);
  return token;
}

/**
 * Cryptographically random values read from a buffer refilled by one `randomFillSync` per 256 values: each byte is
 * handed out once, so a value is as unpredictable as `randomBytes(size)` would make it, at a fraction of the calls.
 */
export class RandomPool {
  private readonly pool: Buffer;
  private offset: number;

  constructor(
    private readonly size: number,
    count = 256,
  ) {
    this.pool = Buffer.alloc(size * count);
    this.offset = this.pool.length;
  }

  hex(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const value = this.pool.toString('hex', this.offset, this.offset + this.size);
    this.offset += this.size;
    return value;
  }
}
