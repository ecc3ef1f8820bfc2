import { z } from 'zod';

/** Account inputs, validated once here for the API (and later the web forms). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email is too long.')
  .pipe(z.email('Enter a valid email address.'));

export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters.')
  .max(128, 'Password must be at most 128 characters.');

/**
 * Shown to people (and later to the assistant), so it may not carry control characters (TAB, NUL, DEL, C1), line or
 * paragraph separators, bidirectional overrides that reorder what others see, or unpaired surrogates.
 */
const UNSHOWABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

export const displayNameSchema = z
  .string()
  .refine((name) => !UNSHOWABLE.test(name), 'must not contain control or bidirectional-override characters')
  .trim()
  .min(1)
  .max(40);

export const signupSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
});

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(128),
});

export type SignupInput = z.infer<typeof signupSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
