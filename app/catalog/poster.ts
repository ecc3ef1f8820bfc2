import type { Locale } from '../shared/i18n.js';
import type { Performance } from './types.js';
import { escapeXml } from './escape-xml.js';
import { GENRE_LABELS } from './genres.js';

const WIDTH = 400;
const HEIGHT = 560;
const TITLE_FONT_SIZE = 36;
/** Line budget in "half-width units": a Hangul syllable takes two, a Latin letter one (about 17 units fit). */
const LINE_UNITS = 17;
const MAX_TITLE_LINES = 4;
const FALLBACK_COLOR = '#333333';
const FONT_FAMILY = 'Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif';

/** Palette values go into attributes; only plain hex colours are trusted there, anything else falls back. */
function safeColor(color: string): string {
  return /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(color) ? color : FALLBACK_COLOR;
}

function units(text: string): number {
  let total = 0;
  for (const char of text) total += /[\u1100-\u11FF\u3000-\u9FFF\uAC00-\uD7AF\uFF00-\uFFEF]/.test(char) ? 2 : 1;
  return total;
}

/** Greedy word wrap; a word longer than a line is cut so no title can run off the poster. */
export function wrapTitle(title: string, lineUnits = LINE_UNITS, maxLines = MAX_TITLE_LINES): string[] {
  const lines: string[] = [];
  let current = '';
  const pushChars = (word: string): void => {
    for (const char of word) {
      if (units(current + char) > lineUnits) {
        lines.push(current);
        current = '';
      }
      current += char;
    }
  };
  for (const word of title.trim().split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (units(candidate) <= lineUnits) current = candidate;
    else if (units(word) <= lineUnits) {
      if (current) lines.push(current);
      current = word;
    } else {
      if (current) lines.push(current);
      current = '';
      pushChars(word);
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${[...(kept[maxLines - 1] ?? '')].slice(0, -1).join('')}…`;
  return kept;
}

function ageLabel(minAge: number, locale: Locale): string {
  if (minAge <= 0) return locale === 'ko' ? '전체관람가' : 'All ages';
  return locale === 'ko' ? `${minAge}세 이상` : `Ages ${minAge}+`;
}

/**
 * A self-contained SVG poster (we show no copyrighted artwork): a gradient from the performance's palette, the genre,
 * the title and the age rating. No external references and no script, every text escaped, and the gradient id is
 * derived from the performance id so several posters inlined in one page do not steal each other's gradient.
 */
export function posterSvg(performance: Performance, locale: Locale): string {
  const title = performance.title[locale];
  const from = safeColor(performance.posterPalette[0]);
  const to = safeColor(performance.posterPalette[1]);
  const gradientId = `poster-bg-${performance.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const lines = wrapTitle(title);
  const lineHeight = Math.round(TITLE_FONT_SIZE * 1.25);
  const firstBaseline = HEIGHT - 120 - (lines.length - 1) * lineHeight;
  const titleText = lines
    .map((line, i) => `<tspan x="32" y="${firstBaseline + i * lineHeight}">${escapeXml(line)}</tspan>`)
    .join('');

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}"`,
    ` role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><linearGradient id="${gradientId}" x1="0" y1="0" x2="0.4" y2="1">`,
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#${gradientId})"/>`,
    // Decorative circles give each poster some depth without any artwork.
    `<circle cx="300" cy="150" r="110" fill="#FFFFFF" fill-opacity="0.16"/>`,
    `<circle cx="90" cy="300" r="60" fill="#FFFFFF" fill-opacity="0.08"/>`,
    // A dark band under the text keeps white lettering readable on any palette.
    `<rect y="${firstBaseline - TITLE_FONT_SIZE - 48}" width="${WIDTH}" height="${HEIGHT}" fill="#000000" fill-opacity="0.45"/>`,
    `<g font-family="${FONT_FAMILY}" fill="#FFFFFF">`,
    `<text x="32" y="${firstBaseline - TITLE_FONT_SIZE - 14}" font-size="18" letter-spacing="2">`,
    `${escapeXml(GENRE_LABELS[performance.genre][locale])}</text>`,
    `<text font-size="${TITLE_FONT_SIZE}" font-weight="700">${titleText}</text>`,
    `<text x="32" y="${HEIGHT - 40}" font-size="16" fill-opacity="0.85">`,
    `${escapeXml(ageLabel(performance.minAge, locale))}</text>`,
    `</g></svg>`,
  ].join('');
}
