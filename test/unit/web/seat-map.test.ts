import { expect } from 'chai';
import { seatLayoutOf } from '../../../app/catalog/seat-layout.js';
import { demoPerformances, HANGANG_GRAND_THEATER } from '../../../app/catalog/index.js';
import { assetDirs } from '../../../app/paths.js';
import { loadMessages } from '../../../app/web/i18n.js';
import { Renderer } from '../../../app/web/render.js';
import { SeatMapViews } from '../../../app/web/seat-map.js';
import { viewHelpers } from '../../../app/web/view-helpers.js';

const dirs = assetDirs();
const fmt = viewHelpers('ko', loadMessages(dirs.views).ko);
const layout = seatLayoutOf(
  demoPerformances('2026-01-01').find((p) => p.id === 'perf-moonlight-garden')!,
  HANGANG_GRAND_THEATER,
);
const views = new SeatMapViews(new Renderer(dirs.views, true));
const overlay = (sold: string[], held: string[], mine: string[] = []) => ({
  scheduleId: 's',
  at: 0,
  version: 'v',
  sold,
  held,
  mine,
  sellable: 1210,
  available: 1210 - sold.length - held.length,
  availableByGrade: {},
});

describe('CompiledSeatMap (the seat map rendered once per layout and language)', () => {
  it('is compiled once and reused for the same layout', () => {
    expect(views.of(layout, fmt)).to.equal(views.of(layout, fmt));
  });

  it('renders every sellable seat once, in its state, with taken seats disabled', () => {
    const map = views.of(layout, fmt);
    const html = map.html(map.statesOf(overlay(['1F-B-1-1'], ['1F-B-1-2'], ['1F-B-1-2'])), new Set(['1F-B-1-3']));
    expect(html.match(/<input /g)).to.have.length(1210);
    expect(html).to.match(/is-sold" id="s1F-B-1-1"><input[^>]+판매 완료" disabled>/);
    expect(html).to.match(/is-mine" id="s1F-B-1-2"><input[^>]+checked disabled>/);
    expect(html).to.match(/is-selected" id="s1F-B-1-3"><input[^>]+선택 가능" checked>/);
  });

  it('seats a refused hold named are shown taken even when the overlay (read before the winner committed) says free', () => {
    const map = views.of(layout, fmt);
    const states = map.markTaken(map.statesOf(overlay([], [], ['1F-B-9-7'])), ['1F-B-9-6', '1F-B-9-7', 'no-such']);
    const html = map.html(states, new Set(), new Set(['1F-B-9-6']));
    expect(html).to.match(/is-taken-now" id="s1F-B-9-6"><input[^>]+ disabled>/);
    expect(html).to.match(/is-mine" id="s1F-B-9-7">/);
    expect([...map.fromToken(map.token(states))!]).to.deep.equal([...states]);
  });

  it('the refresh token round-trips the states of all 1,210 seats in about 400 characters', () => {
    const map = views.of(layout, fmt);
    const states = map.statesOf(overlay(['1F-A-1-1', '2F-F-13-13'], ['1F-B-OP-1'], []));
    const token = map.token(states);
    expect(token.length).to.be.lessThan(410);
    expect([...map.fromToken(token)!]).to.deep.equal([...states]);
    expect(map.fromToken('AAAA')).to.equal(undefined);
  });
});
