import { createHash, createHmac } from 'node:crypto';

/**
 * Checks a base64url HMAC-SHA256 of ASCII text under one key — the token MAC checked on every gated hold — in plain
 * JavaScript, the key's inner and outer pads compressed once when the key is loaded (RFC 2104's precomputation).
 *
 * Why not `createHmac` here: the check runs right after a hold has pushed ~2 ms of SDK code through the CPU's caches,
 * and `createHmac(…).update(…).digest(…)` then crosses Node's crypto wrappers, a native handle and OpenSSL's key
 * setup with all of them cold (≈ 4× its hot cost, docs/benchmarks.md). This is one small function over typed arrays:
 * two to three compressions for a token, no allocation, and the comparison of the base64url text in time that does
 * not depend on where it differs. Signing stays on `createHmac`; unit tests hold this to `createHmac` on the RFC 4231
 * vectors and on random texts, keys and lengths. Text outside ASCII (never signed by our tokens) is checked by
 * `createHmac` over its UTF-8, so the result is the same for any text.
 */
export class HmacSha256Check {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;

  constructor(private readonly key: Buffer) {
    // Keys longer than a block are hashed first (RFC 2104); ours are 32 bytes.
    const block = key.length > BLOCK_BYTES ? createHash('sha256').update(key).digest() : key;
    this.inner = padState(block, 0x36);
    this.outer = padState(block, 0x5c);
  }

  /** Whether `mac` is the unpadded base64url HMAC-SHA256 of `text` under this key. */
  matches(text: string, mac: string): boolean {
    if (mac.length !== MAC_CHARS) return false;
    if (text.length > MAX_TEXT_CHARS || !loadAscii(text)) return sameText(slowMac(this.key, text), mac);
    const n = text.length;
    const blocks = ((n + 8) >>> 6) + 1;
    MESSAGE[n >> 2]! |= 0x80 << (24 - 8 * (n & 3));
    MESSAGE[blocks * 16 - 1] = (n + BLOCK_BYTES) * 8; // bit length, the inner pad's block included
    STATE.set(this.inner);
    // The outer hash's block follows the message's, so one call site compresses every block (at most one inlined copy
    // of `compress` rather than two): on cold caches the check runs through less machine code. With the looped
    // comparison below, about a third of its former time after a cache-thrashing walk (docs/benchmarks.md, gate cost,
    // eighth look); hot, the same.
    for (let b = 0; b <= blocks; b++) {
      if (b === blocks) {
        for (let i = 0; i < 8; i++) MESSAGE[blocks * 16 + i] = STATE[i]!;
        MESSAGE.set(OUTER_TAIL, blocks * 16 + 8);
        STATE.set(this.outer);
      }
      compress(STATE, MESSAGE, b * 16);
    }
    return sameBase64url(STATE, mac);
  }
}

const BLOCK_BYTES = 64;
/** base64url of 32 bytes, unpadded. */
const MAC_CHARS = 43;
/** Longer text (no token is) goes to `createHmac`, so the message buffer below stays small. */
const MAX_TEXT_CHARS = 2048;

const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);
const INITIAL = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);

// Scratch space shared by every check (JavaScript runs one check at a time; nothing here outlives a call).
const SCHEDULE = new Int32Array(64);
const STATE = new Int32Array(8);
/** The longest text's blocks, then one more for the outer hash. */
const MESSAGE = new Int32Array(((MAX_TEXT_CHARS + 8) >>> 6) * 16 + 32);
/** The outer hash's one block after the inner digest (8 words): padding, and the length of pad + digest in bits. */
const OUTER_TAIL = Int32Array.of(0x80000000, 0, 0, 0, 0, 0, 0, (BLOCK_BYTES + 32) * 8);

/** SHA-256's compression of the 16 big-endian words at `m[offset…]` into `h` (FIPS 180-4, 6.2.2). */
function compress(h: Int32Array, m: Int32Array, offset: number): void {
  const w = SCHEDULE;
  for (let i = 0; i < 16; i++) w[i] = m[offset + i]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s0 + w[i - 7]! + s1 + w[i - 16]!) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let k = h[7]!;
  for (let i = 0; i < 64; i++) {
    const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + sum1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sum0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + k) | 0;
}

/** The state after compressing one block of key ⊕ pad: where every MAC under this key starts (inner or outer). */
function padState(key: Buffer, pad: number): Int32Array {
  const block = new Int32Array(16);
  for (let i = 0; i < BLOCK_BYTES; i++) block[i >> 2]! |= ((key[i] ?? 0) ^ pad) << (24 - 8 * (i & 3));
  const state = INITIAL.slice();
  compress(state, block, 0);
  return state;
}

/** Writes `text` as big-endian words into MESSAGE (zeroing the blocks it needs); false at the first non-ASCII char. */
function loadAscii(text: string): boolean {
  const n = text.length;
  MESSAGE.fill(0, 0, (((n + 8) >>> 6) + 1) * 16);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    MESSAGE[i >> 2]! |= c << (24 - 8 * (i & 3));
  }
  return true;
}

function slowMac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The digest's base64url text compared with `mac` (43 chars) without stopping at the first difference: its 256 bits
 * six at a time, the last character's two spare bits zero (so a non-canonical spelling differs). One loop, no closure:
 * less code for a cold cache than the unrolled form.
 */
function sameBase64url(digest: Int32Array, mac: string): boolean {
  let difference = 0;
  let at = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < 32; i++) {
    bits = (bits << 8) | ((digest[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff);
    count += 8;
    while (count >= 6) {
      count -= 6;
      difference |= BASE64URL.charCodeAt((bits >>> count) & 63) ^ mac.charCodeAt(at++);
    }
    bits &= 0xff;
  }
  difference |= BASE64URL.charCodeAt((bits << (6 - count)) & 63) ^ mac.charCodeAt(at);
  return difference === 0;
}

/** Equal strings compared in time that does not depend on where they differ (the length is public). */
function sameText(expected: string, given: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}
