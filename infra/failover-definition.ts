/**
 * The failover workflow as Amazon States Language, built from plain values. It runs in the standby region and uses
 * only AWS SDK service integrations (no Lambda, no code at runtime): it never creates load balancers or touches
 * launch templates; it only writes the DR state parameter and raises the standby ASGs' minimum size.
 *
 * Idempotent: if the parameter already says `active: true`, its `since` is left untouched (re-running, or a second
 * alarm, cannot restart the app's grace window); the ASG update sets MinSize only, which raises DesiredCapacity to
 * at least MinSize and never lowers a group that has already scaled further.
 */
export interface FailoverDefinitionInput {
  readonly drParameterName: string;
  readonly groups: readonly { readonly name: string; readonly drMinSize: number }[];
}

type State = Record<string, unknown>;

export function failoverDefinition(input: FailoverDefinitionInput): Record<string, unknown> {
  if (input.groups.length === 0) throw new Error('failover needs at least one ASG');
  const scaleStates: Record<string, State> = {};
  input.groups.forEach((group, i) => {
    const name = `RaiseMinSize${i}`;
    scaleStates[name] = {
      Type: 'Task',
      Comment: `Raise ${group.name} to at least ${group.drMinSize} instances`,
      Resource: 'arn:aws:states:::aws-sdk:autoscaling:updateAutoScalingGroup',
      Parameters: { AutoScalingGroupName: group.name, MinSize: group.drMinSize },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 }],
      ...(i + 1 < input.groups.length ? { Next: `RaiseMinSize${i + 1}` } : { End: true }),
    };
  });

  return {
    Comment: 'MegaTicket failover: mark DR active once (keeping the first `since`), then raise standby capacity.',
    StartAt: 'ReadDrState',
    States: {
      ReadDrState: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:ssm:getParameter',
        Parameters: { Name: input.drParameterName },
        ResultSelector: { 'state.$': 'States.StringToJson($.Parameter.Value)' },
        ResultPath: '$.current',
        // Missing or unparseable state counts as "not active yet".
        Catch: [
          {
            ErrorEquals: ['Ssm.ParameterNotFoundException', 'States.IntrinsicFailure'],
            ResultPath: '$.readError',
            Next: 'BuildActiveState',
          },
        ],
        Next: 'AlreadyActive',
      },
      // Three single-test Choice states rather than one And: a comparison is only evaluated on a value known to be
      // present and boolean, whatever an operator may have written into the parameter.
      AlreadyActive: {
        Type: 'Choice',
        Choices: [{ Variable: '$.current.state.active', IsPresent: false, Next: 'BuildActiveState' }],
        Default: 'ActiveIsBoolean',
      },
      ActiveIsBoolean: {
        Type: 'Choice',
        Choices: [{ Variable: '$.current.state.active', IsBoolean: false, Next: 'BuildActiveState' }],
        Default: 'ActiveIsTrue',
      },
      ActiveIsTrue: {
        Type: 'Choice',
        Choices: [{ Variable: '$.current.state.active', BooleanEquals: true, Next: 'RaiseMinSize0' }],
        Default: 'BuildActiveState',
      },
      BuildActiveState: {
        Type: 'Pass',
        Comment: 'since = the start time of the first execution that found DR inactive',
        Parameters: { active: true, 'since.$': '$$.Execution.StartTime' },
        ResultPath: '$.next',
        Next: 'WriteDrState',
      },
      WriteDrState: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:ssm:putParameter',
        Parameters: {
          Name: input.drParameterName,
          Type: 'String',
          Overwrite: true,
          'Value.$': 'States.JsonToString($.next)',
        },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Next: 'RaiseMinSize0',
      },
      ...scaleStates,
    },
  };
}
