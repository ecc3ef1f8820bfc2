import { z } from 'zod';

/** Ids in URLs and bodies: a bounded, path-safe alphabet, so a malformed id is a 400 and never a lookup. */
export const idSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9_.-]+$/, 'not a valid id');

/** A route's `:id` parameter. */
export const idParams = z.object({ id: idSchema });
