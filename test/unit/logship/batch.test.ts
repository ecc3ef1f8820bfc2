import { expect } from 'chai';
import { PUT_LOG_EVENTS_LIMITS, byTime, capMessage, takeBatch, type LogEvent } from '../../../app/logship/batch.js';
import { journalctlArgs, parseJournalLine } from '../../../app/logship/journal.js';

const event = (timestamp: number, message = 'x', cursor?: string): LogEvent => ({ timestamp, message, cursor });

describe('logship: batching for PutLogEvents and reading the journal', () => {
  it('takeBatch: at most 10,000 events per call; the rest stays queued in order', () => {
    const queue = Array.from({ length: 10_005 }, (_, i) => event(i));
    expect(takeBatch(queue)).to.have.length(10_000);
    expect(queue.map((e) => e.timestamp)).to.deep.equal([10_000, 10_001, 10_002, 10_003, 10_004]);
  });

  it('takeBatch: at most 1,048,576 bytes counting 26 bytes per event; a batch never splits an event', () => {
    const big = 'é'.repeat(100_000); // 200,000 UTF-8 bytes
    const queue = Array.from({ length: 6 }, (_, i) => event(i, big));
    const batch = takeBatch(queue);
    expect(batch).to.have.length(5);
    const bytes = batch.reduce((sum, e) => sum + Buffer.byteLength(e.message) + 26, 0);
    expect(bytes).to.be.at.most(PUT_LOG_EVENTS_LIMITS.maxBatchBytes);
    expect(queue).to.have.length(1);
  });

  it('takeBatch: a batch spans at most 24 hours and keeps journal order; byTime sorts it for the call (stable)', () => {
    const day = PUT_LOG_EVENTS_LIMITS.maxSpanMs;
    const queue = [event(5, 'b'), event(1, 'a'), event(5, 'c'), event(day + 2, 'late')];
    const batch = takeBatch(queue);
    expect(batch.map((e) => e.message)).to.deep.equal(['b', 'a', 'c']);
    expect(byTime(batch).map((e) => e.message)).to.deep.equal(['a', 'b', 'c']);
    expect(queue.map((e) => e.message)).to.deep.equal(['late']);
    expect(takeBatch([])).to.deep.equal([]);
  });

  it('capMessage: an oversized line is cut on a character boundary and marked, never dropped', () => {
    const capped = capMessage('가'.repeat(10), 20);
    expect(Buffer.byteLength(capped)).to.be.at.most(20);
    expect(capped).to.match(/^가+ …\[truncated\]$/);
    expect(capMessage('short', 20)).to.equal('short');
  });

  it('parseJournalLine: message, time in ms (from µs) and cursor; byte-array messages decoded; junk ignored', () => {
    const line = JSON.stringify({
      __CURSOR: 's=1;i=2',
      __REALTIME_TIMESTAMP: '1764000000123456',
      MESSAGE: '{"level":"info"}',
    });
    expect(parseJournalLine(line)).to.deep.equal({
      timestamp: 1764000000123,
      message: '{"level":"info"}',
      cursor: 's=1;i=2',
    });
    const bytes = JSON.stringify({ __REALTIME_TIMESTAMP: '1000', MESSAGE: [...Buffer.from('hé')] });
    expect(parseJournalLine(bytes)?.message).to.equal('hé');
    for (const junk of ['', 'not json', '{"MESSAGE":null,"__REALTIME_TIMESTAMP":"1"}', '{"MESSAGE":"x"}']) {
      expect(parseJournalLine(junk), junk).to.equal(undefined);
    }
  });

  it('journalctlArgs: follows one unit as JSON, from the saved cursor, or from this boot the first time', () => {
    expect(journalctlArgs('megaticket.service', 's=1')).to.deep.equal([
      '--unit',
      'megaticket.service',
      '--output',
      'json',
      '--follow',
      '--no-tail',
      '--after-cursor',
      's=1',
    ]);
    expect(journalctlArgs('megaticket.service').slice(-1)).to.deep.equal(['--boot']);
  });
});
