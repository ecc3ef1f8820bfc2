import { expect } from 'chai';
import { decide, DEFAULT_FALLBACK_POLICY as P } from '../../../app/assistant/fallback-policy.js';
import { ModelFailure } from '../../../app/assistant/model.js';
import { TurnAssembler } from '../../../app/assistant/turn-assembler.js';

const http = (status: number) => new ModelFailure('http', 'x', status);

describe('fallback policy (SPEC §5)', () => {
  it('400/401/403/404/429/503 → the fallback at once', () => {
    for (const status of [400, 401, 403, 404, 429, 503])
      expect(decide(P, http(status), 0), String(status)).to.deep.equal({ action: 'next' });
  });

  it('500/502/504 → retry after 1.0 s, then 1.5 s, then the fallback', () => {
    for (const status of [500, 502, 504]) {
      expect(decide(P, http(status), 0)).to.deep.equal({ action: 'retry', delayMs: 1000 });
      expect(decide(P, http(status), 1)).to.deep.equal({ action: 'retry', delayMs: 1500 });
      expect(decide(P, http(status), 2)).to.deep.equal({ action: 'next' });
    }
  });

  it('timeouts, network errors and streams without messageStop → the fallback at once; an unlisted status fails', () => {
    expect(decide(P, new ModelFailure('timeout', 'x'), 0)).to.deep.equal({ action: 'next' });
    expect(decide(P, new ModelFailure('network', 'x'), 0)).to.deep.equal({ action: 'next' });
    expect(decide(P, new ModelFailure('incomplete', 'x'), 0)).to.deep.equal({ action: 'next' });
    expect(decide(P, http(422), 0)).to.deep.equal({ action: 'fail' });
  });
});

describe('TurnAssembler', () => {
  it('reassembles tool input from fragments per block index, keeps text and tool order, and flags broken JSON', () => {
    const t = new TurnAssembler();
    t.add({ type: 'text', index: 0, text: 'Let me ' });
    t.add({ type: 'text', index: 0, text: 'look.' });
    t.add({ type: 'toolUseStart', index: 1, toolUseId: 'a', name: 'get_seat_grades' });
    t.add({ type: 'toolUseStart', index: 2, toolUseId: 'b', name: 'get_venue_info' });
    for (const f of ['{"perf', 'ormanceId"', ':"p1"}']) t.add({ type: 'toolUseDelta', index: 1, input: f });
    t.add({ type: 'toolUseDelta', index: 2, input: '{"venueId":' });
    t.add({ type: 'messageStop', stopReason: 'tool_use' });
    const turn = t.result();
    expect(turn.text).to.equal('Let me look.');
    expect(turn.toolUses.map((u) => [u.name, u.input])).to.deep.equal([
      ['get_seat_grades', { performanceId: 'p1' }],
      ['get_venue_info', undefined],
    ]);
    expect(turn.content.map((c) => Object.keys(c)[0])).to.deep.equal(['text', 'toolUse', 'toolUse']);
    expect(t.stopped).to.equal(true);
  });

  it('a tool without arguments (no input fragments) gets {}', () => {
    const t = new TurnAssembler();
    t.add({ type: 'toolUseStart', index: 0, toolUseId: 'a', name: 'get_my_reservations' });
    expect(t.result().toolUses[0]!.input).to.deep.equal({});
    expect(t.stopped).to.equal(false);
  });
});
