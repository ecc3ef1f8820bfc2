import { expect } from 'chai';
import { runDrill } from '../../scripts/drill/scenario.js';
import { dynamoLocal } from '../support/dynamo.js';

/**
 * `npm run drill` inside `npm test`: the same scenario against the suite's DynamoDB Local (started with -sharedDb),
 * seoul and tokyo as real child processes on ephemeral ports. What it cannot show: Route53, CloudWatch, EventBridge
 * and Step Functions timing and delivery, and cross-region replication lag (instant here).
 */
describe('failover drill (scripts/drill): seoul killed mid-booking, finished in tokyo, failback', function () {
  this.timeout(600_000);

  it('runs every step without a violation: DR_RECOVERED → DR_RESERVED, grace protected, seoul read-only until failback', async () => {
    const { endpoint } = await dynamoLocal();
    const result = await runDrill({ dynamoEndpoint: endpoint });
    expect(result.violation, result.timeline.map((e) => e.step).join(' → ')).to.equal(undefined);
    const steps = result.timeline.map((e) => e.step);
    for (const expected of [
      'user A holds them in seoul (HOLDING)',
      'seoul is killed mid-booking (SIGKILL: web and API)',
      'failover workflow: DR state written once, traffic pinned to tokyo',
      'failback while seoul is down is refused and changes nothing',
      'user A finds the hold in tokyo as DR_RECOVERED with deadline since + grace',
      'user B cannot take A’s seats during the grace (past A’s own hold expiry)',
      'user A pays in tokyo → DR_RESERVED (paying twice yields the same reservation)',
      'seoul is healthy, yet refuses writes; traffic stays pinned to tokyo',
      'failback: preconditions, hand-over, end of DR, traffic unpinned',
      'after failback: seoul writes, tokyo refuses, DNS follows seoul, A’s reservation intact',
    ]) {
      expect(steps, expected).to.include(expected);
    }
    expect(result.timeline.every((e) => e.ms >= 0)).to.equal(true);
  });
});
