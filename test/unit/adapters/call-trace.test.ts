import { expect } from 'chai';
import { sequentialRoundTrips, type DynamoCall } from '../../../app/adapters/dynamodb/call-trace.js';

const call = (startedAt: number, endedAt: number): DynamoCall => ({ command: 'X', startedAt, endedAt });

describe('sequentialRoundTrips', () => {
  it('counts calls that waited for one another; parallel calls count once', () => {
    expect(sequentialRoundTrips([])).to.equal(0);
    expect(sequentialRoundTrips([call(0, 10), call(10, 20)])).to.equal(2);
    expect(sequentialRoundTrips([call(0, 10), call(1, 9), call(2, 12)])).to.equal(1);
    // two in parallel, then one after both: 2
    expect(sequentialRoundTrips([call(0, 10), call(0, 12), call(13, 20)])).to.equal(2);
    // order of the list does not matter
    expect(sequentialRoundTrips([call(30, 40), call(0, 10), call(15, 25)])).to.equal(3);
  });
});
