import { expect } from 'chai';
import type { AssistantEvent } from '../../../app/assistant/events.js';
import { textCoalescer, type CoalescerTimers } from '../../../app/assistant/text-coalescer.js';

/** Timers on a clock the test moves by hand. */
function manualClock(): CoalescerTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = ++next;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = until;
    },
    pending: () => timers.length,
  };
}

const text = (value: string): AssistantEvent => ({ type: 'text', text: value });

describe('textCoalescer: text deltas to the page, at most one text event per window', () => {
  function setup(windowMs = 100) {
    const clock = manualClock();
    const sent: { at: number; event: AssistantEvent }[] = [];
    const stream = textCoalescer((event) => sent.push({ at: clock.now(), event }), windowMs, clock);
    return { clock, sent, stream };
  }

  it('the first delta of an answer is sent at once, alone; deltas every 40 ms then travel in fewer events with the same text in order', () => {
    const { clock, sent, stream } = setup(100);
    const deltas = Array.from({ length: 12 }, (_, i) => `d${i} `);
    for (const delta of deltas) {
      stream.emit(text(delta));
      clock.advance(40);
    }
    stream.flush();
    expect(sent[0]).to.deep.equal({ at: 0, event: text('d0 ') });
    const texts = sent.map((s) => (s.event.type === 'text' ? s.event.text : ''));
    expect(texts.join('')).to.equal(deltas.join(''));
    expect(sent.length).to.be.within(4, 6);
    // No delta waits longer than the window, and text events are at least a window apart.
    for (let i = 1; i < sent.length - 1; i++) expect(sent[i]!.at - sent[i - 1]!.at).to.equal(100);
  });

  it('a delta after a quiet window (a later model turn, after a tool ran) goes out at once', () => {
    const { clock, sent, stream } = setup(100);
    stream.emit(text('let me check… '));
    clock.advance(500);
    stream.emit(text('found it'));
    expect(sent.map((s) => s.at)).to.deep.equal([0, 500]);
    expect(clock.pending()).to.equal(0);
  });

  it('tool, hold, done and error events first send the pending text and are never delayed themselves', () => {
    const { clock, sent, stream } = setup(100);
    stream.emit(text('a'));
    clock.advance(10);
    stream.emit(text('b'));
    stream.emit(text('c'));
    stream.emit({ type: 'tool', name: 'get_available_seats', phase: 'start' });
    stream.emit({ type: 'tool', name: 'get_available_seats', phase: 'end', ok: true });
    clock.advance(10);
    stream.emit(text('d'));
    stream.emit({ type: 'done', step: 'greeting' });
    stream.emit({ type: 'error', code: 'INTERNAL', message: 'x', retryable: true });
    expect(sent).to.deep.equal([
      { at: 0, event: text('a') },
      { at: 10, event: text('bc') },
      { at: 10, event: { type: 'tool', name: 'get_available_seats', phase: 'start' } },
      { at: 10, event: { type: 'tool', name: 'get_available_seats', phase: 'end', ok: true } },
      { at: 20, event: text('d') },
      { at: 20, event: { type: 'done', step: 'greeting' } },
      { at: 20, event: { type: 'error', code: 'INTERNAL', message: 'x', retryable: true } },
    ]);
    expect(clock.pending()).to.equal(0, 'the flushed text leaves no timer behind');
  });

  it('flush sends what is pending at once and nothing twice; empty deltas send nothing', () => {
    const { clock, sent, stream } = setup(100);
    stream.emit(text('a'));
    stream.emit(text(''));
    stream.emit(text('b'));
    stream.flush();
    stream.flush();
    clock.advance(1000);
    expect(sent.map((s) => s.event)).to.deep.equal([text('a'), text('b')]);
  });

  it('window 0 passes every delta on as it comes', () => {
    const { sent, stream } = setup(0);
    for (const d of ['a', 'b', 'c']) stream.emit(text(d));
    expect(sent.map((s) => s.event)).to.deep.equal([text('a'), text('b'), text('c')]);
  });
});
