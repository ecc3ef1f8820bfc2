import { createCipheriv, createHash, randomBytes, type Cipher } from 'node:crypto';

/**
 * The pre-queue lottery, auditable end to end:
 * 1. Before the pre-queue opens a random 32-byte seed is drawn and `sha256(seed)` is published (the commitment).
 * 2. Each pre-queue join takes the next ticket number 1, 2, 3, … in join order.
 * 3. At opening the pre-queue closes with N tickets and the seed is revealed. The order is a Fisher–Yates shuffle of
 *    tickets 1..N (for i = N−1 down to 1, swap positions i and j, j uniform in 0..i) driven by the ChaCha20
 *    keystream (RFC 8439; key = the seed, nonce and initial counter zero) read as big-endian uint32 words; j is drawn
 *    by rejection (u < 2³² − 2³² mod (i+1), then u mod (i+1)), so every order is equally likely. Anyone holding the
 *    seed and N can recompute every ticket's place with any ChaCha20 implementation.
 */
export interface SeedCommitment {
  /** 64 hex characters (32 bytes). Secret until the draw. */
  readonly seed: string;
  /** sha256 of the 32 seed bytes, hex: published before the pre-queue opens. */
  readonly seedHash: string;
}

export function newSeed(): SeedCommitment {
  const seed = randomBytes(32).toString('hex');
  return { seed, seedHash: seedHashOf(seed) };
}

export function seedHashOf(seed: string): string {
  return createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex');
}

/** True when `seed` is well formed and matches the published commitment. */
export function seedMatches(seed: string, seedHash: string): boolean {
  return /^[0-9a-f]{64}$/.test(seed) && seedHashOf(seed) === seedHash;
}

/** The deterministic word stream of step 3: the ChaCha20 keystream, produced in chunks as needed. */
class SeedStream {
  private readonly cipher: Cipher;
  private view = new DataView(new ArrayBuffer(0));
  private offset = 0;

  /** `expectedWords` sizes the first chunk, so a small draw does not generate 64 KB of keystream. */
  constructor(seedHex: string, expectedWords: number) {
    // OpenSSL's chacha20 IV is the 32-bit block counter (little-endian) followed by the 96-bit nonce: all zero.
    this.cipher = createCipheriv('chacha20', Buffer.from(seedHex, 'hex'), Buffer.alloc(16));
    this.refill(Math.min(64 * 1024, 4 * expectedWords + 64));
  }

  next(): number {
    if (this.offset === this.view.byteLength) this.refill(64 * 1024);
    const word = this.view.getUint32(this.offset);
    this.offset += 4;
    return word;
  }

  private refill(bytes: number): void {
    const chunk = this.cipher.update(Buffer.alloc(bytes - (bytes % 4)));
    this.view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.offset = 0;
  }

  /** Uniform in [0, m) for 1 ≤ m ≤ 2³², without modulo bias. */
  below(m: number): number {
    const limit = 2 ** 32 - (2 ** 32 % m);
    for (;;) {
      const u = this.next();
      if (u < limit) return u % m;
    }
  }
}

/**
 * `order[k]` is the ticket that gets place k + 1. Tickets are 1-based, as issued.
 */
export function lotteryOrder(seed: string, size: number): Uint32Array {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`lottery size must be a whole number: ${size}`);
  if (!/^[0-9a-f]{64}$/.test(seed)) throw new RangeError('lottery seed must be 64 hex characters');
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i + 1;
  const stream = new SeedStream(seed, size);
  for (let i = size - 1; i > 0; i--) {
    const j = stream.below(i + 1);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** `placeOf[ticket]` is the 1-based place of a 1-based ticket (index 0 unused). */
export function lotteryPlaces(seed: string, size: number): Uint32Array {
  const order = lotteryOrder(seed, size);
  const places = new Uint32Array(size + 1);
  for (let k = 0; k < size; k++) places[order[k]!] = k + 1;
  return places;
}

/**
 * Places per (seed, size), computed once per process: a draw of a million tickets takes a fraction of a second and
 * 4 MB, after which every poll looks its place up in O(1).
 */
export class LotteryCache {
  private readonly entries = new Map<string, Uint32Array>();

  constructor(private readonly capacity = 8) {}

  placeOf(seed: string, size: number, ticket: number): number | undefined {
    if (!Number.isInteger(ticket) || ticket < 1 || ticket > size) return undefined;
    const key = `${seed}:${size}`;
    let places = this.entries.get(key);
    if (!places) {
      places = lotteryPlaces(seed, size);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, places);
    }
    return places[ticket];
  }
}
