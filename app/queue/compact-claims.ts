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
const ID = /^[A-Za-z0-9_.:-]+$/;
const INTEGER = /^(?:0|-?[1-9][0-9]{0,15})$/;

export function claimsCodec<const S extends Readonly<Record<string, ClaimField>>>(shape: S): ClaimsCodec<ClaimsOf<S>> {
  const fields = Object.entries(shape);
  return {
    encode(claims) {
      const values = claims as Readonly<Record<string, unknown>>;
      if (Object.keys(values).length !== fields.length) throw new RangeError('claims outside the token definition');
      return fields
        .map(([name, field]) => {
          const text = encodeValue(field, values[name]);
          if (text === undefined || decodeValue(field, text) === undefined)
            throw new RangeError(`claim ${name} cannot be signed: ${String(values[name])}`);
          return text;
        })
        .join(SEPARATOR);
    },
    decode(text) {
      const parts = text.split(SEPARATOR);
      if (parts.length !== fields.length) return undefined;
      const claims: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const [name, field] = fields[i]!;
        const value = decodeValue(field, parts[i]!);
        if (value === undefined) return undefined;
        claims[name] = value;
      }
      return claims as ClaimsOf<S>;
    },
  };
}

function encodeValue(field: ClaimField, value: unknown): string | undefined {
  if (field.type === 'flag') return typeof value === 'boolean' ? (value ? '1' : '0') : undefined;
  if (field.type === 'int') return Number.isSafeInteger(value) ? String(value) : undefined;
  return typeof value === 'string' ? value : undefined;
}

function decodeValue(field: ClaimField, text: string): string | number | boolean | undefined {
  switch (field.type) {
    case 'id':
      return text.length <= field.max && ID.test(text) ? text : undefined;
    case 'int': {
      const value = INTEGER.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(value) && value >= field.min ? value : undefined;
    }
    case 'flag':
      return text === '1' ? true : text === '0' ? false : undefined;
  }
}
