import { createCipheriv, createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  LotteryCache,
  lotteryOrder,
  lotteryPlaces,
  newSeed,
  seedHashOf,
  seedMatches,
} from '../../../app/queue/lottery.js';
import { spearman } from '../../support/statistics.js';

const FIXED_SEED = 'a3f1c2d4e5b60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00';

/**
 * An independent re-implementation of the documented algorithm (docs/waiting-room.md), written the way an outside
 * auditor would from the text alone: if the two ever disagree, the published description no longer matches the code.
 */
function auditorOrder(seedHex: string, n: number): number[] {
  // The whole keystream the draw can need, at once: 4 bytes per swap plus room for rejected words.
  const keystream = createCipheriv('chacha20', Buffer.from(seedHex, 'hex'), Buffer.alloc(16)).update(
    Buffer.alloc(4 * n + 4096),
  );
  let offset = 0;
  const word = (): number => {
    const u = keystream.readUInt32BE(offset);
    offset += 4;
    return u;
  };
  const tickets = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const m = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % m);
    let u = word();
    while (u >= limit) u = word();
    const j = u % m;
    [tickets[i], tickets[j]] = [tickets[j]!, tickets[i]!];
  }
  return tickets;
}

/** RFC 8439 §2.4.2's test vector, so "ChaCha20" in the published description means the standard cipher. */
const RFC8439_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

describe('queue/lottery (pre-queue draw)', () => {
  it('commitment: the published hash is sha256 of the 32 seed bytes; only the matching seed verifies', () => {
    const { seed, seedHash } = newSeed();
    expect(seed).to.match(/^[0-9a-f]{64}$/);
    expect(seedHash).to.equal(createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex'));
    expect(seedMatches(seed, seedHash)).to.equal(true);
    expect(seedMatches(newSeed().seed, seedHash)).to.equal(false);
    expect(seedMatches('not hex', seedHash)).to.equal(false);
    expect(seedHashOf(FIXED_SEED)).to.not.equal(seedHashOf(FIXED_SEED.replace(/0$/, '1')));
  });

  it('the order is a permutation of tickets 1..N and reproducible from the seed alone', () => {
    const a = lotteryOrder(FIXED_SEED, 5_000);
    const b = lotteryOrder(FIXED_SEED, 5_000);
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect([...a].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 5_000 }, (_, i) => i + 1));
    expect(Array.from(lotteryOrder(newSeed().seed, 5_000))).to.not.deep.equal(Array.from(a));
  });

  it('the keystream is standard ChaCha20: the RFC 8439 §2.4.2 test vector encrypts to the published ciphertext', () => {
    // Key 00..1f, nonce 000000000000004a00000000, initial block counter 1 (little-endian in OpenSSL's 16-byte IV).
    const iv = Buffer.from('01000000' + '000000000000004a00000000', 'hex');
    const plaintext = Buffer.from(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    const ciphertext = createCipheriv('chacha20', RFC8439_KEY, iv).update(plaintext);
    expect(ciphertext.subarray(0, 16).toString('hex')).to.equal('6e2e359a2568f98041ba0728dd0d6981');
  });

  it('an auditor re-implementing the published description gets the same order', () => {
    for (const n of [1, 2, 3, 17, 1_000]) {
      expect(Array.from(lotteryOrder(FIXED_SEED, n)), `N=${n}`).to.deep.equal(auditorOrder(FIXED_SEED, n));
    }
  });

  it('places invert the order: ticket order[k] gets place k+1; the cache answers the same and refuses unknown tickets', () => {
    const order = lotteryOrder(FIXED_SEED, 300);
    const places = lotteryPlaces(FIXED_SEED, 300);
    const cache = new LotteryCache();
    order.forEach((ticket, k) => {
      expect(places[ticket]).to.equal(k + 1);
      expect(cache.placeOf(FIXED_SEED, 300, ticket)).to.equal(k + 1);
    });
    expect(cache.placeOf(FIXED_SEED, 300, 0)).to.equal(undefined);
    expect(cache.placeOf(FIXED_SEED, 300, 301)).to.equal(undefined);
    expect(cache.placeOf(FIXED_SEED, 300, 1.5)).to.equal(undefined);
  });

  it('fairness: over 50,000 simulated pre-queue joiners |Spearman ρ(join order, place)| ≤ 0.02, for the fixed seed and fresh ones', () => {
    const joinOrder = Float64Array.from({ length: 50_000 }, (_, i) => i + 1);
    const fixed = spearman(joinOrder, lotteryPlaces(FIXED_SEED, 50_000).subarray(1));
    expect(Math.abs(fixed)).to.be.at.most(0.02);
    // Reproducible: the same seed gives exactly the same coefficient.
    expect(spearman(joinOrder, lotteryPlaces(FIXED_SEED, 50_000).subarray(1))).to.equal(fixed);
    for (let i = 0; i < 3; i++) {
      const rho = spearman(joinOrder, lotteryPlaces(newSeed().seed, 50_000).subarray(1));
      expect(Math.abs(rho)).to.be.at.most(0.02);
    }
  });

  it('fairness: every order of 4 tickets is equally likely (χ² over 24,000 seeds, 23 df, below the 0.1% critical value)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 24_000; i++) {
      const seed = createHash('sha256').update(`chi-square-${i}`).digest('hex');
      const key = Array.from(lotteryOrder(seed, 4)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).to.equal(24);
    const chi2 = [...counts.values()].reduce((sum, observed) => sum + (observed - 1_000) ** 2 / 1_000, 0);
    expect(chi2).to.be.below(49.73);
  });

  it('the first joiner is not favoured: the mean place of the earliest 10% is within 2% of the middle', () => {
    const places = lotteryPlaces(FIXED_SEED, 50_000);
    let sum = 0;
    for (let ticket = 1; ticket <= 5_000; ticket++) sum += places[ticket]!;
    expect(Math.abs(sum / 5_000 - 25_000.5) / 50_000).to.be.below(0.02);
  });

  it('refuses a malformed seed or size instead of drawing something', () => {
    expect(() => lotteryOrder('xyz', 3)).to.throw(RangeError);
    expect(() => lotteryOrder(FIXED_SEED, -1)).to.throw(RangeError);
    expect(() => lotteryOrder(FIXED_SEED, 2.5)).to.throw(RangeError);
    expect(lotteryOrder(FIXED_SEED, 0)).to.have.length(0);
  });
});
