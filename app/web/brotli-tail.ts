import { brotliCompress, constants } from 'node:zlib';

/**
 * Brotli for a body whose only per-response text sits in a short tail: the head is compressed once, ending on a
 * flush (byte-aligned, no last meta-block), and each response appends its tail as an uncompressed meta-block plus the
 * empty last meta-block (RFC 7932 §9.2). Unlike deflate, brotli cannot take raw bytes *between* compressed pieces
 * (the next piece's literal contexts and distance cache depend on them), so holes must all be in the tail.
 */
export function brotliHead(head: Buffer, quality = 5): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    brotliCompress(
      head,
      {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: head.length,
        },
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** ISLAST = 1, ISLASTEMPTY = 1. */
const LAST_EMPTY = Buffer.from([0x03]);
/** Uncompressed meta-blocks of at most 2^16 bytes: MLEN − 1 fits the 4-nibble form. */
const CHUNK = 0x10000;

/** The complete brotli stream: the compressed head, the raw tail, the end. */
export function brotliWithTail(head: Buffer, tail: Buffer): Buffer {
  const parts: Buffer[] = [head];
  for (let at = 0; at < tail.length; at += CHUNK) {
    const chunk = tail.subarray(at, at + CHUNK);
    parts.push(uncompressedHeader(chunk.length), chunk);
  }
  parts.push(LAST_EMPTY);
  return Buffer.concat(parts);
}

/** ISLAST 0 (1 bit), MNIBBLES 4 (2 bits: 0), MLEN − 1 (16 bits), ISUNCOMPRESSED 1 (1 bit), zero padding: 3 bytes. */
function uncompressedHeader(length: number): Buffer {
  const bits = ((length - 1) << 3) | (1 << 19);
  return Buffer.from([bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff]);
}
