import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AWS_ESTIMATES, extraMonthlyCostUsd, recoveryBudget } from '../../infra/recovery-budget.js';
import { DR_DOC, budgetSection, committedStandbyConfig, documentedBudget } from '../../scripts/recovery-budget.js';

// Arithmetic over the committed configuration; the estimates it labels as such are AWS's to confirm.
describe('infra/recovery-budget (docs/disaster-recovery.md)', function () {
  this.timeout(30_000);
  const tokyo = committedStandbyConfig();

  it('the document’s budget section is exactly what the committed configuration computes (run npm run dr:budget -- --write)', async () => {
    expect(documentedBudget(readFileSync(DR_DOC, 'utf8'))).to.equal(await budgetSection(tokyo));
  });

  it('detection follows the health check interval × 3; the rest follows alarm, workflow, boot and target health', () => {
    const fast = recoveryBudget({ ...tokyo, healthCheckIntervalSeconds: 10 });
    const slow = recoveryBudget({ ...tokyo, healthCheckIntervalSeconds: 30 });
    expect([fast.detection.seconds, slow.detection.seconds]).to.deep.equal([30, 90]);
    expect(slow.rtoSeconds - fast.rtoSeconds).to.equal(60);
    const serial = fast.serial.reduce((sum, l) => sum + l.seconds, 0);
    expect(fast.rtoSeconds).to.equal(30 + Math.max(serial, fast.dns.seconds));
  });

  it('a warm pool replaces launch, first boot and user data by starting a prepared instance', () => {
    const cold = recoveryBudget({ ...tokyo, standbyWarmPool: false });
    const warm = recoveryBudget({ ...tokyo, standbyWarmPool: true });
    expect(cold.rtoSeconds - warm.rtoSeconds).to.equal(
      AWS_ESTIMATES.launchAndBootSeconds + AWS_ESTIMATES.userDataSeconds - AWS_ESTIMATES.warmStartSeconds,
    );
    expect(warm.serial.map((l) => l.phase)).not.to.include('user data: fetch, verify, unpack the artifact');
  });

  it('the committed tokyo configuration meets the 3-minute goal; its extra cost is the fast check plus the pooled volumes', () => {
    expect([tokyo.healthCheckIntervalSeconds, tokyo.standbyWarmPool]).to.deep.equal([10, true]);
    expect(recoveryBudget(tokyo).rtoSeconds).to.be.at.most(180);
    expect(extraMonthlyCostUsd(tokyo)).to.be.closeTo(1 + 4 * 20 * 0.096, 1e-9);
    expect(extraMonthlyCostUsd({ ...tokyo, healthCheckIntervalSeconds: 30, standbyWarmPool: false })).to.equal(0);
  });
});
