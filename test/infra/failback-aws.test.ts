import { expect } from 'chai';
import { endpointHealthFrom, standbyOutputsSchema } from '../../scripts/failback/aws.js';
import { scenario } from '../support/pulumi-mocks.js';

// The AWS side of `npm run failback` without AWS: what it reads from the stack, and how it judges Route53's answer.
describe('failback against AWS (scripts/failback/aws.ts), offline parts', function () {
  this.timeout(60_000);
  it('the tokyo stack exports everything the failback command reads (parsed from a real mock run of the program)', async () => {
    const run = await scenario('tokyo');
    const outputs = standbyOutputsSchema.parse(run.outputs);
    expect(outputs).to.deep.include({
      region: 'ap-northeast-1',
      primaryRegion: 'ap-northeast-2',
      drStateTable: 'megaticket-control',
    });
    expect(outputs.tableNames.bookings).to.equal('megaticket-bookings');
  });

  it('endpointHealthFrom: Route53’s rule, healthy when more than 18 % of checkers report success', () => {
    const obs = (ok: number, bad: number) => [
      ...Array.from({ length: ok }, () => ({ StatusReport: { Status: 'Success: HTTP Status Code 200, OK' } })),
      ...Array.from({ length: bad }, () => ({ StatusReport: { Status: 'Failure: HTTP Status Code 503' } })),
    ];
    expect(endpointHealthFrom(obs(16, 0))).to.deep.equal({
      healthy: true,
      detail: '16 of 16 Route53 checkers report success',
    });
    expect(endpointHealthFrom(obs(3, 13)).healthy).to.equal(true);
    expect(endpointHealthFrom(obs(2, 14)).healthy).to.equal(false);
    expect(endpointHealthFrom([]).healthy).to.equal(false);
  });
});
