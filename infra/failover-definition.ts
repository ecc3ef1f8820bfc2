import { DR_STATE_ATTRIBUTES as A, DR_STATE_KEY } from '../app/adapters/dr/dr-state-item.js';

/**
 * The failover workflow as Amazon States Language, built from plain values. It runs in the standby region and uses
 * only service integrations (no Lambda, no code at runtime). In order:
 *
 * 1. Write the DR state item of the replicated `control` table, conditionally: only if DR is not active yet. The first
 *    execution's start time becomes `since`; a re-run (a second alarm, an operator) finds the condition false and keeps
 *    it, so the app's DR grace window can never restart. Replication carries the item to Seoul, whose API then refuses
 *    writes (app/booking/writer.ts) — also if Seoul comes back hours later.
 * 2. Pin traffic to the standby: raise the primary gate health check's threshold above its child count, which makes it
 *    unhealthy whatever Seoul's endpoint reports, so the PRIMARY record stays out of DNS after Seoul recovers. (Inverting
 *    or disabling a health check would not do: both report a dead Seoul as healthy.) Only the failback command lowers it.
 * 3. Raise the standby ASGs, API first. The first activation sets MinSize, MaxSize and DesiredCapacity; a re-run sets
 *    MinSize and MaxSize only (which raises desired to at least the minimum), so it never shrinks a group that has
 *    scaled out meanwhile.
 *
 * It never creates load balancers or touches launch templates.
 */
export interface FailoverDefinitionInput {
  /** Physical name of the control table (the same name in every replica region). */
  readonly drStateTable: string;
  /** The calculated health check the PRIMARY record uses; its threshold is what pins traffic. */
  readonly gateHealthCheckId: string;
  readonly groups: readonly { readonly name: string; readonly drMinSize: number; readonly maxSize: number }[];
}

/** The gate's single child is Seoul's endpoint check: 1 of 1 healthy serves Seoul, 2 of 1 can never be met. */
export const GATE_OPEN_THRESHOLD = 1;
export const GATE_PINNED_THRESHOLD = 2;

type State = Record<string, unknown>;

const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';
/** Transient service errors are retried; a refused condition is an answer, not an error, and is never retried. */
const RETRY_TRANSIENT = [
  { ErrorEquals: [CONDITION_FAILED], MaxAttempts: 0 },
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2 },
];

function scaleStates(
  prefix: string,
  groups: FailoverDefinitionInput['groups'],
  withDesired: boolean,
): Record<string, State> {
  return Object.fromEntries(
    groups.map((group, i) => [
      `${prefix}${i}`,
      {
        Type: 'Task',
        Comment: `${group.name}: at least ${group.drMinSize} instances${withDesired ? ', desired = minimum' : ''}`,
        Resource: 'arn:aws:states:::aws-sdk:autoscaling:updateAutoScalingGroup',
        Parameters: {
          AutoScalingGroupName: group.name,
          MinSize: group.drMinSize,
          MaxSize: group.maxSize,
          ...(withDesired ? { DesiredCapacity: group.drMinSize } : {}),
        },
        ResultPath: null,
        Retry: RETRY_TRANSIENT.slice(1),
        ...(i + 1 < groups.length ? { Next: `${prefix}${i + 1}` } : { End: true }),
      },
    ]),
  );
}

export function failoverDefinition(input: FailoverDefinitionInput): Record<string, unknown> {
  if (input.groups.length === 0) throw new Error('failover needs at least one ASG');
  for (const g of input.groups) {
    if (g.drMinSize < 1 || g.drMinSize > g.maxSize) throw new Error(`${g.name}: DR minimum must be 1..maxSize`);
  }
  return {
    Comment:
      'MegaTicket failover: mark DR active once (keeping the first since), pin traffic to the standby, raise its capacity.',
    StartAt: 'WriteDrState',
    States: {
      WriteDrState: {
        Type: 'Task',
        Comment: 'Conditional: only when DR is not active yet (the first since wins, a re-run keeps it)',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: {
          TableName: input.drStateTable,
          Item: {
            pk: { S: DR_STATE_KEY.pk },
            [A.active]: { BOOL: true },
            [A.since]: { 'S.$': '$$.Execution.StartTime' },
            [A.updatedBy]: { 'S.$': '$$.Execution.Id' },
            [A.updatedAt]: { 'S.$': '$$.State.EnteredTime' },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #active = :inactive',
          ExpressionAttributeNames: { '#active': A.active },
          ExpressionAttributeValues: { ':inactive': { BOOL: false } },
        },
        ResultPath: null,
        Retry: RETRY_TRANSIENT,
        Catch: [{ ErrorEquals: [CONDITION_FAILED], ResultPath: '$.drStateCondition', Next: 'AlreadyActive' }],
        Next: 'FirstActivation',
      },
      FirstActivation: {
        Type: 'Pass',
        Result: { firstActivation: true },
        ResultPath: '$.failover',
        Next: 'PinTraffic',
      },
      AlreadyActive: {
        Type: 'Pass',
        Comment: 'DR was already active: since is kept; traffic and capacity are still ensured',
        Result: { firstActivation: false },
        ResultPath: '$.failover',
        Next: 'PinTraffic',
      },
      PinTraffic: {
        Type: 'Task',
        Comment: 'The PRIMARY record stays unhealthy until the failback command reopens the gate',
        Resource: 'arn:aws:states:::aws-sdk:route53:updateHealthCheck',
        Parameters: { HealthCheckId: input.gateHealthCheckId, HealthThreshold: GATE_PINNED_THRESHOLD },
        ResultPath: null,
        Retry: RETRY_TRANSIENT.slice(1),
        Next: 'RaiseOrEnsure',
      },
      RaiseOrEnsure: {
        Type: 'Choice',
        Choices: [{ Variable: '$.failover.firstActivation', BooleanEquals: true, Next: 'RaiseCapacity0' }],
        Default: 'EnsureCapacity0',
      },
      ...scaleStates('RaiseCapacity', input.groups, true),
      ...scaleStates('EnsureCapacity', input.groups, false),
    },
  };
}
