import { expect } from 'chai';
import { TABLE_NAMES } from '../../app/adapters/dynamodb/tables.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { named, nameOf, ofType, scenario } from '../support/pulumi-mocks.js';

// Log groups, alarms and the dashboard as declared. Does not prove the metrics exist (the app must emit the EMF
// lines; ALB/NLB/DynamoDB metrics appear once there is traffic) or that alarms fire at the right moment.
describe('monitoring (mocks, seoul and tokyo)', () => {
  let runs: OfflineRun[];
  before(async () => {
    runs = [await scenario('seoul'), await scenario('tokyo')];
  });

  it('log groups: one per tier, named /megaticket/<stack>/<tier>-<random> (a leftover never blocks a new one), 30-day retention', () => {
    for (const run of runs) {
      const groups = ofType(run, 'aws:cloudwatch/logGroup:LogGroup')
        .map((g) => [g.inputs['namePrefix'], g.inputs['name'], g.inputs['retentionInDays']])
        .sort();
      expect(groups).to.deep.equal([
        [`/megaticket/${run.stack}/api-`, undefined, 30],
        [`/megaticket/${run.stack}/web-`, undefined, 30],
      ]);
    }
  });

  it('account-wide names differ per stack: the dashboard is megaticket-<stack>; IAM, SNS, buckets and state machines are auto-named', () => {
    const dashboards = runs.map((run) =>
      String(
        named(run, 'aws:cloudwatch/dashboard:Dashboard', 'megaticket-monitoring-dashboard').inputs['dashboardName'],
      ),
    );
    expect(dashboards).to.deep.equal(['megaticket-seoul', 'megaticket-tokyo']);
    for (const run of runs) {
      for (const type of [
        'aws:iam/role:Role',
        'aws:iam/instanceProfile:InstanceProfile',
        'aws:sns/topic:Topic',
        'aws:s3/bucket:Bucket',
        'aws:sfn/stateMachine:StateMachine',
        'aws:cloudwatch/metricAlarm:MetricAlarm',
        'aws:cloudwatch/eventRule:EventRule',
        'aws:route53/healthCheck:HealthCheck',
      ]) {
        for (const r of ofType(run, type)) expect(r.inputs['name'], `${run.stack} ${r.name}`).to.equal(undefined);
      }
    }
  });

  it('alarms: ALB 5xx (ELB and target), unhealthy web and API targets, Bedrock fallbacks, throttling on every table', () => {
    for (const run of runs) {
      const names = ofType(run, 'aws:cloudwatch/metricAlarm:MetricAlarm')
        .map((a) => a.name)
        .filter((n) => n.startsWith('megaticket-monitoring-'))
        .sort();
      expect(names).to.deep.equal(
        [
          'megaticket-monitoring-alb-5xx',
          'megaticket-monitoring-api-unhealthy',
          'megaticket-monitoring-bedrock-fallback',
          'megaticket-monitoring-target-5xx',
          'megaticket-monitoring-web-unhealthy',
          ...TABLE_NAMES.map((t) => `megaticket-monitoring-throttles-megaticket-${t}`),
          ...(run.stack === 'seoul'
            ? [
                'megaticket-monitoring-replication-megaticket-bookings',
                'megaticket-monitoring-replication-megaticket-control',
              ]
            : []),
        ].sort(),
      );
    }
  });

  it('seoul watches replication to tokyo of the bookings and DR state tables (the RPO); tokyo does not', () => {
    const [seoul, tokyo] = runs as [OfflineRun, OfflineRun];
    const replication = (run: OfflineRun) =>
      ofType(run, 'aws:cloudwatch/metricAlarm:MetricAlarm')
        .filter((a) => a.inputs['metricName'] === 'ReplicationLatency')
        .map((a) => [
          a.inputs['dimensions'],
          a.inputs['threshold'],
          nameOf(run, (a.inputs['alarmActions'] as string[])[0]),
        ]);
    expect(replication(seoul)).to.deep.equal(
      ['megaticket-bookings', 'megaticket-control'].map((t) => [
        { TableName: t, ReceivingRegion: 'ap-northeast-1' },
        10_000,
        'megaticket-monitoring-alerts',
      ]),
    );
    expect(replication(tokyo)).to.deep.equal([]);
  });

  it('alarm dimensions point at this stack’s own load balancers and target groups; all notify the alerts topic', () => {
    for (const run of runs) {
      const alb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-alb').state['arnSuffix'];
      const nlb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-nlb').state['arnSuffix'];
      const webTg = named(run, 'aws:lb/targetGroup:TargetGroup', 'megaticket-lb-web-tg').state['arnSuffix'];
      const apiTg = named(run, 'aws:lb/targetGroup:TargetGroup', 'megaticket-lb-api-tg').state['arnSuffix'];
      const alarm = (n: string) =>
        named(run, 'aws:cloudwatch/metricAlarm:MetricAlarm', `megaticket-monitoring-${n}`).inputs;
      expect(alarm('alb-5xx')).to.deep.include({
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        dimensions: { LoadBalancer: alb },
      });
      expect(alarm('web-unhealthy')).to.deep.include({
        namespace: 'AWS/ApplicationELB',
        dimensions: { LoadBalancer: alb, TargetGroup: webTg },
      });
      expect(alarm('api-unhealthy')).to.deep.include({
        namespace: 'AWS/NetworkELB',
        dimensions: { LoadBalancer: nlb, TargetGroup: apiTg },
      });
      expect((alarm('bedrock-fallback')['metricQueries'] as { expression: string }[])[0]?.expression).to.equal(
        'SELECT SUM(FallbackCount) FROM "MegaTicket/Bedrock"',
      );
      for (const a of ofType(run, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter((x) =>
        x.name.startsWith('megaticket-monitoring-'),
      )) {
        expect(
          (a.inputs['alarmActions'] as string[]).map((arn) => nameOf(run, arn)),
          a.name,
        ).to.deep.equal(['megaticket-monitoring-alerts']);
        expect(a.inputs['region'], a.name).to.equal(undefined);
      }
    }
  });

  it('the dashboard charts this stack’s own ALB, NLB, ASGs and tables in its own region', () => {
    for (const run of runs) {
      const body = String(
        named(run, 'aws:cloudwatch/dashboard:Dashboard', 'megaticket-monitoring-dashboard').inputs['dashboardBody'],
      );
      expect(body).to.include(
        String(named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-alb').state['arnSuffix']),
      );
      expect(body).to.include(String(named(run, 'aws:autoscaling/group:Group', 'megaticket-api-asg').state['name']));
      expect(body).to.include('megaticket-bookings');
      const regions = new Set([...body.matchAll(/"region":"([a-z0-9-]+)"/g)].map((m) => m[1]));
      expect([...regions]).to.deep.equal([run.config.region]);
    }
  });
});
