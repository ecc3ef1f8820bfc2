import { expect } from 'chai';
import { parseDrState } from '../../app/booking/dr-state-codec.js';
import { INITIAL_DR_STATE } from '../../infra/components/dr-state.js';
import { failoverDefinition } from '../../infra/failover-definition.js';

/**
 * The state machine definition, walked by a tiny interpreter of exactly the constructs it uses (Task results are
 * supplied by the test). Does not prove Step Functions accepts the ASL or that the SDK integrations behave this way
 * in AWS (validate with `aws stepfunctions validate-state-machine-definition`).
 */
type States = Record<string, Record<string, unknown>>;
const def = failoverDefinition({
  drParameterName: '/megaticket/dr',
  groups: [
    { name: 'api-asg', drMinSize: 2 },
    { name: 'web-asg', drMinSize: 3 },
  ],
}) as { StartAt: string; States: States };

/** Returns the visited states and the SDK calls made, given what getParameter returns (undefined = not found). */
function walk(parameter: string | undefined, startTime = '2026-11-22T03:00:00.000Z') {
  const calls: { resource: string; params: Record<string, unknown> }[] = [];
  const visited: string[] = [];
  let current: unknown;
  let name: string | undefined = def.StartAt;
  while (name) {
    visited.push(name);
    const s: Record<string, unknown> | undefined = def.States[name];
    if (!s) throw new Error(`no state ${name}`);
    if (name === 'ReadDrState') {
      if (parameter === undefined) {
        name = 'BuildActiveState';
        continue;
      }
      current = JSON.parse(parameter);
      name = s['Next'] as string;
    } else if (s['Type'] === 'Choice') {
      const active = (current as { active?: unknown } | undefined)?.active;
      const rule = (s['Choices'] as Record<string, unknown>[])[0] ?? {};
      const matches =
        'IsPresent' in rule
          ? (active !== undefined) === rule['IsPresent']
          : 'IsBoolean' in rule
            ? (typeof active === 'boolean') === rule['IsBoolean']
            : active === rule['BooleanEquals'];
      name = (matches ? rule['Next'] : s['Default']) as string;
    } else if (s['Type'] === 'Pass') {
      name = s['Next'] as string;
    } else {
      const params = { ...(s['Parameters'] as Record<string, unknown>) };
      if ('Value.$' in params) {
        delete params['Value.$'];
        params['Value'] = JSON.stringify({ active: true, since: startTime });
      }
      calls.push({ resource: String(s['Resource']), params });
      name = s['End'] ? undefined : (s['Next'] as string);
    }
  }
  return { visited, calls };
}

describe('infra/failover-definition', () => {
  const put = 'arn:aws:states:::aws-sdk:ssm:putParameter';
  const update = 'arn:aws:states:::aws-sdk:autoscaling:updateAutoScalingGroup';

  it('first failover (parameter says inactive): writes {active:true, since: execution start}, then raises API then web MinSize', () => {
    const { calls } = walk(INITIAL_DR_STATE);
    expect(calls).to.deep.equal([
      {
        resource: put,
        params: {
          Name: '/megaticket/dr',
          Type: 'String',
          Overwrite: true,
          Value: '{"active":true,"since":"2026-11-22T03:00:00.000Z"}',
        },
      },
      { resource: update, params: { AutoScalingGroupName: 'api-asg', MinSize: 2 } },
      { resource: update, params: { AutoScalingGroupName: 'web-asg', MinSize: 3 } },
    ]);
  });

  it('re-run while already active: does not write the parameter (since never moves), still ensures capacity', () => {
    const { calls, visited } = walk('{"active":true,"since":"2026-11-22T03:00:00.000Z"}', '2026-11-22T04:00:00.000Z');
    expect(visited).not.to.include('WriteDrState');
    expect(calls.map((c) => c.resource)).to.deep.equal([update, update]);
  });

  it('missing parameter or non-boolean active: treated as inactive and written', () => {
    expect(walk(undefined).calls[0]?.resource).to.equal(put);
    expect(walk('{"active":"yes"}').calls[0]?.resource).to.equal(put);
    expect(walk('{}').calls[0]?.resource).to.equal(put);
  });

  it('only sets MinSize (never DesiredCapacity or MaxSize), so it cannot shrink a group that already scaled out', () => {
    for (const s of Object.values(def.States).filter((x) => x['Resource'] === update)) {
      expect(Object.keys(s['Parameters'] as object)).to.deep.equal(['AutoScalingGroupName', 'MinSize']);
    }
  });

  it('uses only SSM and Auto Scaling SDK integrations: no Lambda, no load balancer or launch template calls', () => {
    const resources = Object.values(def.States)
      .map((s) => s['Resource'])
      .filter(Boolean);
    for (const r of resources) expect(String(r)).to.match(/^arn:aws:states:::aws-sdk:(ssm|autoscaling):/);
    expect(JSON.stringify(def)).not.to.match(/lambda|elasticloadbalancing|LaunchTemplate/i);
  });

  it('the written state and the initial state parse with the app’s DR codec (same document format)', () => {
    expect(parseDrState(INITIAL_DR_STATE)).to.deep.equal({ active: false });
    const written = walk(INITIAL_DR_STATE).calls[0]?.params['Value'];
    expect(parseDrState(String(written))).to.deep.equal({
      active: true,
      since: Date.parse('2026-11-22T03:00:00.000Z'),
    });
  });
});
