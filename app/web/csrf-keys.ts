/**
 * The keys the web tier's CSRF tokens are HMACs of. Every web instance of a deployment — both regions — must hold the
 * same ones, or a form rendered by one instance is refused by the next (403). One key signs new tokens; the others are
 * still accepted, so a key can be rotated without logging anyone out: the next key is accepted everywhere before any
 * instance signs with it, and the previous one stays accepted afterwards (docs/infrastructure.md, "CSRF key").
 */
export interface CsrfKeys {
  /** Signs every new token (and is accepted). */
  readonly signing: string;
  /** Accepted for tokens already handed out or about to be: the next key during a rotation, the previous one after. */
  readonly alsoAccepted: readonly string[];
}

/** An HMAC-SHA256 key: shorter ones are guessable offline from a single token. */
export const CSRF_KEY_MIN_LENGTH = 32;

/** A key that cannot protect anything (too short): the web tier refuses to start with it. */
export class CsrfKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrfKeyError';
  }
}

/** Validates and de-duplicates; `source` names where the keys came from, for the refusal message. */
export function csrfKeys(signing: string, alsoAccepted: readonly (string | undefined)[], source: string): CsrfKeys {
  const others = [...new Set(alsoAccepted.filter((k): k is string => k !== undefined && k !== signing))];
  for (const key of [signing, ...others]) {
    if (key.length < CSRF_KEY_MIN_LENGTH) {
      throw new CsrfKeyError(`${source}: a CSRF key must be at least ${CSRF_KEY_MIN_LENGTH} characters`);
    }
  }
  return { signing, alsoAccepted: others };
}
