/**
 * The claims of a signed token, defined once: their order, types and limits. The TypeScript type, the encoder (used
 * when signing) and the decoder (used after the MAC has been verified) all derive from that one definition.
 *
 * The encoded form is the values in order joined by `~` — no field names, no JSON, no base64: a token is checked on
 * every hold and every poll, where a JSON parse and a schema walk cost more than the MAC itself once the code has
 * gone cold. Ids are restricted to an alphabet without `~` (and safe in cookies, URLs and JSON), so the encoding is
 * unambiguous; the encoder refuses anything else rather than sign it.
 */
export type ClaimField =
  | { readonly type: 'id'; readonly max: number }
  | { readonly type: 'int'; readonly min: number }
  | { readonly type: 'flag' };

/** An account, event or token id of up to `max` characters from `[A-Za-z0-9_.:-]`. */
export const id = (max: number) => ({ type: 'id', max }) as const;
/** A safe integer of at least `min`. */
export const int = (min = Number.MIN_SAFE_INTEGER) => ({ type: 'int', min }) as const;
export const flag = { type: 'flag' } as const;

type ValueOf<F extends ClaimField> = F extends { type: 'flag' } ? boolean : F extends { type: 'int' } ? number : string;
export type ClaimsOf<S extends Readonly<Record<string, ClaimField>>> = { readonly [K in keyof S]: ValueOf<S[K]> };

export interface ClaimsCodec<C> {
  /** The claims' text; throws (a bug, not bad input) for claims outside the definition. */
  encode(claims: C): string;
  /** The claims, or undefined when the text does not match the definition exactly. */
  decode(text: string): C | undefined;
}
/** The claims type a codec encodes. */
export type ClaimsIn<T> = T extends ClaimsCodec<infer C> ? C : never;

const SEPARATOR = '~';

/** The values of one decoded text in definition order, handed to a codec's `build` (read at once, never kept). */
export type ClaimValues = readonly (string | number | boolean)[];

/**
 * `build`, for a codec on a hot path: the claims object from the values as one object literal, so every decoded token
 * has the same shape from its allocation on — no property added one by one through a store that sees every name (on
 * cold caches that alone cost 6–7 µs per token, docs/benchmarks.md, gate cost, eighth look). It must list the fields
 * in definition order: the codec checks that once, when it is made. Without it, the claims are a copy of a template
 * with every field, filled in.
 */
export function claimsCodec<const S extends Readonly<Record<string, ClaimField>>>(
  shape: S,
  build?: (values: ClaimValues) => ClaimsOf<S>,
): ClaimsCodec<ClaimsOf<S>> {
  const fields = Object.entries(shape);
  const names = fields.map(([name]) => name);
  if (build) checkBuildOrder(names, build);
  const template = Object.fromEntries(fields.map(([name, field]) => [name, emptyValue(field)]));
  const values: (string | number | boolean)[] = new Array(fields.length);
  const fromTemplate = (): ClaimsOf<S> => {
    const claims: Record<string, unknown> = { ...template };
    for (let i = 0; i < names.length; i++) claims[names[i]!] = values[i];
    return claims as ClaimsOf<S>;
  };
  return {
    encode(claims) {
      const given = claims as Readonly<Record<string, unknown>>;
      if (Object.keys(given).length !== fields.length) throw new RangeError('claims outside the token definition');
      return fields
        .map(([name, field]) => {
          const text = encodeValue(field, given[name]);
          if (text === undefined || decodeValue(field, text) === undefined)
            throw new RangeError(`claim ${name} cannot be signed: ${String(given[name])}`);
          return text;
        })
        .join(SEPARATOR);
    },
    decode(text) {
      // One pass over the text, no split and no regular expression: this runs on every gated hold, caches cold.
      let start = 0;
      for (let i = 0; i < fields.length; i++) {
        const end = i === fields.length - 1 ? text.length : text.indexOf(SEPARATOR, start);
        if (end < 0) return undefined;
        const value = decodeValueAt(fields[i]![1], text, start, end);
        if (value === undefined) return undefined;
        values[i] = value;
        start = end + 1;
      }
      return build ? build(values) : fromTemplate();
    },
  };
}

/** A builder that misplaces a field would swap claims (an event id read as the account): refused when it is made. */
function checkBuildOrder(names: readonly string[], build: (values: ClaimValues) => object): void {
  const built = build(names) as Readonly<Record<string, unknown>>;
  const keys = Object.keys(built);
  if (keys.length !== names.length || names.some((name, i) => built[name] !== name || keys[i] !== name))
    throw new Error(`claims builder does not follow the definition order ${names.join(', ')}`);
}

function emptyValue(field: ClaimField): string | number | boolean {
  return field.type === 'id' ? '' : field.type === 'int' ? 0 : false;
}

function encodeValue(field: ClaimField, value: unknown): string | undefined {
  if (field.type === 'flag') return typeof value === 'boolean' ? (value ? '1' : '0') : undefined;
  if (field.type === 'int') return Number.isSafeInteger(value) ? String(value) : undefined;
  return typeof value === 'string' ? value : undefined;
}

function decodeValue(field: ClaimField, text: string): string | number | boolean | undefined {
  return decodeValueAt(field, text, 0, text.length);
}

/** `[A-Za-z0-9_.:-]`, by character code. */
const ID_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-') ID_CHAR[c.charCodeAt(0)] = 1;
const ZERO = 0x30;
const ONE = 0x31;
const MINUS = 0x2d;
/** Digits of the longest integer written: every safe integer has at most 16. */
const MAX_DIGITS = 16;

/**
 * The value of `text[start, end)` under `field`, or undefined: an id of 1 to `max` characters of `[A-Za-z0-9_.:-]`
 * (so never the separator); an integer in canonical decimal (`0`, or an optional minus, a digit 1–9 and up to 15 more
 * digits), safe and ≥ `min`; a flag `1` or `0`. Character codes, not regular expressions.
 */
function decodeValueAt(
  field: ClaimField,
  text: string,
  start: number,
  end: number,
): string | number | boolean | undefined {
  const length = end - start;
  switch (field.type) {
    case 'id': {
      if (length < 1 || length > field.max) return undefined;
      for (let i = start; i < end; i++) if (ID_CHAR[text.charCodeAt(i)] !== 1) return undefined;
      return text.slice(start, end);
    }
    case 'int': {
      const negative = length > 1 && text.charCodeAt(start) === MINUS;
      const first = negative ? start + 1 : start;
      const digits = end - first;
      if (digits < 1 || digits > MAX_DIGITS) return undefined;
      if (text.charCodeAt(first) === ZERO && (digits > 1 || negative)) return undefined;
      let value = 0;
      for (let i = first; i < end; i++) {
        const digit = text.charCodeAt(i) - ZERO;
        if (digit < 0 || digit > 9) return undefined;
        value = value * 10 + digit;
      }
      if (negative) value = -value;
      return Number.isSafeInteger(value) && value >= field.min ? value : undefined;
    }
    case 'flag': {
      const c = text.charCodeAt(start);
      return length !== 1 ? undefined : c === ONE ? true : c === ZERO ? false : undefined;
    }
  }
}
