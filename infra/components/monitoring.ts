import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { dashboardBody } from '../dashboard.js';
import { childName } from '../naming.js';

export interface MonitoringArgs {
  readonly region: string;
  /** Dashboards are per account, not per region: the name carries the stack (naming.ts `stackScopedName`). */
  readonly dashboardName: string;
  readonly albArnSuffix: pulumi.Input<string>;
  readonly webTargetGroupArnSuffix: pulumi.Input<string>;
  readonly nlbArnSuffix: pulumi.Input<string>;
  readonly apiTargetGroupArnSuffix: pulumi.Input<string>;
  readonly webAsgName: pulumi.Input<string>;
  readonly apiAsgName: pulumi.Input<string>;
  readonly tableNames: readonly string[];
  readonly alarmEmail?: string;
  /** Primary only: tables whose replication to the standby is watched (the RPO), and the standby region. */
  readonly replication?: { readonly receivingRegion: string; readonly tableNames: readonly string[] };
}

/** Replication to the standby slower than this (sustained 3 minutes) alarms: the RPO is growing. */
export const REPLICATION_LATENCY_ALARM_MS = 10_000;

/**
 * Alarms on what users feel (ALB 5xx, unhealthy targets), on the assistant's degraded mode (Bedrock fallbacks, from
 * the app's EMF logs) and on DynamoDB throttling, all notifying one SNS topic; plus the stack's dashboard.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:monitoring:Monitoring', name, {}, opts);
    const parent = { parent: this };
    const topic = new aws.sns.Topic(childName(name, 'alerts'), {}, parent);
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(
        childName(name, 'alerts-email'),
        { topic: topic.arn, protocol: 'email', endpoint: args.alarmEmail },
        parent,
      );
    }
    const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };

    const albMetric = (suffix: string, metricName: string, description: string) =>
      new aws.cloudwatch.MetricAlarm(
        childName(name, suffix),
        {
          alarmDescription: description,
          namespace: 'AWS/ApplicationELB',
          metricName,
          dimensions: { LoadBalancer: args.albArnSuffix },
          statistic: 'Sum',
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: 5,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        },
        parent,
      );
    albMetric('alb-5xx', 'HTTPCode_ELB_5XX_Count', 'The ALB itself returned 5xx (no healthy web target, timeouts)');
    albMetric('target-5xx', 'HTTPCode_Target_5XX_Count', 'The web tier returned 5xx');

    const unhealthy = (suffix: string, namespace: string, lb: pulumi.Input<string>, tg: pulumi.Input<string>) =>
      new aws.cloudwatch.MetricAlarm(
        childName(name, suffix),
        {
          alarmDescription: `Unhealthy targets in ${suffix.split('-')[0]} target group`,
          namespace,
          metricName: 'UnHealthyHostCount',
          dimensions: { LoadBalancer: lb, TargetGroup: tg },
          statistic: 'Maximum',
          period: 60,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          threshold: 0,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        },
        parent,
      );
    unhealthy('web-unhealthy', 'AWS/ApplicationELB', args.albArnSuffix, args.webTargetGroupArnSuffix);
    unhealthy('api-unhealthy', 'AWS/NetworkELB', args.nlbArnSuffix, args.apiTargetGroupArnSuffix);

    // A Metrics Insights query sums FallbackCount over every dimension set the app emits (Model, IsFallback, reason).
    new aws.cloudwatch.MetricAlarm(
      childName(name, 'bedrock-fallback'),
      {
        alarmDescription: 'The assistant is falling back from the primary Bedrock model',
        metricQueries: [
          {
            id: 'fallbacks',
            expression: 'SELECT SUM(FallbackCount) FROM "MegaTicket/Bedrock"',
            period: 300,
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: 5,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        ...actions,
      },
      parent,
    );

    for (const table of args.tableNames) {
      const metric = (metricName: string) => ({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensions: { TableName: table },
        period: 60,
        stat: 'Sum',
      });
      new aws.cloudwatch.MetricAlarm(
        childName(name, `throttles-${table}`),
        {
          alarmDescription: `DynamoDB throttling on ${table} in ${args.region}`,
          metricQueries: [
            { id: 'r', metric: metric('ReadThrottleEvents') },
            { id: 'w', metric: metric('WriteThrottleEvents') },
            { id: 'throttles', expression: 'FILL(r, 0) + FILL(w, 0)', label: 'throttle events', returnData: true },
          ],
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        },
        parent,
      );
    }

    for (const table of args.replication?.tableNames ?? []) {
      new aws.cloudwatch.MetricAlarm(
        childName(name, `replication-${table}`),
        {
          alarmDescription: `Replication of ${table} to ${args.replication!.receivingRegion} is slow: the RPO is growing`,
          namespace: 'AWS/DynamoDB',
          metricName: 'ReplicationLatency',
          dimensions: { TableName: table, ReceivingRegion: args.replication!.receivingRegion },
          statistic: 'Average',
          period: 60,
          evaluationPeriods: 3,
          threshold: REPLICATION_LATENCY_ALARM_MS,
          comparisonOperator: 'GreaterThanThreshold',
          treatMissingData: 'notBreaching',
          ...actions,
        },
        parent,
      );
    }

    const dashboard = new aws.cloudwatch.Dashboard(
      childName(name, 'dashboard'),
      {
        dashboardName: args.dashboardName,
        dashboardBody: pulumi
          .all([
            args.albArnSuffix,
            args.webTargetGroupArnSuffix,
            args.nlbArnSuffix,
            args.apiTargetGroupArnSuffix,
            args.webAsgName,
            args.apiAsgName,
          ])
          .apply(([alb, webTg, nlb, apiTg, webAsg, apiAsg]) =>
            dashboardBody({
              region: args.region,
              albArnSuffix: alb,
              webTargetGroupArnSuffix: webTg,
              nlbArnSuffix: nlb,
              apiTargetGroupArnSuffix: apiTg,
              webAsgName: webAsg,
              apiAsgName: apiAsg,
              tableNames: args.tableNames,
            }),
          ),
      },
      parent,
    );
    this.topicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ topicArn: this.topicArn, dashboardName: this.dashboardName });
  }
}
