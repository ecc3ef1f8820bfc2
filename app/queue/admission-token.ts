import { z } from 'zod';
import type { EpochMs } from '../shared/time.js';
import type { TokenSigner } from './signed-token.js';

/**
 * The admission token: proof that the waiting room let this account in for this event. It is bound to the account
 * (not a device or request id), short-lived, and names the admission item (`tid`) that the hold transaction checks.
 */
export interface AdmissionClaims {
  /** The account. */
  readonly sub: string;
  /** The event (performance) whose queue admitted it. */
  readonly evt: string;
  /** The place in line that was admitted, and the writer epoch that issued it. */
  readonly pos: number;
  readonly ep: number;
  readonly iat: EpochMs;
  readonly exp: EpochMs;
  /** Token id: the admission item carries it, so a token from an earlier admission of the same account is dead. */
  readonly tid: string;
}

const claimsSchema = z.strictObject({
  sub: z.string().min(1).max(100),
  evt: z.string().min(1).max(120),
  pos: z.number().int().positive(),
  ep: z.number().int().positive(),
  iat: z.number().int(),
  exp: z.number().int(),
  tid: z.string().min(1).max(64),
});

export const ADMISSION_REFUSALS = ['MALFORMED', 'WRONG_ACCOUNT', 'WRONG_EVENT', 'EXPIRED'] as const;
export type AdmissionRefusal = (typeof ADMISSION_REFUSALS)[number];

export type AdmissionCheck =
  { readonly ok: true; readonly claims: AdmissionClaims } | { readonly ok: false; readonly reason: AdmissionRefusal };

export function signAdmission(signer: TokenSigner, claims: AdmissionClaims): string {
  return signer.sign('admission', claims);
}

/**
 * Verifies a token for one account and event at `now` without any I/O. `graceMs` extends the expiry for a confirm:
 * a hold placed in the last minute of an admission may still be paid while the hold itself is live.
 */
export function checkAdmission(
  signer: TokenSigner,
  token: string,
  expected: { readonly userId: string; readonly eventId: string; readonly now: EpochMs; readonly graceMs?: number },
): AdmissionCheck {
  const claims = signer.open('admission', token, claimsSchema);
  // Forged, tampered, truncated and other-kind tokens all land here: they say nothing worth distinguishing.
  if (!claims) return { ok: false, reason: 'MALFORMED' };
  if (claims.sub !== expected.userId) return { ok: false, reason: 'WRONG_ACCOUNT' };
  if (claims.evt !== expected.eventId) return { ok: false, reason: 'WRONG_EVENT' };
  if (expected.now >= claims.exp + (expected.graceMs ?? 0)) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims };
}
