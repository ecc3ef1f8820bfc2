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
/** The most a deflate stored block can carry. */
const STORED_MAX = 0xffff;

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

/** Pieces (fresh text is deflated now, well) joined into one piece that stands for their concatenation. */
export function joinDeflated(pieces: readonly (string | Deflated)[]): Deflated {
  return joined(pieces, deflatePiece);
}

/**
 * One gzip member made of pieces: fresh text is deflated now, `Deflated` pieces are spliced in as they are. The seat
 * map uses it so its 250 KB grid is compressed once per seat state instead of once per request.
 */
export function gzipSpliced(pieces: readonly (string | Deflated)[]): Buffer {
  const body = joined(pieces, deflateSmall);
  return Buffer.concat([GZIP_HEADER, body.deflated, FINAL_BLOCK, gzipTrailer(body.crc, body.length)]);
}

function joined(pieces: readonly (string | Deflated)[], deflate: (text: string) => Deflated): Deflated {
  const parts: Buffer[] = [];
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    const d = typeof piece === 'string' ? deflate(piece) : piece;
    parts.push(d.deflated);
    crc = crc32Combine(crc, d.crc, d.length);
    length += d.length;
  }
  return { deflated: Buffer.concat(parts), crc, length };
}

/**
 * A body compressed once with holes for per-response text (a page's CSRF token): `pieces[0] hole pieces[1] hole …`.
 * Filling it costs a copy: each hole goes out as a deflate *stored* block (no zlib call), and the CRC of the whole
 * comes from the pieces' CRCs by precomputed shift operators rather than by reading the pieces again.
 */
export class GzipWithHoles {
  private readonly shifts: readonly Uint32Array[];
  private readonly length: number;

  constructor(private readonly pieces: readonly Deflated[]) {
    if (pieces.length === 0) throw new Error('a body has at least one piece');
    this.shifts = pieces.map((p) => crc32Shift(p.length));
    this.length = pieces.reduce((sum, p) => sum + p.length, 0);
  }

  /** The gzip body with every hole filled by `fill` (the same text in each). */
  fill(fill: Buffer): Buffer {
    const holes = this.pieces.length - 1;
    const stored = storedBlocks(fill);
    const parts: Buffer[] = [GZIP_HEADER, this.pieces[0]!.deflated];
    let crc = this.pieces[0]!.crc;
    for (let i = 1; i <= holes; i++) {
      const piece = this.pieces[i]!;
      parts.push(...stored, piece.deflated);
      crc = (gf2Times(this.shifts[i]!, crc32(fill, crc)) ^ piece.crc) >>> 0;
    }
    parts.push(FINAL_BLOCK, gzipTrailer(crc, this.length + holes * fill.length));
    return Buffer.concat(parts);
  }

  /** Compressed bytes kept (for cache budgets). */
  get bytes(): number {
    return this.pieces.reduce((sum, p) => sum + p.deflated.length, 0);
  }
}

/** Raw bytes as deflate stored blocks. The stream is byte-aligned here: every piece ends on a full flush. */
function storedBlocks(raw: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < raw.length; at += STORED_MAX) {
    const chunk = raw.subarray(at, at + STORED_MAX);
    const header = Buffer.alloc(5); // BFINAL 0, BTYPE 00 (stored), padding; LEN and its one's complement
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return blocks;
}

function gzipTrailer(crc: number, length: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return trailer;
}

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!);
}

/**
 * The operator that appends `len` zero bytes to a CRC-32 state (zlib's crc32_combine, GF(2) matrices, which Node
 * lacks): crc32(a ‖ b) = shift(len(b)) · crc32(a) ⊕ crc32(b).
 */
function crc32Shift(len: number): Uint32Array {
  const result = new Uint32Array(32);
  for (let n = 0; n < 32; n++) result[n] = (1 << n) >>> 0; // identity
  if (len <= 0) return result;
  const odd = new Uint32Array(32);
  const even = new Uint32Array(32);
  odd[0] = 0xedb88320; // one zero bit
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let power = odd;
  let spare = even;
  // `power` is the operator for 2^k zero bytes as k grows from 0 (one byte = eight bits).
  gf2Square(spare, power);
  [power, spare] = [spare, power];
  let product = result;
  for (let rest = len; rest !== 0; rest = Math.floor(rest / 2)) {
    if (rest & 1) {
      const next = new Uint32Array(32);
      for (let n = 0; n < 32; n++) next[n] = gf2Times(power, product[n]!);
      product = next;
    }
    gf2Square(spare, power);
    [power, spare] = [spare, power];
  }
  return product;
}

/** crc32(a ‖ b) from crc32(a), crc32(b) and b's length. */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  return (gf2Times(crc32Shift(len2), crc1 >>> 0) ^ crc2) >>> 0;
}
