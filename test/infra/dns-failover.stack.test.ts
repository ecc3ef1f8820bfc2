import { expect } from 'chai';
import type { OfflineRun } from '../../infra/offline/run.js';
import { DOMAIN, ZONE_ID, named, nameOf, ofType, policyOf, scenario, type Scenario } from '../support/pulumi-mocks.js';

// DNS and the failover chain as declared. Does not prove Route53 or EventBridge behave this way in AWS (health
// checker timing, cross-region event delivery), nor that an alarm ever fires.
const ROUTE53 = ['aws:route53/record:Record', 'aws:route53/healthCheck:HealthCheck', 'aws:route53/zone:Zone'];

describe('DNS and failover (mocks)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });

  it('no DNS resources without a domain, and none ever in the seoul stack', () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls'] as const) {
      expect(
        runs[s].resources.filter((r) => ROUTE53.includes(r.type)).map((r) => r.name),
        s,
      ).to.deep.equal([]);
    }
  });

  it('records are owned once: across both stacks exactly one PRIMARY and one SECONDARY, both declared by tokyo', () => {
    const records = [runs.seoulTls, runs.tokyoDns].flatMap((run) =>
      ofType(run, 'aws:route53/record:Record').map(
        (r) => `${run.stack}:${String((r.inputs['failoverRoutingPolicies'] as { type: string }[])[0]?.type)}`,
      ),
    );
    expect(records.sort()).to.deep.equal(['tokyo:PRIMARY', 'tokyo:SECONDARY']);
  });

  it('health check: HTTPS :443 /health on the seoul ALB read through the StackReference (the real seoul run’s output)', () => {
    const checks = ofType(runs.tokyoDns, 'aws:route53/healthCheck:HealthCheck');
    expect(checks).to.have.length(1);
    expect(checks[0]?.inputs).to.deep.include({
      fqdn: runs.seoulTls.outputs['albDnsName'],
      type: 'HTTPS',
      port: 443,
      resourcePath: '/health',
      failureThreshold: 3,
      requestInterval: 30,
    });
    const ref = named(runs.tokyoDns, 'pulumi:pulumi:StackReference', 'megaticket-primary');
    expect(ref.inputs['name']).to.equal('organization/megaticket/seoul');
  });

  it('PRIMARY aliases the seoul ALB with the health check; SECONDARY aliases tokyo’s own ALB; same name and zone', () => {
    const run = runs.tokyoDns;
    const healthCheck = ofType(run, 'aws:route53/healthCheck:HealthCheck')[0];
    const record = (n: string) => named(run, 'aws:route53/record:Record', n).inputs;
    const tokyoAlb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-alb').state;
    expect(record('megaticket-dns-primary')).to.deep.include({
      zoneId: ZONE_ID,
      name: DOMAIN,
      type: 'A',
      setIdentifier: 'primary',
      failoverRoutingPolicies: [{ type: 'PRIMARY' }],
      aliases: [
        {
          name: runs.seoulTls.outputs['albDnsName'],
          zoneId: runs.seoulTls.outputs['albZoneId'],
          evaluateTargetHealth: true,
        },
      ],
      healthCheckId: healthCheck?.id,
    });
    expect(record('megaticket-dns-secondary')).to.deep.include({
      zoneId: ZONE_ID,
      name: DOMAIN,
      type: 'A',
      setIdentifier: 'secondary',
      failoverRoutingPolicies: [{ type: 'SECONDARY' }],
      aliases: [{ name: tokyoAlb['dnsName'], zoneId: tokyoAlb['zoneId'], evaluateTargetHealth: false }],
    });
    expect(record('megaticket-dns-secondary')['healthCheckId']).to.equal(undefined);
  });

  it('alarm on the health check lives in us-east-1 (where Route53 metrics are) and is owned by tokyo', () => {
    const alarm = named(runs.tokyoDns, 'aws:cloudwatch/metricAlarm:MetricAlarm', 'megaticket-failover-primary-down');
    expect(alarm.inputs).to.deep.include({
      region: 'us-east-1',
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: { HealthCheckId: ofType(runs.tokyoDns, 'aws:route53/healthCheck:HealthCheck')[0]?.id },
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
    });
    const usEast1 = (run: OfflineRun) =>
      run.resources
        .filter((r) => r.inputs['region'] === 'us-east-1')
        .map((r) => r.name)
        .sort();
    expect(usEast1(runs.tokyoDns)).to.deep.equal([
      'megaticket-failover-forward-rule',
      'megaticket-failover-forward-target',
      'megaticket-failover-primary-down',
    ]);
    expect(usEast1(runs.seoulTls)).to.deep.equal([]);
  });

  it('alarm → EventBridge (us-east-1) → tokyo default bus → rule → the tokyo state machine, each hop with its own least-privilege role', () => {
    const run = runs.tokyoDns;
    const alarmName = named(run, 'aws:cloudwatch/metricAlarm:MetricAlarm', 'megaticket-failover-primary-down').state[
      'name'
    ];
    const pattern = {
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [alarmName], state: { value: ['ALARM'] } },
    };
    for (const rule of ['megaticket-failover-forward-rule', 'megaticket-failover-start-rule']) {
      expect(
        JSON.parse(String(named(run, 'aws:cloudwatch/eventRule:EventRule', rule).inputs['eventPattern'])),
      ).to.deep.equal(pattern);
    }
    const forward = named(run, 'aws:cloudwatch/eventTarget:EventTarget', 'megaticket-failover-forward-target').inputs;
    expect(forward['arn']).to.equal('arn:aws:events:ap-northeast-1:111122223333:event-bus/default');
    expect(nameOf(run, forward['roleArn'])).to.equal('megaticket-failover-forward-role');
    const start = named(run, 'aws:cloudwatch/eventTarget:EventTarget', 'megaticket-failover-start-target').inputs;
    expect(start['region']).to.equal(undefined);
    expect(nameOf(run, start['arn'])).to.equal('megaticket-failover-workflow');
    expect(
      policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-failover-start-policy')).Statement,
    ).to.deep.equal([
      { Sid: 'StartFailover', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [start['arn']] },
    ]);
  });

  it('the workflow (tokyo only, with or without a domain) writes the tokyo DR parameter and raises the tokyo ASGs to their DR minimum', () => {
    expect(ofType(runs.seoul, 'aws:sfn/stateMachine:StateMachine')).to.deep.equal([]);
    for (const run of [runs.tokyo, runs.tokyoDns]) {
      const sm = named(run, 'aws:sfn/stateMachine:StateMachine', 'megaticket-failover-workflow');
      const def = JSON.parse(String(sm.inputs['definition'])) as {
        States: Record<string, { Parameters?: Record<string, unknown> }>;
      };
      const asg = (tier: string) => named(run, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`);
      expect(def.States['RaiseMinSize0']?.Parameters).to.deep.equal({
        AutoScalingGroupName: asg('api').state['name'],
        MinSize: 2,
      });
      expect(def.States['RaiseMinSize1']?.Parameters).to.deep.equal({
        AutoScalingGroupName: asg('web').state['name'],
        MinSize: 2,
      });
      expect(def.States['WriteDrState']?.Parameters?.['Name']).to.equal('/megaticket/dr');
      const policy = policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-failover-workflow-policy'));
      expect(policy.Statement[1]?.Resource).to.deep.equal([asg('api').state['arn'], asg('web').state['arn']]);
    }
  });

  it('without a domain the workflow has no automatic trigger (no alarm, no rules): it is started by hand', () => {
    const types = runs.tokyo.resources.map((r) => r.type);
    expect(types).not.to.include('aws:cloudwatch/eventRule:EventRule');
    expect(runs.tokyo.resources.filter((r) => r.name === 'megaticket-failover-primary-down')).to.deep.equal([]);
  });
});
