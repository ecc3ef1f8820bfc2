import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { failoverDefinition } from '../failover-definition.js';
import { childName } from '../naming.js';
import {
  failoverWorkflowPolicy,
  putEventsPolicy,
  renderTrustPolicy,
  startExecutionPolicy,
  type ArnContext,
} from '../policies.js';

/** Route53 publishes health-check metrics only in us-east-1, so the alarm on them must live there. */
export const HEALTH_METRICS_REGION = 'us-east-1';

export interface FailoverArgs {
  readonly ctx: pulumi.Input<ArnContext>;
  readonly drParameterName: string;
  readonly groups: readonly {
    readonly name: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
    readonly drMinSize: number;
  }[];
  /** When DNS is configured: the primary's health check, whose alarm starts the workflow automatically. */
  readonly healthCheckId?: pulumi.Input<string>;
}

/**
 * The standby's failover workflow: a Step Functions state machine in this region (AWS SDK integrations only). With a
 * health check it is triggered by: health-check alarm (us-east-1) → EventBridge rule (us-east-1) → this region's
 * default event bus → rule → state machine. Without DNS it is started by hand (docs/infrastructure.md).
 */
export class Failover extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly alarmName?: pulumi.Output<string>;

  constructor(name: string, args: FailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dr:Failover', name, {}, opts);
    const parent = { parent: this };
    const ctx = pulumi.output(args.ctx);

    const workflowRole = new aws.iam.Role(
      childName(name, 'workflow-role'),
      { assumeRolePolicy: ctx.apply((c) => renderTrustPolicy('states.amazonaws.com', c.accountId)) },
      parent,
    );
    new aws.iam.RolePolicy(
      childName(name, 'workflow-policy'),
      {
        role: workflowRole.id,
        policy: pulumi
          .all([ctx, pulumi.all(args.groups.map((g) => g.arn))])
          .apply(([c, arns]) =>
            JSON.stringify(
              failoverWorkflowPolicy({ ctx: c, drParameterName: args.drParameterName, autoScalingGroupArns: arns }),
            ),
          ),
      },
      parent,
    );
    const stateMachine = new aws.sfn.StateMachine(
      childName(name, 'workflow'),
      {
        roleArn: workflowRole.arn,
        type: 'STANDARD',
        definition: pulumi.all(args.groups.map((g) => g.name)).apply((names) =>
          JSON.stringify(
            failoverDefinition({
              drParameterName: args.drParameterName,
              groups: names.map((n, i) => ({ name: n, drMinSize: args.groups[i]?.drMinSize ?? 1 })),
            }),
          ),
        ),
      },
      parent,
    );
    this.stateMachineArn = stateMachine.arn;

    if (args.healthCheckId) {
      const alarm = new aws.cloudwatch.MetricAlarm(
        childName(name, 'primary-down'),
        {
          region: HEALTH_METRICS_REGION,
          alarmDescription: 'Primary ALB /health failing from Route53 health checkers: starts the DR failover workflow',
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensions: { HealthCheckId: args.healthCheckId },
          statistic: 'Minimum',
          period: 60,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          threshold: 1,
          comparisonOperator: 'LessThanThreshold',
          // No data is not evidence of an outage: keep the previous state rather than fail over on a metrics gap.
          treatMissingData: 'missing',
        },
        parent,
      );
      this.alarmName = alarm.name;
      const alarmPattern = alarm.name.apply((alarmName) =>
        JSON.stringify({
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { alarmName: [alarmName], state: { value: ['ALARM'] } },
        }),
      );

      // us-east-1: forward the alarm's state change to this region's default bus.
      const standbyBus = ctx.apply((c) => `arn:${c.partition}:events:${c.region}:${c.accountId}:event-bus/default`);
      const forwardRole = new aws.iam.Role(
        childName(name, 'forward-role'),
        { assumeRolePolicy: ctx.apply((c) => renderTrustPolicy('events.amazonaws.com', c.accountId)) },
        parent,
      );
      new aws.iam.RolePolicy(
        childName(name, 'forward-policy'),
        { role: forwardRole.id, policy: standbyBus.apply((arn) => JSON.stringify(putEventsPolicy(arn))) },
        parent,
      );
      const forwardRule = new aws.cloudwatch.EventRule(
        childName(name, 'forward-rule'),
        {
          region: HEALTH_METRICS_REGION,
          description: 'Primary-down alarm → standby region bus',
          eventPattern: alarmPattern,
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        childName(name, 'forward-target'),
        { region: HEALTH_METRICS_REGION, rule: forwardRule.name, arn: standbyBus, roleArn: forwardRole.arn },
        parent,
      );

      // This region: start the workflow.
      const startRole = new aws.iam.Role(
        childName(name, 'start-role'),
        { assumeRolePolicy: ctx.apply((c) => renderTrustPolicy('events.amazonaws.com', c.accountId)) },
        parent,
      );
      new aws.iam.RolePolicy(
        childName(name, 'start-policy'),
        { role: startRole.id, policy: stateMachine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))) },
        parent,
      );
      const startRule = new aws.cloudwatch.EventRule(
        childName(name, 'start-rule'),
        { description: 'Primary-down alarm → failover workflow', eventPattern: alarmPattern },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        childName(name, 'start-target'),
        { rule: startRule.name, arn: stateMachine.arn, roleArn: startRole.arn },
        parent,
      );
    }
    this.registerOutputs({ stateMachineArn: this.stateMachineArn });
  }
}
