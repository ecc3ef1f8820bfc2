import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A piece of a response body compressed once and reused: raw deflate ending on a full flush, so it can sit between
 * other deflate pieces (each piece starts with an empty dictionary, so no back-reference crosses a boundary), plus
 * the CRC-32 and length the gzip trailer needs.
 */
export interface Deflated {
  readonly deflated: Buffer;
  readonly crc: number;
  readonly length: number;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty fixed-Huffman block: what `deflateRawSync('', Z_FINISH)` yields, without a zlib instance. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** A shared piece, compressed well (it is reused by many responses). */
export function deflatePiece(text: string | Buffer): Deflated {
  return deflateWith(text, { level: 6 });
}

/** A per-response piece (a few KB): a small window and memory level make zlib's set-up cheap. */
function deflateSmall(text: string): Deflated {
  return deflateWith(text, { level: 4, windowBits: 12, memLevel: 6 });
}

function deflateWith(
  text: string | Buffer,
  options: { level: number; windowBits?: number; memLevel?: number },
): Deflated {
  const raw = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    deflated: deflateRawSync(raw, { ...options, finishFlush: constants.Z_FULL_FLUSH }),
    crc: crc32(raw),
    length: raw.length,
  };
}

/**
 * One gzip member made of pieces: fresh text is deflated now, `Deflated` pieces are spliced in as they are. The seat
 * map uses it so its 250 KB grid is compressed once per seat state instead of once per request.
 */
export function gzipSpliced(pieces: readonly (string | Deflated)[]): Buffer {
  const parts: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    const d = typeof piece === 'string' ? deflateSmall(piece) : piece;
    parts.push(d.deflated);
    crc = d.length === 0 ? crc : crc32Combine(crc, d.crc, d.length);
    length += d.length;
  }
  parts.push(FINAL_BLOCK);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!);
}

/** crc32(a ‖ b) from crc32(a), crc32(b) and b's length: zlib's crc32_combine (GF(2) matrices), which Node lacks. */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let c1 = crc1 >>> 0;
  let len = len2;
  do {
    gf2Square(even, odd);
    if (len & 1) c1 = gf2Times(even, c1);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len & 1) c1 = gf2Times(odd, c1);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (c1 ^ crc2) >>> 0;
}
