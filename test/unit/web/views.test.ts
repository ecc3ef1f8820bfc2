import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_STATUS, type ErrorCode } from '../../../app/shared/errors.js';
import { grade } from '../../../app/catalog/grade-styles.js';
import { assetDirs } from '../../../app/paths.js';
import { calendarMonth } from '../../../app/web/calendar.js';
import { drBanner } from '../../../app/web/dr-status.js';
import { ERROR_VIEWS, errorView } from '../../../app/web/errors.js';
import { ApiError } from '../../../app/web/api-client.js';
import { loadMessages } from '../../../app/web/i18n.js';
import { withLang } from '../../../app/web/render.js';
import { safeNext } from '../../../app/web/session.js';
import { viewHelpers } from '../../../app/web/view-helpers.js';

const dirs = assetDirs();
const messages = loadMessages(dirs.views);
const ko = viewHelpers('ko', messages.ko);
const en = viewHelpers('en', messages.en);

describe('web view helpers and the error mapping', () => {
  it('money per language: 55,000원 / KRW 55,000', () => {
    expect(ko.money(55_000)).to.equal('55,000원');
    expect(en.money(55_000)).to.equal('KRW 55,000');
  });

  it('KST dates and instants, never raw ISO: 2026-12-05 is a Saturday', () => {
    expect(ko.date('2026-12-05')).to.equal('2026년 12월 5일 (토)');
    expect(en.date('2026-12-05')).to.equal('Sat, 5 Dec 2026');
    const at = Date.parse('2026-12-05T10:30:00Z'); // 19:30 KST
    expect(ko.dateTime(at)).to.equal('2026년 12월 5일 (토) 19:30');
    expect(en.dateTime(at)).to.equal('Sat, 5 Dec 2026, 19:30 KST');
    expect(ko.minutesSeconds(61_001)).to.equal('1:02');
  });

  it('genre labels and statuses are translated in both languages', () => {
    expect([ko.genre('musical'), en.genre('musical')]).to.deep.equal(['뮤지컬', 'Musical']);
    for (const status of ['HOLDING', 'CONFIRMED', 'DR_RECOVERED', 'DR_RESERVED', 'CANCELLED']) {
      expect(ko.status(status)).not.to.equal(`status.${status}`);
      expect(en.status(status)).not.to.equal(`status.${status}`);
    }
  });

  it('every API error code maps to a status and a message in both languages; only server failures are 5xx', () => {
    for (const code of [...Object.keys(ERROR_STATUS), 'UPSTREAM'] as (ErrorCode | 'UPSTREAM')[]) {
      const view = ERROR_VIEWS[code];
      expect(view, code).to.be.an('object');
      expect(messages.ko[view.key], `${code} ko`).to.be.a('string');
      expect(messages.en[view.key], `${code} en`).to.be.a('string');
      if (code !== 'UPSTREAM') expect(view.status, code).to.equal(ERROR_STATUS[code as ErrorCode]);
    }
    const limited = errorView(new ApiError(429, 'RATE_LIMITED', 'x', { retryAfter: 42 }), ko);
    expect(limited).to.deep.equal({ status: 429, message: '요청이 너무 많습니다. 42초 후에 다시 시도해 주세요.' });
    expect(errorView(new ApiError(429, 'RATE_LIMITED', 'x', { retryAfter: 42 }), en).message).to.contain('42 s');
  });

  it('the language switch keeps the current path and query', () => {
    expect(withLang('/?q=%EB%8B%AC&genre=musical', 'en')).to.equal('/?q=%EB%8B%AC&genre=musical&lang=en');
    expect(withLang('/performances/x?date=2026-12-05&lang=en', 'ko')).to.equal(
      '/performances/x?date=2026-12-05&lang=ko',
    );
  });

  it('only same-site paths are followed after login', () => {
    expect(safeNext('/reservations?x=1')).to.equal('/reservations?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', 7]) {
      expect(safeNext(bad), String(bad)).to.equal('/');
    }
  });

  it('the calendar month grid: Sunday-first weeks, the selected day, and links to the months with slots', () => {
    const days = [
      { date: '2026-11-28', slots: 2 },
      { date: '2026-12-05', slots: 2 },
      { date: '2027-01-02', slots: 1 },
    ];
    const month = calendarMonth(days, '2026-12-05');
    expect(month.month).to.equal('2026-12-01');
    expect(month.weeks[0]!.slice(0, 2)).to.deep.equal([null, null]); // 1 Dec 2026 is a Tuesday
    expect(month.weeks[0]![6]).to.deep.equal({ date: '2026-12-05', slots: 2, selected: true });
    expect(month.previous).to.equal('2026-11-28');
    expect(month.next).to.equal('2027-01-02');
  });

  it('the stylesheet gives every standard grade code its catalog colour (one look per grade, app/catalog/grade-styles.ts)', () => {
    const css = readFileSync(join(dirs.public, 'app.css'), 'utf8').toLowerCase();
    for (const code of ['VIP', 'OP', 'R', 'S', 'A', 'B'] as const) {
      const block = new RegExp(`\\.g-${code.toLowerCase()} \\{\\s*--grade: ([^;]+);`).exec(css);
      expect(block?.[1], code).to.equal(grade(code, 1).color.toLowerCase());
    }
  });

  it('drBanner: none while DR is inactive; the serving region says it serves; a read-only one names the writer; hand-over pauses', () => {
    const base = { region: 'ap-northeast-2', active: true, since: 1, writer: 'standby' as const };
    expect(drBanner(undefined)).to.equal(undefined);
    expect(drBanner({ ...base, active: false, writer: 'primary', acceptsWrites: true })).to.equal(undefined);
    expect(drBanner({ ...base, writerRegion: 'ap-northeast-1', acceptsWrites: false })).to.deep.equal({
      key: 'dr.bannerReadOnly',
      region: 'ap-northeast-1',
    });
    expect(
      drBanner({ ...base, region: 'ap-northeast-1', writerRegion: 'ap-northeast-1', acceptsWrites: true }),
    ).to.deep.equal({ key: 'dr.banner', region: 'ap-northeast-1' });
    expect(drBanner({ ...base, writer: 'none', failbackStartedAt: 2, acceptsWrites: false })).to.deep.equal({
      key: 'dr.bannerHandover',
    });
    // An API that does not name the writer: no banner rather than one pointing at this read-only region.
    expect(drBanner({ ...base, acceptsWrites: false })).to.equal(undefined);
  });
});
