import { createHmac } from 'node:crypto';
import type { ClaimsCodec } from './compact-claims.js';
import { HmacSha256Check } from './hmac-sha256.js';

/**
 * Compact HMAC-SHA256 tokens: `<kind>.<claims>.<base64url(MAC)>`, the claims in the fixed-order text of their
 * `ClaimsCodec`. The kind is part of the MAC input, so one kind can never be passed off as another (a queue ticket is
 * not an admission token). Signing and verifying do no I/O: the key comes from configuration.
 *
 * Verifying is one HMAC and a constant-time comparison of its text (`HmacSha256Check`: plain JavaScript, as the hold
 * path meets it with cold caches), then the claims are decoded — only from a body this key signed. The MAC has a
 * fixed length, so the claims need no escaping (an event id may contain dots).
 */
export const TOKEN_KINDS = { admission: 'mta2', ticket: 'mtq2' } as const;
export type TokenKind = keyof typeof TOKEN_KINDS;

/** 256-bit keys and nothing shorter: the key is the only thing standing between a forger and the front of the line. */
export const MIN_KEY_BYTES = 32;
/** base64url of a 32-byte HMAC-SHA256, unpadded. */
const MAC_CHARS = 43;
const MAX_TOKEN_CHARS = 1024;

export class TokenSigner {
  private readonly key: Buffer;
  /** The signing key's check, then the other accepted keys' (each with its pads compressed once). */
  private readonly checks: readonly HmacSha256Check[];

  /**
   * `key` signs and verifies; `alsoAccepted` only verifies: during a key rotation the value being rolled out and the
   * one it replaces, so a token signed by an instance on the other key (or before the rotation) stays valid. They are
   * tried only after the signing key's MAC did not match, so the common path is still one HMAC.
   */
  constructor(key: Buffer, alsoAccepted: readonly Buffer[] = []) {
    for (const k of [key, ...alsoAccepted]) {
      if (k.length < MIN_KEY_BYTES) throw new RangeError(`token key must be at least ${MIN_KEY_BYTES} bytes`);
    }
    this.key = Buffer.from(key);
    this.checks = [key, ...alsoAccepted.filter((k) => !k.equals(key))].map((k) => new HmacSha256Check(Buffer.from(k)));
  }

  sign<C>(kind: TokenKind, claims: C, codec: ClaimsCodec<C>): string {
    return this.seal(kind, codec.encode(claims));
  }

  /** Signs a body as it is: what `sign` does after encoding the claims. */
  seal(kind: TokenKind, body: string): string {
    const signed = `${TOKEN_KINDS[kind]}.${body}`;
    return `${signed}.${mac(this.key, signed)}`;
  }

  /** The claims when the token is of this kind, unaltered and its body matches the codec; otherwise undefined. */
  open<C>(kind: TokenKind, token: string, codec: ClaimsCodec<C>): C | undefined {
    const prefix = TOKEN_KINDS[kind];
    const macAt = token.length - MAC_CHARS;
    if (token.length > MAX_TOKEN_CHARS || macAt <= prefix.length + 1) return undefined;
    if (!token.startsWith(prefix) || token[prefix.length] !== '.' || token[macAt - 1] !== '.') return undefined;
    const signed = token.slice(0, macAt - 1);
    const given = token.slice(macAt);
    for (const check of this.checks) {
      if (check.matches(signed, given)) return codec.decode(signed.slice(prefix.length + 1));
    }
    return undefined;
  }
}

function mac(key: Buffer, signed: string): string {
  return createHmac('sha256', key).update(signed).digest('base64url');
}

/** Keys travel as base64url/base64 text (ADMISSION_KEY); anything that does not decode to ≥ 32 bytes is refused. */
export function decodeKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64url');
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`a token key must decode to at least ${MIN_KEY_BYTES} bytes`);
  return key;
}
