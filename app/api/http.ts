import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { User } from '../accounts/model.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { RateLimiter } from '../shared/rate-limiter.js';

/** The user the bearer token resolved to (set by the auth middleware), or undefined for anonymous requests. */
export const currentUser = (res: Response): User | undefined => res.locals.user as User | undefined;

export function requireUser(res: Response): User {
  const user = currentUser(res);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Please log in first.');
  return user;
}

/** Parses request input with a zod schema; a failure is a 400 naming the fields, and nothing is written. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new DomainError('VALIDATION_FAILED', fields.map((f) => `${f.field || 'body'}: ${f.message}`).join('; '), {
      fields,
    });
  }
  return result.data;
}

export function limit(limiter: RateLimiter, key: string): void {
  const retryAfter = limiter.take(key);
  if (retryAfter > 0) {
    throw new DomainError('RATE_LIMITED', `Too many attempts; try again in ${retryAfter} s.`, { retryAfter });
  }
}

/** Every error becomes `{ error: { code, message, details? } }` with the code's status; internals are never leaked. */
export function jsonErrors(log: (message: string, error: unknown) => void) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (isDomainError(error)) {
      if (error.code === 'RATE_LIMITED') res.setHeader('Retry-After', String(error.details?.retryAfter ?? 60));
      else if (typeof error.details?.retryAfter === 'number')
        res.setHeader('Retry-After', String(error.details.retryAfter));
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } });
      return;
    }
    if (status === 400) {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } });
      return;
    }
    log('unhandled API error', error);
    res
      .status(500)
      .json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' } });
  };
}
