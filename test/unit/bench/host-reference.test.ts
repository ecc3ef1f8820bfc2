import { expect } from 'chai';

import { measureHostReference } from '../../../bench/lib/host-reference.js';

describe('bench host reference', () => {
  it('measures the fixed workload: a positive fastest repetition, no slower than the median', () => {
    const reference = measureHostReference();
    expect(reference.fastestMs).to.be.greaterThan(0);
    expect(reference.fastestMs).to.be.at.most(reference.medianMs);
  });
});
