import { expect } from 'chai';
import { claimsCodec, flag, id, int } from '../../../app/queue/compact-claims.js';

const SHAPE = { sub: id(10), pos: int(1), at: int(), ok: flag } as const;
const codec = claimsCodec(SHAPE);
// The same definition with a builder (as hot-path codecs have): every decode must equal the template's.
const built = claimsCodec(SHAPE, (v) => ({
  sub: v[0] as string,
  pos: v[1] as number,
  at: v[2] as number,
  ok: v[3] as boolean,
}));

// The definition as regular expressions (the decoder's earlier form), the oracle for the character-code decoder.
const ID = /^[A-Za-z0-9_.:-]+$/;
const INTEGER = /^(?:0|-?[1-9][0-9]{0,15})$/;
const oracle = (sub: string, pos: string, at: string, ok: string) => {
  const p = INTEGER.test(pos) ? Number(pos) : Number.NaN;
  const a = INTEGER.test(at) ? Number(at) : Number.NaN;
  if (!(sub.length <= 10 && ID.test(sub))) return undefined;
  if (!(Number.isSafeInteger(p) && p >= 1) || !Number.isSafeInteger(a)) return undefined;
  if (ok !== '1' && ok !== '0') return undefined;
  return { sub, pos: p, at: a, ok: ok === '1' };
};

describe('queue/compact-claims (fixed-order claims text, decoded by character code)', () => {
  it('round trip: encoded claims decode to the same claims, the extremes of every field included', () => {
    for (const claims of [
      { sub: 'a', pos: 1, at: 0, ok: true },
      { sub: 'u_1.x:y-Z9', pos: Number.MAX_SAFE_INTEGER, at: Number.MIN_SAFE_INTEGER, ok: false },
      { sub: 'ABCDEFGHIJ', pos: 42, at: -1, ok: true },
      { sub: '0', pos: 1_000_000_000_000_000, at: 1_764_480_000_000, ok: false },
    ]) {
      expect(codec.decode(codec.encode(claims))).to.deep.equal(claims);
    }
  });

  it('agrees with the regular-expression definition on every field text of an edge-case corpus', () => {
    const ids = ['', 'a', 'a'.repeat(10), 'a'.repeat(11), 'a b', 'a~b', 'é', 'a\n', '-', '.:_', '\u{1F3AB}', 'Z9'];
    const ints = ['0', '-0', '00', '01', '1', '-1', '-', '--1', '+1', '1.5', '1e3', ' 1', '1 ', 'x', '', '٣']
      .concat(['9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740991', '-9007199254740992'])
      .concat(['1'.repeat(16), '1'.repeat(17), '9'.repeat(16), `-${'9'.repeat(16)}`, '1234567890123456']);
    const flags = ['0', '1', '', '2', '10', 'true', '-'];
    let checked = 0;
    for (const sub of ids) {
      for (const pos of ints) {
        for (const at of ints) {
          for (const ok of flags) {
            const text = [sub, pos, at, ok].join('~');
            expect(codec.decode(text), JSON.stringify(text)).to.deep.equal(oracle(sub, pos, at, ok));
            expect(built.decode(text), JSON.stringify(text)).to.deep.equal(oracle(sub, pos, at, ok));
            checked++;
          }
        }
      }
    }
    expect(checked).to.be.greaterThan(10_000);
  });

  it('truncated, extended or re-separated texts decode to nothing', () => {
    const text = codec.encode({ sub: 'user', pos: 7, at: 123, ok: true });
    for (let cut = 0; cut < text.length; cut++) {
      const truncated = text.slice(0, cut);
      expect(codec.decode(truncated), truncated).to.equal(undefined);
    }
    expect(codec.decode(`${text}~`)).to.equal(undefined);
    expect(codec.decode(`${text}~1`)).to.equal(undefined);
    expect(codec.decode(`~${text}`)).to.equal(undefined);
    expect(codec.decode(text.replace('~7~', '~7~~'))).to.equal(undefined);
    expect(codec.decode(text.replace('~7~', '~'))).to.equal(undefined);
  });

  it('the encoder refuses claims the decoder would not read back (nothing outside the definition is signed)', () => {
    expect(() => codec.encode({ sub: 'a~b', pos: 1, at: 0, ok: true })).to.throw(RangeError);
    expect(() => codec.encode({ sub: 'a', pos: 0, at: 0, ok: true })).to.throw(RangeError);
    expect(() => codec.encode({ sub: 'a', pos: 1.5, at: 0, ok: true })).to.throw(RangeError);
    expect(() => codec.encode({ sub: 'a'.repeat(11), pos: 1, at: 0, ok: true })).to.throw(RangeError);
  });

  it('decoded claims keep the definition order and fresh objects: a later decode does not change an earlier result', () => {
    const first = built.decode(codec.encode({ sub: 'first', pos: 1, at: 2, ok: true }))!;
    const second = built.decode(codec.encode({ sub: 'second', pos: 3, at: 4, ok: false }))!;
    expect(first).to.deep.equal({ sub: 'first', pos: 1, at: 2, ok: true });
    expect(Object.keys(second)).to.deep.equal(['sub', 'pos', 'at', 'ok']);
    expect(Object.keys(codec.decode(codec.encode(second))!)).to.deep.equal(['sub', 'pos', 'at', 'ok']);
  });

  it('a builder that misplaces, drops or adds a field is refused when the codec is made (claims never swapped)', () => {
    const swapped = (v: readonly unknown[]) => ({
      sub: v[0] as string,
      pos: v[2] as number,
      at: v[1] as number,
      ok: v[3] as boolean,
    });
    const reordered = (v: readonly unknown[]) => ({
      pos: v[1] as number,
      sub: v[0] as string,
      at: v[2] as number,
      ok: v[3] as boolean,
    });
    const dropped = (v: readonly unknown[]) =>
      ({ sub: v[0] as string, pos: v[1] as number, at: v[2] as number }) as never;
    const added = (v: readonly unknown[]) => ({
      sub: v[0] as string,
      pos: v[1] as number,
      at: v[2] as number,
      ok: v[3] as boolean,
      x: 1,
    });
    for (const build of [swapped, reordered, dropped, added]) {
      expect(() => claimsCodec(SHAPE, build)).to.throw(/definition order/);
    }
  });
});
