import { expect } from 'chai';
import { crc32, gunzipSync } from 'node:zlib';
import { crc32Combine, deflatePiece, gzipSpliced } from '../../../app/web/gzip-splice.js';

describe('gzip splicing (the seat grid compressed once, spliced into each response)', () => {
  it('a gzip body made of fresh text and a pre-deflated piece decodes to the concatenation (CRC and length checked)', () => {
    const before = '<!doctype html><p>안녕하세요</p>'.repeat(50);
    const grid = '<label class="seat">1</label>'.repeat(5000);
    const after = '</main></html>';
    const body = gzipSpliced([before, deflatePiece(grid), after]);
    expect(gunzipSync(body).toString()).to.equal(before + grid + after);
    expect(body.length).to.be.lessThan(Buffer.byteLength(grid) / 20);
  });

  it('one pre-deflated piece serves many responses with different surroundings', () => {
    const grid = deflatePiece('x'.repeat(10_000));
    for (const token of ['a', 'bb', '']) {
      expect(gunzipSync(gzipSpliced([`<p>${token}</p>`, grid, token])).toString()).to.equal(
        `<p>${token}</p>${'x'.repeat(10_000)}${token}`,
      );
    }
  });

  it('crc32Combine agrees with the CRC of the concatenation', () => {
    const a = Buffer.from('first part ✓');
    const b = Buffer.from('second part, longer '.repeat(100));
    expect(crc32Combine(crc32(a), crc32(b), b.length)).to.equal(crc32(Buffer.concat([a, b])));
    expect(crc32Combine(crc32(a), 0, 0)).to.equal(crc32(a));
  });
});
