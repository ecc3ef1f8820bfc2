import { expect } from 'chai';
import type { DrState, DrStateStore } from '../../../app/booking/dr.js';
import { activated, deactivated, failingBack } from '../../../app/booking/dr-transitions.js';
import type { Hold } from '../../../app/booking/model.js';
import {
  FailbackRefused,
  failback,
  failbackPreconditions,
  unrecoveredHoldsIn,
  type FailbackPort,
} from '../../../scripts/failback/procedure.js';
import { refusal } from '../../support/refusal.js';

const SINCE = Date.parse('2026-11-22T03:00:00.000Z');

/** An in-memory DR item applying the domain's transitions, recording every write in order. */
function memoryStore(initial: DrState, writes: string[]): DrStateStore {
  let state = initial;
  return {
    current: async () => state,
    activate: async (since) => ((state = activated(state, since)), state),
    beginFailback: async (expected, at) => {
      state = failingBack(state, expected, at);
      writes.push('beginFailback');
      return state;
    },
    deactivate: async (expected) => {
      state = deactivated(state, expected);
      writes.push('deactivate');
      return state;
    },
  };
}

function fakePort(overrides: Partial<FailbackPort> & { state?: DrState } = {}) {
  const writes: string[] = [];
  const standby = memoryStore(overrides.state ?? { active: true, since: SINCE }, writes);
  const port: FailbackPort = {
    standby,
    primaryReplica: standby, // replication is instant in this fake
    primaryHealthy: async () => ({ healthy: true, detail: 'ok' }),
    failoverRunning: async () => false,
    unrecoveredHolds: async () => 0,
    unpinTraffic: async () => void writes.push('unpinTraffic'),
    ...overrides,
  };
  return { port, writes };
}

const options = { settleMs: 0, replicationTimeoutMs: 50, pollMs: 1 };

describe('failback procedure (scripts/failback/procedure.ts)', () => {
  it('in order: hand-over (nobody writes), end of DR (the primary writes), then traffic unpinned', async () => {
    const { port, writes } = fakePort();
    const steps = await failback(port, options);
    expect(writes).to.deep.equal(['beginFailback', 'deactivate', 'unpinTraffic']);
    expect(steps.map((s) => s.step.split(':')[0])).to.deep.equal([
      'preconditions checked',
      'hand-over started',
      'hand-over replicated to the primary and every API cache expired',
      'DR ended',
      'end of DR replicated to the primary',
      'traffic unpinned',
    ]);
    expect(await port.standby.current()).to.deep.equal({ active: false });
  });

  it('refuses with every failed precondition at once and writes nothing', async () => {
    const { port, writes } = fakePort({
      failoverRunning: async () => true,
      primaryHealthy: async () => ({ healthy: false, detail: 'HTTP 503' }),
      unrecoveredHolds: async () => 2,
      primaryReplica: { current: async () => ({ active: false }) },
    });
    const { reasons } = await refusal(failback(port, options), FailbackRefused);
    expect(reasons).to.have.length(4);
    expect(reasons.join('\n'))
      .to.match(/still running/)
      .and.match(/HTTP 503/)
      .and.match(/2 primary-region hold/);
    expect(reasons.join('\n')).to.match(/replication is behind/);
    expect(writes).to.deep.equal([]);
  });

  it('refuses when DR is not active; resumes an interrupted hand-over for the same failover', async () => {
    expect((await failbackPreconditions(fakePort({ state: { active: false } }).port)).reasons).to.deep.equal([
      'DR is not active: there is nothing to fail back.',
    ]);
    const { port, writes } = fakePort({ state: { active: true, since: SINCE, failbackStartedAt: SINCE + 1 } });
    await failback(port, options);
    expect(writes).to.deep.equal(['beginFailback', 'deactivate', 'unpinTraffic']);
    expect(await port.standby.current()).to.deep.equal({ active: false });
  });

  it('stops (before ending DR) when the primary replica never shows the hand-over', async () => {
    const { port, writes } = fakePort();
    const lagging: FailbackPort = {
      ...port,
      primaryReplica: { current: async () => ({ active: true, since: SINCE }) },
    };
    let message = '';
    await failback(lagging, options).catch((e: Error) => (message = e.message));
    expect(message).to.contain('did not show the hand-over');
    expect(writes).to.deep.equal(['beginFailback']);
  });

  it('unrecoveredHoldsIn counts only HOLDING primary-region holds live at since', async () => {
    const hold = (over: Partial<Hold>) =>
      ({
        status: 'HOLDING',
        region: 'ap-northeast-2',
        createdAt: SINCE - 60_000,
        expiresAt: SINCE + 60_000,
        ...over,
      }) as Hold;
    const store = {
      holdsExpiringAfter: async () => [
        hold({}),
        hold({ status: 'DR_RECOVERED' }),
        hold({ region: 'ap-northeast-1' }),
        hold({ createdAt: SINCE + 1000 }),
      ],
    };
    expect(await unrecoveredHoldsIn(store, SINCE, 'ap-northeast-2')).to.equal(1);
  });
});
