import { expect } from 'chai';
import { paced, SEAT_OPTIONS_ANSWER, streamedAnswers } from '../../../bench/lib/chat-workloads.js';
import { estimateTokens } from '../../../app/assistant/token-estimate.js';

describe('bench:chat workloads: answer pacing', () => {
  it('paced: 4 tokens per delta at 100 tokens/s is one delta every 40 ms, chunks sized to carry 4 tokens each', () => {
    const { chunk, gapMs, tokens } = paced(SEAT_OPTIONS_ANSWER, 100, 4);
    expect(gapMs).to.equal(40);
    expect(tokens).to.equal(estimateTokens(SEAT_OPTIONS_ANSWER));
    const deltas = Math.ceil([...SEAT_OPTIONS_ANSWER].length / chunk);
    // The whole answer takes about tokens / speed seconds, whatever the chunking rounds to.
    expect((deltas * gapMs) / 1000).to.be.closeTo(tokens / 100, 0.25);
  });

  it('the streamed workload is a full answer (well over 100 tokens), paced, and names its speed in its description', () => {
    const workload = streamedAnswers(120);
    expect(estimateTokens(workload.answer)).to.be.above(100);
    expect(workload.gapMs).to.be.closeTo(1000 / 30, 0.01);
    expect(workload.description).to.contain('120 tokens/s');
  });
});
