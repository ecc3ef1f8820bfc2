import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { failoverDefinition } from '../failover-definition.js';
import { PRIMARY_DOWN_ALARM } from '../failover-settings.js';
import { childName } from '../naming.js';
import {
  alertsTopicPolicy,
  failoverWorkflowPolicy,
  putEventsPolicy,
  renderTrustPolicy,
  startExecutionPolicy,
  type ArnContext,
} from '../policies.js';

/** Route53 publishes health-check metrics only in us-east-1, so the alarm on them (and its topic) must live there. */
export const HEALTH_METRICS_REGION = 'us-east-1';

/** Step Functions execution statuses that end an execution; each one reaches the alerts topic. */
export const FINAL_EXECUTION_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface FailoverArgs {
  readonly ctx: pulumi.Input<ArnContext>;
  /** Physical name of the control table holding the DR state item. */
  readonly drStateTable: string;
  readonly groups: readonly {
    readonly name: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
    readonly drMinSize: number;
    readonly maxSize: number;
  }[];
  /** Seoul's endpoint health check (what the alarm watches) and the gate the workflow closes. */
  readonly endpointHealthCheckId: pulumi.Input<string>;
  readonly gateHealthCheckId: pulumi.Input<string>;
  /** This region's alerts topic (monitoring.ts): workflow outcomes and failed executions. */
  readonly alertsTopicArn: pulumi.Input<string>;
  /** Subscribed to the us-east-1 primary-down topic (confirm the subscription mail). */
  readonly alarmEmail?: string;
}

/**
 * The standby's failover automation, with or without a domain:
 *
 *   Route53 health check (primary-health.ts) → CloudWatch alarm (us-east-1) ─┬→ SNS topic (us-east-1) → operators
 *                                                                            └→ EventBridge (us-east-1) → this region's
 *   default bus → rule → Step Functions state machine (failover-definition.ts) ─→ execution status → EventBridge rule →
 *   alerts topic; a failed, timed-out or aborted execution also raises an alarm on the same topic.
 *
 * Operators hear of the outage (alarm → us-east-1 topic), of the workflow's outcome and of a failed execution.
 */
export class Failover extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;
  readonly primaryDownTopicArn: pulumi.Output<string>;

  constructor(name: string, args: FailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dr:Failover', name, {}, opts);
    const parent = { parent: this };
    const ctx = pulumi.output(args.ctx);
    const serviceRole = (suffix: string, service: string, policy: pulumi.Input<string>) => {
      const role = new aws.iam.Role(
        childName(name, `${suffix}-role`),
        { assumeRolePolicy: ctx.apply((c) => renderTrustPolicy(service, c.accountId)) },
        parent,
      );
      new aws.iam.RolePolicy(childName(name, `${suffix}-policy`), { role: role.id, policy }, parent);
      return role;
    };

    // The workflow.
    const workflowRole = serviceRole(
      'workflow',
      'states.amazonaws.com',
      pulumi.all([ctx, args.gateHealthCheckId, pulumi.all(args.groups.map((g) => g.arn))]).apply(([c, gate, arns]) =>
        JSON.stringify(
          failoverWorkflowPolicy({
            ctx: c,
            drStateTable: args.drStateTable,
            gateHealthCheckId: gate,
            autoScalingGroupArns: arns,
          }),
        ),
      ),
    );
    const stateMachine = new aws.sfn.StateMachine(
      childName(name, 'workflow'),
      {
        roleArn: workflowRole.arn,
        type: 'STANDARD',
        definition: pulumi
          .all([args.gateHealthCheckId, pulumi.all(args.groups.map((g) => g.name))])
          .apply(([gate, names]) =>
            JSON.stringify(
              failoverDefinition({
                drStateTable: args.drStateTable,
                gateHealthCheckId: gate,
                groups: names.map((n, i) => ({
                  name: n,
                  drMinSize: args.groups[i]!.drMinSize,
                  maxSize: args.groups[i]!.maxSize,
                })),
              }),
            ),
          ),
      },
      parent,
    );
    this.stateMachineArn = stateMachine.arn;

    // us-east-1: the alarm, its topic, and the forward to this region's bus.
    const primaryDownTopic = new aws.sns.Topic(
      childName(name, 'primary-down-alerts'),
      { region: HEALTH_METRICS_REGION },
      parent,
    );
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(
        childName(name, 'primary-down-email'),
        { region: HEALTH_METRICS_REGION, topic: primaryDownTopic.arn, protocol: 'email', endpoint: args.alarmEmail },
        parent,
      );
    }
    const alarm = new aws.cloudwatch.MetricAlarm(
      childName(name, 'primary-down'),
      {
        region: HEALTH_METRICS_REGION,
        alarmDescription:
          'MegaTicket primary region failing Route53 health checks (web tier or its API tier): starts the DR failover workflow in the standby region',
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: args.endpointHealthCheckId },
        statistic: 'Minimum',
        period: PRIMARY_DOWN_ALARM.periodSeconds,
        evaluationPeriods: PRIMARY_DOWN_ALARM.evaluationPeriods,
        datapointsToAlarm: PRIMARY_DOWN_ALARM.datapointsToAlarm,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        // No data is not evidence of an outage: keep the previous state rather than fail over on a metrics gap.
        treatMissingData: 'missing',
        alarmActions: [primaryDownTopic.arn],
        okActions: [primaryDownTopic.arn],
      },
      parent,
    );
    this.alarmName = alarm.name;
    this.primaryDownTopicArn = primaryDownTopic.arn;
    const alarmPattern = alarm.name.apply((alarmName) =>
      JSON.stringify({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: [alarmName], state: { value: ['ALARM'] } },
      }),
    );
    const standbyBus = ctx.apply((c) => `arn:${c.partition}:events:${c.region}:${c.accountId}:event-bus/default`);
    const forwardRole = serviceRole(
      'forward',
      'events.amazonaws.com',
      standbyBus.apply((arn) => JSON.stringify(putEventsPolicy(arn))),
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
    const startRole = serviceRole(
      'start',
      'events.amazonaws.com',
      stateMachine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))),
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

    // The workflow's outcome reaches people: every final execution status, and an alarm on failed executions.
    const statusRule = new aws.cloudwatch.EventRule(
      childName(name, 'status-rule'),
      {
        description: 'Failover workflow finished (succeeded, failed, timed out, aborted) → alerts topic',
        eventPattern: stateMachine.arn.apply((arn) =>
          JSON.stringify({
            source: ['aws.states'],
            'detail-type': ['Step Functions Execution Status Change'],
            detail: { stateMachineArn: [arn], status: [...FINAL_EXECUTION_STATUSES] },
          }),
        ),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      childName(name, 'status-target'),
      {
        rule: statusRule.name,
        arn: args.alertsTopicArn,
        inputTransformer: {
          inputPaths: { status: '$.detail.status', execution: '$.detail.executionArn', started: '$.detail.startDate' },
          inputTemplate:
            '"MegaTicket failover workflow <status>: <execution> (started <started>, epoch ms). ' +
            'On SUCCEEDED: DR state written, traffic pinned to the standby, standby capacity raised. ' +
            'Otherwise see the execution history and docs/disaster-recovery.md."',
        },
      },
      parent,
    );
    new aws.sns.TopicPolicy(
      childName(name, 'alerts-policy'),
      {
        arn: args.alertsTopicArn,
        policy: pulumi
          .all([ctx, args.alertsTopicArn, statusRule.arn])
          .apply(([c, topicArn, ruleArn]) =>
            JSON.stringify(alertsTopicPolicy({ topicArn, accountId: c.accountId, eventRuleArns: [ruleArn] })),
          ),
      },
      parent,
    );
    const metric = (metricName: string) => ({
      namespace: 'AWS/States',
      metricName,
      dimensions: { StateMachineArn: stateMachine.arn },
      period: 60,
      stat: 'Sum',
    });
    new aws.cloudwatch.MetricAlarm(
      childName(name, 'workflow-failed'),
      {
        alarmDescription:
          'The MegaTicket failover workflow failed, timed out or was aborted: the standby may not be serving',
        metricQueries: [
          { id: 'failed', metric: metric('ExecutionsFailed') },
          { id: 'timedOut', metric: metric('ExecutionsTimedOut') },
          { id: 'aborted', metric: metric('ExecutionsAborted') },
          {
            id: 'unsuccessful',
            expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
            label: 'unsuccessful failover executions',
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [args.alertsTopicArn],
      },
      parent,
    );
    this.registerOutputs({ stateMachineArn: this.stateMachineArn, alarmName: this.alarmName });
  }
}
