import { expect } from 'chai';
import { escapeXml } from '../../../app/catalog/escape-xml.js';
import { posterSvg, wrapTitle } from '../../../app/catalog/poster.js';
import { demoPerformances } from '../../../app/catalog/demo-catalog.js';
import type { Performance } from '../../../app/catalog/types.js';

const base = demoPerformances('2026-12-01').find((p) => p.id === 'perf-moonlight-garden') as Performance;

/** Every `&` must start one of the five predefined entities; anything else would be malformed XML. */
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos);)/;

describe('catalog/poster', () => {
  describe('escapeXml', () => {
    it('escapes the five XML special characters', () => {
      expect(escapeXml(`<&">'`)).to.equal('&lt;&amp;&quot;&gt;&apos;');
    });

    it('escapes an existing entity again rather than trusting it', () => {
      expect(escapeXml('&amp;')).to.equal('&amp;amp;');
    });

    it('leaves Korean text and ordinary punctuation unchanged', () => {
      expect(escapeXml('달빛 정원 — 〈첫차〉 “Ripple”')).to.equal('달빛 정원 — 〈첫차〉 “Ripple”');
    });

    it('drops control characters and lone surrogates XML 1.0 forbids, keeping tab, newline and emoji', () => {
      expect(escapeXml('a\u0000b\u001Bc\td\ne\uD800f🎭')).to.equal('abc\td\nef🎭');
    });
  });

  describe('wrapTitle', () => {
    it('keeps a short title on one line', () => {
      expect(wrapTitle('달빛 정원')).to.deep.equal(['달빛 정원']);
    });

    it('wraps long titles at spaces within the line budget', () => {
      const lines = wrapTitle('The Boy Who Swallowed the Stars', 17);
      expect(lines).to.deep.equal(['The Boy Who', 'Swallowed the', 'Stars']);
    });

    it('cuts a word longer than a line and ends an over-long title with an ellipsis', () => {
      const lines = wrapTitle('가'.repeat(100), 10, 3);
      expect(lines).to.have.length(3);
      expect(lines[0]).to.equal('가'.repeat(5));
      expect(lines[2]?.endsWith('…')).to.equal(true);
    });
  });

  describe('posterSvg', () => {
    it('renders a self-contained SVG with the title, genre and age rating, in Korean and English', () => {
      const ko = posterSvg(base, 'ko');
      expect(ko.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
      expect(ko.endsWith('</svg>')).to.equal(true);
      expect(ko).to.include('<title>달빛 정원</title>').and.to.include('뮤지컬').and.to.include('8세 이상');
      const en = posterSvg(base, 'en');
      expect(en).to.include('<title>Moonlight Garden</title>').and.to.include('Musical').and.to.include('Ages 8+');
    });

    it('uses the palette for its gradient and a gradient id unique to the performance', () => {
      const svg = posterSvg(base, 'ko');
      expect(svg).to.include('stop-color="#1B1F4B"').and.to.include('stop-color="#C9A227"');
      expect(svg).to.include('id="poster-bg-perf-moonlight-garden"');
      expect(svg).to.include('fill="url(#poster-bg-perf-moonlight-garden)"');
    });

    it('has no script, no event handlers and no external references', () => {
      for (const performance of demoPerformances('2026-12-01')) {
        for (const locale of ['ko', 'en'] as const) {
          const svg = posterSvg(performance, locale);
          expect(svg, performance.id).to.not.match(/<script|\son\w+=|href|<image|<foreignObject|@import/i);
          expect(svg.replace('http://www.w3.org/2000/svg', ''), performance.id).to.not.include('http');
          expect(svg, performance.id).to.not.match(BARE_AMPERSAND);
        }
      }
    });

    it('escapes a hostile title `<script>&"\'>` so no raw markup or bare ampersand reaches the SVG', () => {
      const hostile: Performance = {
        ...base,
        id: 'perf-"><script>',
        title: { ko: `<script>alert("x")</script> & "달빛" '정원'>`, en: '<&">' },
      };
      const svg = posterSvg(hostile, 'ko');
      expect(svg).to.not.include('<script');
      expect(svg).to.not.match(BARE_AMPERSAND);
      expect(svg).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(svg).to.include('id="poster-bg-perf-___script_"');
      expect(posterSvg(hostile, 'en')).to.include('<title>&lt;&amp;&quot;&gt;</title>');
    });

    it('falls back to a safe colour when a palette value is not a hex colour', () => {
      const svg = posterSvg({ ...base, posterPalette: ['red" onload="alert(1)', '#ABC'] }, 'ko');
      expect(svg).to.not.include('onload');
      expect(svg).to.include('stop-color="#333333"').and.to.include('stop-color="#ABC"');
    });
  });
});
