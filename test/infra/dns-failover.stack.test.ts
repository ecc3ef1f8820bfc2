import { expect } from 'chai';
import { GATE_OPEN_THRESHOLD, GATE_PINNED_THRESHOLD } from '../../infra/failover-definition.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { DOMAIN, ZONE_ID, named, nameOf, ofType, policyOf, scenario, type Scenario } from '../support/pulumi-mocks.js';

// DNS, health checks, the failover chain and its notifications as declared. Does not prove Route53, CloudWatch,
// EventBridge or Step Functions behave this way in AWS (checker timing, cross-region delivery, SDK integrations).
const HEALTH = 'aws:route53/healthCheck:HealthCheck';
const RECORD = 'aws:route53/record:Record';
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';
const RULE = 'aws:cloudwatch/eventRule:EventRule';
const TARGET = 'aws:cloudwatch/eventTarget:EventTarget';

describe('DNS, health checks and the failover chain (mocks)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });
  const standbys = () => [runs.tokyo, runs.tokyoDns];

  it('the seoul stack declares no Route53 resource, alarm chain or workflow; records only exist with a domain', () => {
    for (const s of ['seoul', 'seoulTls'] as const) {
      expect(
        runs[s].resources.filter((r) => r.type.startsWith('aws:route53') || r.type.startsWith('aws:sfn')),
        s,
      ).to.deep.equal([]);
      expect(runs[s].resources.filter((r) => r.inputs['region'] === 'us-east-1').map((r) => r.name)).to.deep.equal([]);
    }
    expect(ofType(runs.tokyo, RECORD)).to.deep.equal([]);
    expect(ofType(runs.tokyoDns, RECORD)).to.have.length(2);
  });

  it('without a domain the health check and its alarm still exist: nothing needs a hosted zone to trigger failover', () => {
    const run = runs.tokyo;
    expect(
      ofType(run, HEALTH)
        .map((h) => h.name)
        .sort(),
    ).to.deep.equal(['megaticket-primary-health-endpoint', 'megaticket-primary-health-gate']);
    expect(named(run, ALARM, 'megaticket-failover-primary-down').inputs['dimensions']).to.deep.equal({
      HealthCheckId: named(run, HEALTH, 'megaticket-primary-health-endpoint').id,
    });
    expect(named(run, 'pulumi:pulumi:StackReference', 'megaticket-primary').inputs['name']).to.equal(
      'organization/megaticket/seoul',
    );
  });

  it('the endpoint check hits the web tier’s deep path on the seoul ALB (HTTP :80 domainless, HTTPS :443 with TLS), fast interval, 3 failures', () => {
    const expected = [
      [runs.tokyo, runs.seoul, 'HTTP', 80],
      [runs.tokyoDns, runs.seoulTls, 'HTTPS', 443],
    ] as const;
    for (const [tokyo, seoul, type, port] of expected) {
      expect(named(tokyo, HEALTH, 'megaticket-primary-health-endpoint').inputs).to.deep.include({
        type,
        port,
        fqdn: seoul.outputs['albDnsName'],
        resourcePath: '/health/deep',
        requestInterval: 10,
        failureThreshold: 3,
      });
    }
  });

  it('the gate: a calculated check over the endpoint, threshold 1 (open); pulumi up never resets a pinned threshold', () => {
    for (const run of standbys()) {
      const gate = named(run, HEALTH, 'megaticket-primary-health-gate');
      expect(gate.inputs).to.deep.include({
        type: 'CALCULATED',
        childHealthchecks: [named(run, HEALTH, 'megaticket-primary-health-endpoint').id],
        childHealthThreshold: GATE_OPEN_THRESHOLD,
      });
      expect(gate.options.ignoreChanges).to.deep.equal(['childHealthThreshold']);
    }
  });

  it('records are owned once (tokyo): PRIMARY aliases the seoul ALB behind the gate, SECONDARY tokyo’s own ALB', () => {
    const run = runs.tokyoDns;
    const gate = named(run, HEALTH, 'megaticket-primary-health-gate');
    const tokyoAlb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-alb').state;
    const record = (n: string) => named(run, RECORD, n).inputs;
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
      healthCheckId: gate.id,
    });
    expect(record('megaticket-dns-secondary')).to.deep.include({
      setIdentifier: 'secondary',
      failoverRoutingPolicies: [{ type: 'SECONDARY' }],
      aliases: [{ name: tokyoAlb['dnsName'], zoneId: tokyoAlb['zoneId'], evaluateTargetHealth: false }],
    });
    expect(record('megaticket-dns-secondary')['healthCheckId']).to.equal(undefined);
  });

  it('primary-down alarm in us-east-1: one 1-minute period on the endpoint check, notifying a us-east-1 SNS topic on ALARM and OK', () => {
    for (const run of standbys()) {
      const alarm = named(run, ALARM, 'megaticket-failover-primary-down');
      const topic = named(run, 'aws:sns/topic:Topic', 'megaticket-failover-primary-down-alerts');
      expect(topic.inputs['region']).to.equal('us-east-1');
      expect(alarm.inputs).to.deep.include({
        region: 'us-east-1',
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        alarmActions: [topic.state['arn']],
        okActions: [topic.state['arn']],
      });
      expect(String(topic.state['arn'])).to.match(/^arn:aws:sns:us-east-1:/);
    }
    const email = named(
      runs.tokyoDns,
      'aws:sns/topicSubscription:TopicSubscription',
      'megaticket-failover-primary-down-email',
    );
    expect(email.inputs).to.deep.include({ region: 'us-east-1', protocol: 'email', endpoint: 'ops@example.com' });
  });

  it('alarm → EventBridge (us-east-1) → tokyo default bus → rule → the tokyo state machine, each hop with its own least-privilege role', () => {
    for (const run of standbys()) {
      const alarmName = named(run, ALARM, 'megaticket-failover-primary-down').state['name'];
      const pattern = {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [alarmName], state: { value: ['ALARM'] } },
      };
      for (const rule of ['megaticket-failover-forward-rule', 'megaticket-failover-start-rule']) {
        expect(JSON.parse(String(named(run, RULE, rule).inputs['eventPattern']))).to.deep.equal(pattern);
      }
      const forward = named(run, TARGET, 'megaticket-failover-forward-target').inputs;
      expect(forward).to.deep.include({
        region: 'us-east-1',
        arn: 'arn:aws:events:ap-northeast-1:111122223333:event-bus/default',
      });
      expect(nameOf(run, forward['roleArn'])).to.equal('megaticket-failover-forward-role');
      const start = named(run, TARGET, 'megaticket-failover-start-target').inputs;
      expect(start['region']).to.equal(undefined);
      expect(nameOf(run, start['arn'])).to.equal('megaticket-failover-workflow');
      expect(
        policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-failover-start-policy')).Statement,
      ).to.deep.equal([
        { Sid: 'StartFailover', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [start['arn']] },
      ]);
      expect(
        run.resources
          .filter((r) => r.inputs['region'] === 'us-east-1')
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal(
        [
          'megaticket-failover-forward-rule',
          'megaticket-failover-forward-target',
          'megaticket-failover-primary-down',
          'megaticket-failover-primary-down-alerts',
          ...(run === runs.tokyoDns ? ['megaticket-failover-primary-down-email'] : []),
        ].sort(),
      );
    }
  });

  it('the workflow’s outcome reaches the tokyo alerts topic: a rule on every final execution status, allowed by the topic policy', () => {
    for (const run of standbys()) {
      const sm = named(run, 'aws:sfn/stateMachine:StateMachine', 'megaticket-failover-workflow');
      const rule = named(run, RULE, 'megaticket-failover-status-rule');
      expect(JSON.parse(String(rule.inputs['eventPattern']))).to.deep.equal({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [sm.state['arn']], status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      });
      const target = named(run, TARGET, 'megaticket-failover-status-target').inputs;
      expect(nameOf(run, target['arn'])).to.equal('megaticket-monitoring-alerts');
      expect(String((target['inputTransformer'] as { inputTemplate: string }).inputTemplate)).to.match(
        /^"MegaTicket failover workflow <status>: <execution>/,
      );
      const topicPolicy = named(run, 'aws:sns/topicPolicy:TopicPolicy', 'megaticket-failover-alerts-policy');
      expect(nameOf(run, topicPolicy.inputs['arn'])).to.equal('megaticket-monitoring-alerts');
      const statements = policyOf(topicPolicy).Statement;
      expect(statements.find((s) => s.Sid === 'FailoverWorkflowStatus')).to.deep.include({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['sns:Publish'],
        Condition: { ArnEquals: { 'aws:SourceArn': [rule.state['arn']] } },
      });
    }
  });

  it('a failed, timed-out or aborted execution raises an alarm on the tokyo alerts topic', () => {
    for (const run of standbys()) {
      const sm = named(run, 'aws:sfn/stateMachine:StateMachine', 'megaticket-failover-workflow');
      const alarm = named(run, ALARM, 'megaticket-failover-workflow-failed').inputs;
      const queries = alarm['metricQueries'] as { id: string; expression?: string; metric?: Record<string, unknown> }[];
      expect(
        queries
          .filter((q) => q.metric)
          .map((q) => [q.metric!['namespace'], q.metric!['metricName'], q.metric!['dimensions']]),
      ).to.deep.equal(
        ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((m) => [
          'AWS/States',
          m,
          { StateMachineArn: sm.state['arn'] },
        ]),
      );
      expect(queries.find((q) => q.expression)?.expression).to.equal(
        'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
      );
      expect(alarm).to.deep.include({ threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect((alarm['alarmActions'] as string[]).map((a) => nameOf(run, a))).to.deep.equal([
        'megaticket-monitoring-alerts',
      ]);
    }
  });

  it('the workflow writes tokyo’s replica of the control table, pins the gate, raises the tokyo ASGs; its role allows exactly that', () => {
    for (const run of standbys()) {
      const sm = named(run, 'aws:sfn/stateMachine:StateMachine', 'megaticket-failover-workflow');
      const def = JSON.parse(String(sm.inputs['definition'])) as {
        States: Record<string, { Parameters?: Record<string, unknown> }>;
      };
      const asg = (tier: string) => named(run, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`);
      const gate = named(run, HEALTH, 'megaticket-primary-health-gate');
      expect(def.States['WriteDrState']?.Parameters?.['TableName']).to.equal('megaticket-control');
      expect(def.States['PinTraffic']?.Parameters).to.deep.equal({
        HealthCheckId: gate.id,
        HealthThreshold: GATE_PINNED_THRESHOLD,
      });
      expect(def.States['RaiseCapacity0']?.Parameters).to.deep.equal({
        AutoScalingGroupName: asg('api').state['name'],
        MinSize: 2,
        MaxSize: 6,
        DesiredCapacity: 2,
      });
      expect(def.States['RaiseCapacity1']?.Parameters?.['AutoScalingGroupName']).to.equal(asg('web').state['name']);
      const policy = policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-failover-workflow-policy'));
      expect(policy.Statement.map((s) => [s.Action, s.Resource])).to.deep.equal([
        [['dynamodb:PutItem'], ['arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-control']],
        [['route53:UpdateHealthCheck'], [gate.state['arn']]],
        [['autoscaling:UpdateAutoScalingGroup'], [asg('api').state['arn'], asg('web').state['arn']]],
      ]);
    }
  });
});
