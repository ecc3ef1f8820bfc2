import { expect } from 'chai';

import { describeHostReference, measureHostReference } from '../../../bench/lib/host-reference.js';

describe('bench host reference', () => {
  it('measures the fixed workload as a positive median inside the spread of its repetitions', () => {
    const reference = measureHostReference();
    expect(reference.medianMs).to.be.greaterThan(0);
    expect(reference.minMs).to.be.at.most(reference.medianMs);
    expect(reference.maxMs).to.be.at.least(reference.medianMs);
  });

  it('describes a reading relative to the recorded baseline with its spread', () => {
    const line = describeHostReference('before the run', { medianMs: 42, minMs: 40, maxMs: 50, relative: 1.5 });
    expect(line).to.match(
      /^host reference before the run: median 42\.0 ms CPU for the fixed workload \[40\.0 … 50\.0\], 1\.50× the quiet baseline/,
    );
  });
});
