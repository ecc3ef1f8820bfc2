import { expect } from 'chai';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { brotliHead, brotliWithTail } from '../../../app/web/brotli-tail.js';
import { deflatePiece, GzipWithHoles } from '../../../app/web/gzip-splice.js';
import { preferredEncoding, SharedPage, SharedPages, TOKEN_MARK, versionOf } from '../../../app/web/shared-pages.js';
import { ManualClock } from '../../../app/shared/clock.js';

const HEADERS = { Vary: 'HX-Request, HX-Target, Accept-Encoding' };
/** A page shaped like the seat map: a large body, one hole early (a form's token) and one in the tail. */
const head = '<!doctype html><main>' + '<label class="seat">좌석 1</label>'.repeat(2000);
const page = (holes: 'tail' | 'early') =>
  holes === 'tail'
    ? `${head}</main><input id="csrf-token" value="${TOKEN_MARK}"></body>`
    : `<form><input name="_csrf" value="${TOKEN_MARK}">${head}</main><input value="${TOKEN_MARK}"></body>`;
const filled = (text: string, token: string) => text.split(TOKEN_MARK).join(token);

describe('shared pages for anonymous visitors (app/web/shared-pages.ts)', () => {
  describe('SharedPage: one rendering, each visitor’s own CSRF token in every hole', () => {
    it('gzip: each body decodes to the page with that visitor’s token in every hole and no other token', () => {
      const shared = new SharedPage(200, HEADERS, [page('early')]);
      const a = shared.body('gzip', 'token-of-alice');
      const b = shared.body('gzip', 'token-of-bob');
      expect(a.encoding).to.equal('gzip');
      expect(gunzipSync(a.body).toString()).to.equal(filled(page('early'), 'token-of-alice'));
      expect(gunzipSync(b.body).toString()).to.equal(filled(page('early'), 'token-of-bob'));
      expect(gunzipSync(b.body).toString()).not.to.contain('alice');
    });

    it('a pre-deflated segment (the seat grid) is spliced in as it is and decodes with its surroundings', () => {
      const grid = '<label class="seat held">A-1</label>'.repeat(3000);
      const shared = new SharedPage(200, HEADERS, [
        `<p>${TOKEN_MARK}</p>`,
        { text: grid, deflated: deflatePiece(grid) },
        `<i>${TOKEN_MARK}</i>`,
      ]);
      const { body } = shared.body('gzip', 'tk');
      expect(gunzipSync(body).toString()).to.equal(`<p>tk</p>${grid}<i>tk</i>`);
      expect(shared.body('identity', 'tk').body.toString()).to.equal(`<p>tk</p>${grid}<i>tk</i>`);
    });

    it('brotli is made only when a page is asked for again, then decodes with the visitor’s token in the tail', async () => {
      const shared = new SharedPage(200, HEADERS, [page('tail')]);
      expect(shared.body('br', 'first').encoding).to.equal('gzip'); // not ready yet: gzip meanwhile
      await shared.brotliDone;
      const br = shared.body('br', 'second-visitor');
      expect(br.encoding).to.equal('br');
      expect(brotliDecompressSync(br.body).toString()).to.equal(filled(page('tail'), 'second-visitor'));
      expect(br.body.length).to.be.lessThan(shared.body('gzip', 'x').body.length);
    });

    it('a page with a hole before its tail is never sent as brotli (gzip instead)', async () => {
      const shared = new SharedPage(200, HEADERS, [page('early')]);
      shared.body('br', 'a');
      await shared.brotliDone;
      const answer = shared.body('br', 'b');
      expect(answer.encoding).to.equal('gzip');
      expect(gunzipSync(answer.body).toString()).to.equal(filled(page('early'), 'b'));
    });

    it('identity: the raw page with the token filled in', () => {
      const shared = new SharedPage(200, HEADERS, [page('early')]);
      expect(shared.body('identity', 'tk').body.toString()).to.equal(filled(page('early'), 'tk'));
    });
  });

  describe('the compressed formats with raw holes', () => {
    it('GzipWithHoles: a fill longer than one stored block (64 KB) and an empty fill both decode', () => {
      const pieces = ['<a>', '<b>', '<c>'].map((t) => deflatePiece(t.repeat(100)));
      const holes = new GzipWithHoles(pieces);
      for (const fill of ['', 'é'.repeat(70_000)]) {
        const expected = ['<a>', '<b>', '<c>'].map((t) => t.repeat(100)).join(fill);
        expect(gunzipSync(holes.fill(Buffer.from(fill))).toString()).to.equal(expected);
      }
    });

    it('brotliWithTail: a compressed head and a raw tail over 64 KB (several uncompressed meta-blocks) decode', async () => {
      const headText = Buffer.from('<p>머리</p>'.repeat(5000));
      const compressed = await brotliHead(headText);
      const tail = Buffer.from('t'.repeat(150_000));
      expect(brotliDecompressSync(brotliWithTail(compressed, tail)).equals(Buffer.concat([headText, tail]))).to.equal(
        true,
      );
      expect(brotliDecompressSync(brotliWithTail(compressed, Buffer.alloc(0))).equals(headText)).to.equal(true);
    });
  });

  describe('SharedPages: kept per request key and data version, bounded in age and bytes', () => {
    const make = (maxBytes = 10 * 2 ** 20) => {
      const clock = new ManualClock(1_000_000);
      return { clock, pages: new SharedPages(clock, { maxAgeMs: 5_000, maxBytes }) };
    };
    const small = () => new SharedPage(200, HEADERS, ['<p>x</p>']);

    it('a page is served only for the version it was rendered from: new data (a new seat state) is a miss', () => {
      const { pages } = make();
      const kept = small();
      pages.put('seat-map|/schedules/s1|ko|page|', 'v1', kept);
      expect(pages.get('seat-map|/schedules/s1|ko|page|', 'v1')).to.equal(kept);
      expect(pages.get('seat-map|/schedules/s1|ko|page|', 'v2')).to.equal(undefined);
      expect(pages.get('seat-map|/schedules/s1|en|page|', 'v1')).to.equal(undefined);
    });

    it('an entry expires after maxAgeMs even if its version is still current', () => {
      const { clock, pages } = make();
      pages.put('k', 'v1', small());
      clock.advance(4_999);
      expect(pages.get('k', 'v1')).not.to.equal(undefined);
      clock.advance(1);
      expect(pages.get('k', 'v1')).to.equal(undefined);
    });

    it('over its byte budget it drops the least recently used page first', () => {
      const one = small();
      const { pages } = make(one.bytes * 2);
      pages.put('a', 'v', one);
      pages.put('b', 'v', small());
      expect(pages.get('a', 'v')).to.equal(one); // a is now the most recently used
      pages.put('c', 'v', small());
      expect(pages.size).to.equal(2);
      expect(pages.get('b', 'v')).to.equal(undefined);
      expect(pages.get('a', 'v')).to.equal(one);
    });

    it('versionOf: the same objects give the same version, a reloaded object a new one', () => {
      const listing = { performances: [] };
      expect(versionOf(listing)).to.equal(versionOf(listing));
      expect(versionOf({ performances: [] })).not.to.equal(versionOf(listing));
      const overlay = { sold: [] };
      expect(versionOf(listing, overlay)).not.to.equal(versionOf(overlay, listing));
    });
  });

  describe('preferredEncoding (Accept-Encoding with q-values)', () => {
    const cases: [string | undefined, string][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['*', 'br'],
      ['identity', 'identity'],
      ['gzip;q=0', 'identity'],
      [undefined, 'identity'],
    ];
    for (const [header, expected] of cases) {
      it(`${JSON.stringify(header)} → ${expected}`, () => {
        expect(preferredEncoding(header)).to.equal(expected);
      });
    }
  });
});
