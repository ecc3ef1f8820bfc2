import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { User } from '../accounts/model.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { clientErrorOf } from './framework-errors.js';
import { idParams } from './inputs.js';

/** The user the bearer token resolved to (set by the auth middleware), or undefined for anonymous requests. */
export const currentUser = (res: Response): User | undefined => res.locals.user as User | undefined;

/** The token of an `Authorization: Bearer …` header, or undefined. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;

export function requireUser(res: Response): User {
  const user = currentUser(res);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Please log in first.');
  return user;
}

/** Where a piece of request input came from, so that a refusal names the right place. */
export type InputLocation = 'path' | 'query' | 'body' | 'header';

/**
 * Parses request input with a zod schema; a failure is a 400 naming the place and the fields
 * (`path.id: not a valid id`), and nothing is written.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: InputLocation): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ in: where, field: i.path.join('.'), message: i.message }));
    const text = fields.map((f) => `${f.field ? `${where}.${f.field}` : where}: ${f.message}`).join('; ');
    throw new DomainError('VALIDATION_FAILED', text, { fields });
  }
  return result.data;
}

/** The route's `:id`, validated (`path.id: not a valid id` when malformed). */
export const pathId = (req: Request): string => parseInput(idParams, req.params, 'path').id;

export function limit(limiter: RateLimiter, key: string): void {
  const retryAfter = limiter.take(key);
  if (retryAfter > 0) {
    throw new DomainError('RATE_LIMITED', `Too many attempts; try again in ${retryAfter} s.`, { retryAfter });
  }
}

/**
 * Every error becomes `{ error: { code, message, details?, requestId } }` with the code's status; internals are never
 * leaked. The request id is the one in the request's log line, so a report of an error leads to its logs.
 */
export function jsonErrors(log: Log) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = String(req.id);
    const refusal = isDomainError(error) ? error : clientErrorOf(error);
    if (!refusal) {
      log('unhandled API error', error, { reqId: requestId, method: req.method, path: req.path });
      res.status(500).json({
        error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.', requestId },
      });
      return;
    }
    if (refusal.code === 'RATE_LIMITED') res.setHeader('Retry-After', String(refusal.details?.retryAfter ?? 60));
    else if (typeof refusal.details?.retryAfter === 'number')
      res.setHeader('Retry-After', String(refusal.details.retryAfter));
    if (refusal.code === 'METHOD_NOT_ALLOWED') res.setHeader('Allow', String(refusal.details?.allow ?? ''));
    const { code, message, details } = refusal;
    res.status(refusal.status).json({ error: { code, message, details, requestId } });
  };
}
