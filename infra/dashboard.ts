/**
 * The CloudWatch dashboard body as pure data, so the plan and the tests can read which metrics it shows.
 */
export interface DashboardInput {
  readonly region: string;
  readonly albArnSuffix: string;
  readonly webTargetGroupArnSuffix: string;
  readonly nlbArnSuffix: string;
  readonly apiTargetGroupArnSuffix: string;
  readonly tableNames: readonly string[];
  readonly webAsgName: string;
  readonly apiAsgName: string;
}

type Metric = (string | Record<string, unknown>)[];

function widget(title: string, metrics: Metric[], x: number, y: number, region: string, stat = 'Sum') {
  return {
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, stat, period: 60, view: 'timeSeries', metrics },
  };
}

export function dashboardBody(d: DashboardInput): string {
  const alb = ['AWS/ApplicationELB'];
  const widgets = [
    widget(
      'ALB requests and errors',
      [
        [...alb, 'RequestCount', 'LoadBalancer', d.albArnSuffix],
        [...alb, 'HTTPCode_ELB_5XX_Count', 'LoadBalancer', d.albArnSuffix],
        [...alb, 'HTTPCode_Target_5XX_Count', 'LoadBalancer', d.albArnSuffix],
      ],
      0,
      0,
      d.region,
    ),
    widget(
      'ALB target response time (p90)',
      [[...alb, 'TargetResponseTime', 'LoadBalancer', d.albArnSuffix, { stat: 'p90' }]],
      12,
      0,
      d.region,
      'Average',
    ),
    widget(
      'Healthy / unhealthy hosts',
      [
        [...alb, 'HealthyHostCount', 'TargetGroup', d.webTargetGroupArnSuffix, 'LoadBalancer', d.albArnSuffix],
        [...alb, 'UnHealthyHostCount', 'TargetGroup', d.webTargetGroupArnSuffix, 'LoadBalancer', d.albArnSuffix],
        [
          'AWS/NetworkELB',
          'HealthyHostCount',
          'TargetGroup',
          d.apiTargetGroupArnSuffix,
          'LoadBalancer',
          d.nlbArnSuffix,
        ],
        [
          'AWS/NetworkELB',
          'UnHealthyHostCount',
          'TargetGroup',
          d.apiTargetGroupArnSuffix,
          'LoadBalancer',
          d.nlbArnSuffix,
        ],
      ],
      0,
      6,
      d.region,
      'Maximum',
    ),
    widget(
      'ASG in service',
      [
        ['AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', d.webAsgName],
        ['AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', d.apiAsgName],
      ],
      12,
      6,
      d.region,
      'Maximum',
    ),
    {
      type: 'metric',
      x: 0,
      y: 12,
      width: 12,
      height: 6,
      properties: {
        title: 'Bedrock (app EMF): fallbacks, time to first token',
        region: d.region,
        period: 300,
        view: 'timeSeries',
        metrics: [
          [{ expression: 'SELECT SUM(FallbackCount) FROM "MegaTicket/Bedrock"', label: 'FallbackCount', id: 'f' }],
          [{ expression: 'SELECT AVG(TimeToFirstToken) FROM "MegaTicket/Bedrock"', label: 'TTFT avg', id: 't' }],
        ],
      },
    },
    widget(
      'DynamoDB throttles',
      d.tableNames.flatMap((t) => [
        ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', t],
        ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', t],
      ]),
      12,
      12,
      d.region,
    ),
  ];
  return JSON.stringify({ widgets });
}
