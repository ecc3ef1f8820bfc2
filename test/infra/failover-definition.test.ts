import { expect } from 'chai';
import { GATE_OPEN_THRESHOLD, GATE_PINNED_THRESHOLD, failoverDefinition } from '../../infra/failover-definition.js';
import { runStateMachine, TaskFailure, type TaskCall } from '../support/asl.js';

/**
 * The state machine definition, walked by the test interpreter (test/support/asl.ts) with the DR state item simulated
 * by the DynamoDB condition's own semantics; test/integration/failover-workflow.test.ts runs the same write against
 * DynamoDB Local and reads it back with the app's store. Does not prove Step Functions accepts the ASL.
 */
const def = failoverDefinition({
  drStateTable: 'megaticket-control',
  gateHealthCheckId: 'gate-0001',
  groups: [
    { name: 'api-asg', drMinSize: 2, maxSize: 6 },
    { name: 'web-asg', drMinSize: 3, maxSize: 8 },
  ],
});
const PUT = 'arn:aws:states:::dynamodb:putItem';
const ROUTE53 = 'arn:aws:states:::aws-sdk:route53:updateHealthCheck';
const ASG = 'arn:aws:states:::aws-sdk:autoscaling:updateAutoScalingGroup';

/** The DR item as DynamoDB would hold it, applying the workflow's condition (not exists, or active = false). */
function simulatedTable(initial?: { active: boolean; since?: string }) {
  let item: Record<string, unknown> | undefined = initial && {
    pk: { S: 'DR_STATE' },
    active: { BOOL: initial.active },
    ...(initial.since ? { since: { S: initial.since } } : {}),
  };
  const handler = async (call: TaskCall) => {
    if (call.resource !== PUT) return {};
    expect(call.params['ConditionExpression']).to.equal('attribute_not_exists(pk) OR #active = :inactive');
    const active = (item?.['active'] as { BOOL: boolean } | undefined)?.BOOL;
    if (item && active !== false) throw new TaskFailure('DynamoDB.ConditionalCheckFailedException');
    item = call.params['Item'] as Record<string, unknown>;
    return {};
  };
  return { handler, since: () => (item?.['since'] as { S: string } | undefined)?.S };
}

const run = (handler: (c: TaskCall) => Promise<unknown>, startTime: string) =>
  runStateMachine(def, handler, { Execution: { StartTime: startTime, Id: `arn:aws:states:exec:${startTime}` } });

describe('infra/failover-definition (the failover workflow)', () => {
  it('first failover: writes {active, since: execution start} once, pins traffic, raises API then web with min, max and desired', async () => {
    const table = simulatedTable();
    const { calls } = await run(table.handler, '2026-11-22T03:00:00.000Z');
    expect(calls.map((c) => [c.resource, c.params])).to.deep.equal([
      [
        PUT,
        {
          TableName: 'megaticket-control',
          Item: {
            pk: { S: 'DR_STATE' },
            active: { BOOL: true },
            since: { S: '2026-11-22T03:00:00.000Z' },
            updatedBy: { S: 'arn:aws:states:exec:2026-11-22T03:00:00.000Z' },
            updatedAt: { S: '2026-11-22T03:00:00.000Z' },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #active = :inactive',
          ExpressionAttributeNames: { '#active': 'active' },
          ExpressionAttributeValues: { ':inactive': { BOOL: false } },
        },
      ],
      [ROUTE53, { HealthCheckId: 'gate-0001', HealthThreshold: GATE_PINNED_THRESHOLD }],
      [ASG, { AutoScalingGroupName: 'api-asg', MinSize: 2, MaxSize: 6, DesiredCapacity: 2 }],
      [ASG, { AutoScalingGroupName: 'web-asg', MinSize: 3, MaxSize: 8, DesiredCapacity: 3 }],
    ]);
    expect(table.since()).to.equal('2026-11-22T03:00:00.000Z');
  });

  it('re-run while active (second alarm, operator): since stays the first one; traffic pinned again; min/max only, never desired (no shrink)', async () => {
    const table = simulatedTable();
    await run(table.handler, '2026-11-22T03:00:00.000Z');
    const { calls, visited } = await run(table.handler, '2026-11-22T04:00:00.000Z');
    expect(table.since()).to.equal('2026-11-22T03:00:00.000Z');
    expect(visited).to.include('AlreadyActive');
    expect(calls.slice(1).map((c) => [c.resource, c.params])).to.deep.equal([
      [ROUTE53, { HealthCheckId: 'gate-0001', HealthThreshold: GATE_PINNED_THRESHOLD }],
      [ASG, { AutoScalingGroupName: 'api-asg', MinSize: 2, MaxSize: 6 }],
      [ASG, { AutoScalingGroupName: 'web-asg', MinSize: 3, MaxSize: 8 }],
    ]);
  });

  it('after a failback (item says inactive) the next failover writes its own since', async () => {
    const table = simulatedTable({ active: false, since: '2026-11-01T00:00:00.000Z' });
    const { visited } = await run(table.handler, '2026-11-22T05:00:00.000Z');
    expect(visited).to.include('FirstActivation');
    expect(table.since()).to.equal('2026-11-22T05:00:00.000Z');
  });

  it('the gate thresholds: open = its one child healthy, pinned = more healthy children than it has', () => {
    expect([GATE_OPEN_THRESHOLD, GATE_PINNED_THRESHOLD]).to.deep.equal([1, 2]);
  });

  it('a refused condition is never retried (it is an answer); transient errors are; a failed write fails the execution before traffic or capacity move', async () => {
    const states = def['States'] as Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[] }>;
    expect(states['WriteDrState']?.Retry?.[0]).to.deep.equal({
      ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
      MaxAttempts: 0,
    });
    for (const [name, s] of Object.entries(states).filter(([, s]) => s.Retry)) {
      expect(
        s.Retry!.some((r) => r.ErrorEquals.includes('States.ALL') && r.MaxAttempts > 0),
        name,
      ).to.equal(true);
    }
    const calls: string[] = [];
    const failing = async (call: TaskCall) => {
      calls.push(call.resource);
      throw new TaskFailure('DynamoDB.AccessDeniedException');
    };
    let message = '';
    try {
      await run(failing, '2026-11-22T03:00:00.000Z');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.contain('WriteDrState');
    expect(calls).to.deep.equal([PUT]);
  });

  it('uses only DynamoDB, Route53 and Auto Scaling integrations: no Lambda, no load balancer or launch template calls', () => {
    const resources = Object.values(def['States'] as Record<string, { Resource?: string }>)
      .map((s) => s.Resource)
      .filter(Boolean);
    expect([...new Set(resources)].sort()).to.deep.equal([ROUTE53, ASG, PUT].sort());
    expect(JSON.stringify(def)).not.to.match(/lambda|elasticloadbalancing|LaunchTemplate/i);
  });

  it('refuses a group whose DR minimum is 0 or above its maximum', () => {
    expect(() =>
      failoverDefinition({
        drStateTable: 't',
        gateHealthCheckId: 'g',
        groups: [{ name: 'x', drMinSize: 7, maxSize: 6 }],
      }),
    ).to.throw('DR minimum');
  });
});
