import { expect } from 'chai';
import { atLeastVerdict, summarizeRounds } from '../../../bench/lib/round-ratios.js';

describe('bench:holds per-round ratios (summarizeRounds, atLeastVerdict)', () => {
  it('summarizeRounds: mean, median and a Student-t 95 % interval of the mean (3 rounds: t = 4.303)', () => {
    const s = summarizeRounds([0.5, 0.7, 0.6]);
    expect(s.n).to.equal(3);
    expect(s.mean).to.be.closeTo(0.6, 1e-12);
    expect(s.median).to.be.closeTo(0.6, 1e-12);
    const half = (4.303 * 0.1) / Math.sqrt(3);
    expect(s.low).to.be.closeTo(0.6 - half, 1e-9);
    expect(s.high).to.be.closeTo(0.6 + half, 1e-9);
  });

  it('summarizeRounds: an even count takes the middle pair for the median, and a round without a figure is left out', () => {
    const s = summarizeRounds([0.4, Number.NaN, 0.8, 0.5, 0.6]);
    expect(s.n).to.equal(4);
    expect(s.median).to.be.closeTo(0.55, 1e-12);
    expect(Number.isNaN(summarizeRounds([0.7]).low)).to.equal(true);
  });

  it('atLeastVerdict: met only when the whole interval is at or above the goal, missed when all of it is below', () => {
    expect(atLeastVerdict(summarizeRounds([0.7, 0.71, 0.69, 0.7]), 0.6)).to.equal('met');
    expect(atLeastVerdict(summarizeRounds([0.4, 0.41, 0.39]), 0.6)).to.equal('missed');
    expect(atLeastVerdict(summarizeRounds([0.5, 0.7, 0.6]), 0.6)).to.equal('not resolved');
    expect(atLeastVerdict(summarizeRounds([0.7]), 0.6)).to.equal('not resolved');
  });
});
