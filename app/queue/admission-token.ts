import type { EpochMs } from '../shared/time.js';
import { claimsCodec, id, int, type ClaimsIn } from './compact-claims.js';
import { TOKEN_KINDS, type TokenSigner } from './signed-token.js';

/**
 * The admission token: proof that the waiting room let this account in for this event. It is bound to the account
 * (not a device or request id), short-lived, and names the admission item (`tid`) that the hold transaction checks.
 *
 * - `sub`: the account; `evt`: the event (performance) whose queue admitted it;
 * - `pos`, `ep`: the place in line that was admitted, and the writer epoch that issued it;
 * - `iat`, `exp`: issued at, expires at (epoch ms);
 * - `tid`: token id — the admission item carries it, so a token from an earlier admission of the same account is dead.
 */
export const ADMISSION_CLAIMS = claimsCodec(
  { sub: id(100), evt: id(120), pos: int(1), ep: int(1), iat: int(), exp: int(), tid: id(64) },
  // Read on every gated hold: one literal, in the order above (checked when the codec is made).
  (v) => ({
    sub: v[0] as string,
    evt: v[1] as string,
    pos: v[2] as number,
    ep: v[3] as number,
    iat: v[4] as number,
    exp: v[5] as number,
    tid: v[6] as string,
  }),
);
export type AdmissionClaims = ClaimsIn<typeof ADMISSION_CLAIMS>;

export const ADMISSION_REFUSALS = ['MALFORMED', 'WRONG_ACCOUNT', 'WRONG_EVENT', 'EXPIRED'] as const;
export type AdmissionRefusal = (typeof ADMISSION_REFUSALS)[number];

export type AdmissionCheck =
  { readonly ok: true; readonly claims: AdmissionClaims } | { readonly ok: false; readonly reason: AdmissionRefusal };

/**
 * What a token says, WITHOUT verifying it (anyone can read a token's claims; only its MAC protects them): for tools
 * and tests that take a token apart. Never a check — that is `checkAdmission`.
 */
export function unverifiedAdmissionClaims(token: string): AdmissionClaims | undefined {
  return ADMISSION_CLAIMS.decode(token.slice(TOKEN_KINDS.admission.length + 1, token.lastIndexOf('.')));
}

export function signAdmission(signer: TokenSigner, claims: AdmissionClaims): string {
  return signer.sign('admission', claims, ADMISSION_CLAIMS);
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
  const claims = signer.open('admission', token, ADMISSION_CLAIMS);
  // Forged, tampered, truncated and other-kind tokens all land here: they say nothing worth distinguishing.
  if (!claims) return { ok: false, reason: 'MALFORMED' };
  if (claims.sub !== expected.userId) return { ok: false, reason: 'WRONG_ACCOUNT' };
  if (claims.evt !== expected.eventId) return { ok: false, reason: 'WRONG_EVENT' };
  if (expected.now >= claims.exp + (expected.graceMs ?? 0)) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims };
}
