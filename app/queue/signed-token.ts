import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/**
 * Compact HMAC-SHA256 tokens: `<kind>.<base64url(JSON claims)>.<base64url(MAC)>`. The kind is part of the MAC input,
 * so one kind can never be passed off as another (a queue ticket is not an admission token). Signing and verifying
 * do no I/O: the key comes from configuration, the check is a MAC and a schema.
 */
export const TOKEN_KINDS = { admission: 'mta1', ticket: 'mtq1' } as const;
export type TokenKind = keyof typeof TOKEN_KINDS;

/** 256-bit keys and nothing shorter: the key is the only thing standing between a forger and the front of the line. */
export const MIN_KEY_BYTES = 32;

export class TokenSigner {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length < MIN_KEY_BYTES) throw new RangeError(`token key must be at least ${MIN_KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  sign(kind: TokenKind, claims: object): string {
    const body = `${TOKEN_KINDS[kind]}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims when the token is well formed, of this kind, unaltered and matches the schema; otherwise undefined. */
  open<S extends z.ZodType>(kind: TokenKind, token: string, schema: S): z.output<S> | undefined {
    if (token.length > 1024) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== TOKEN_KINDS[kind]) return undefined;
    const [prefix, payload, mac] = parts as [string, string, string];
    const expected = this.mac(`${prefix}.${payload}`);
    const given = Buffer.from(mac, 'base64url');
    // Compared in constant time (and only at the right length, which is public), so the MAC cannot be probed.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = schema.safeParse(claims);
    return parsed.success ? parsed.data : undefined;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}

/** Keys travel as base64url/base64 text (ADMISSION_KEY); anything that does not decode to ≥ 32 bytes is refused. */
export function decodeKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64url');
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`a token key must decode to at least ${MIN_KEY_BYTES} bytes`);
  return key;
}
