import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ALB_IDLE_TIMEOUT_SECONDS, HEALTH_PATH } from '../../app/shared/load-balancing.js';
import { TARGET_HEALTH } from '../failover-settings.js';
import { childName } from '../naming.js';

/** TLS 1.3 + 1.2 only; the policy AWS recommends for new ALB HTTPS listeners. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface LoadBalancersArgs {
  readonly publicSubnetIds: pulumi.Input<string>[];
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly vpcId: pulumi.Input<string>;
  readonly albSecurityGroupId: pulumi.Input<string>;
  readonly nlbSecurityGroupId: pulumi.Input<string>;
  readonly webPort: number;
  readonly apiPort: number;
  /** When set, 80 redirects (301) to 443 with this certificate; otherwise a domainless HTTP-only demo. */
  readonly certificateArn?: string;
}

/**
 * The public ALB in front of the web tier and the internal NLB in front of the API tier. Both exist in both stacks
 * permanently (the standby's just have no healthy targets until failover), so failover never creates or edits a
 * load balancer and each region's web tier is wired to its own NLB at deploy time.
 */
export class LoadBalancers extends pulumi.ComponentResource {
  readonly albArn: pulumi.Output<string>;
  readonly albArnSuffix: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly albProtocol: 'HTTP' | 'HTTPS';
  readonly nlbArnSuffix: pulumi.Output<string>;
  readonly nlbDnsName: pulumi.Output<string>;
  readonly webTargetGroupArn: pulumi.Output<string>;
  readonly webTargetGroupArnSuffix: pulumi.Output<string>;
  readonly apiTargetGroupArn: pulumi.Output<string>;
  readonly apiTargetGroupArnSuffix: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:lb:LoadBalancers', name, {}, opts);
    const parent = { parent: this };

    const alb = new aws.lb.LoadBalancer(
      childName(name, 'alb'),
      {
        loadBalancerType: 'application',
        internal: false,
        subnets: args.publicSubnetIds,
        securityGroups: [args.albSecurityGroupId],
        dropInvalidHeaderFields: true,
        idleTimeout: ALB_IDLE_TIMEOUT_SECONDS,
      },
      parent,
    );
    const webTg = new aws.lb.TargetGroup(
      childName(name, 'web-tg'),
      {
        vpcId: args.vpcId,
        targetType: 'instance',
        protocol: 'HTTP',
        port: args.webPort,
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          path: HEALTH_PATH,
          port: 'traffic-port',
          matcher: '200',
          interval: TARGET_HEALTH.web.intervalSeconds,
          timeout: TARGET_HEALTH.web.timeoutSeconds,
          healthyThreshold: TARGET_HEALTH.web.healthyThreshold,
          unhealthyThreshold: TARGET_HEALTH.web.unhealthyThreshold,
        },
      },
      parent,
    );

    if (args.certificateArn) {
      new aws.lb.Listener(
        childName(name, 'http'),
        {
          loadBalancerArn: alb.arn,
          protocol: 'HTTP',
          port: 80,
          defaultActions: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
        },
        parent,
      );
      new aws.lb.Listener(
        childName(name, 'https'),
        {
          loadBalancerArn: alb.arn,
          protocol: 'HTTPS',
          port: 443,
          sslPolicy: TLS_POLICY,
          certificateArn: args.certificateArn,
          defaultActions: [{ type: 'forward', targetGroupArn: webTg.arn }],
        },
        parent,
      );
    } else {
      new aws.lb.Listener(
        childName(name, 'http'),
        {
          loadBalancerArn: alb.arn,
          protocol: 'HTTP',
          port: 80,
          defaultActions: [{ type: 'forward', targetGroupArn: webTg.arn }],
        },
        parent,
      );
    }

    const nlb = new aws.lb.LoadBalancer(
      childName(name, 'nlb'),
      {
        loadBalancerType: 'network',
        internal: true,
        subnets: args.privateSubnetIds,
        securityGroups: [args.nlbSecurityGroupId],
        // An AZ with no healthy API instance must still be served from the other AZ.
        enableCrossZoneLoadBalancing: true,
      },
      parent,
    );
    const apiTg = new aws.lb.TargetGroup(
      childName(name, 'api-tg'),
      {
        vpcId: args.vpcId,
        targetType: 'instance',
        protocol: 'TCP',
        port: args.apiPort,
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          path: HEALTH_PATH,
          port: 'traffic-port',
          matcher: '200',
          interval: TARGET_HEALTH.api.intervalSeconds,
          timeout: TARGET_HEALTH.api.timeoutSeconds,
          healthyThreshold: TARGET_HEALTH.api.healthyThreshold,
          unhealthyThreshold: TARGET_HEALTH.api.unhealthyThreshold,
        },
      },
      parent,
    );
    new aws.lb.Listener(
      childName(name, 'api'),
      {
        loadBalancerArn: nlb.arn,
        protocol: 'TCP',
        port: args.apiPort,
        defaultActions: [{ type: 'forward', targetGroupArn: apiTg.arn }],
      },
      parent,
    );

    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;
    this.albProtocol = args.certificateArn ? 'HTTPS' : 'HTTP';
    this.nlbArnSuffix = nlb.arnSuffix;
    this.nlbDnsName = nlb.dnsName;
    this.webTargetGroupArn = webTg.arn;
    this.webTargetGroupArnSuffix = webTg.arnSuffix;
    this.apiTargetGroupArn = apiTg.arn;
    this.apiTargetGroupArnSuffix = apiTg.arnSuffix;
    this.registerOutputs({ albDnsName: this.albDnsName, nlbDnsName: this.nlbDnsName });
  }
}
