import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { childName } from '../naming.js';
import { GROUP_NAMES, ruleName, securityRules, type GroupName } from '../security-rules.js';

export interface SecurityGroupsArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly tls: boolean;
  readonly webPort: number;
  readonly apiPort: number;
}

/**
 * One security group per hop, each rule a separate `aws.vpc.SecurityGroup{Ingress,Egress}Rule` built from
 * `securityRules` (no inline rules, so nothing else can add or hide a rule). The provider removes AWS's default
 * allow-all egress rule on creation, so egress is exactly what is declared.
 */
export class SecurityGroups extends pulumi.ComponentResource {
  readonly ids: Record<GroupName, pulumi.Output<string>>;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:security:SecurityGroups', name, {}, opts);
    const parent = { parent: this };
    const descriptions: Record<GroupName, string> = {
      alb: 'Public ALB: 80/443 from the internet, to the web tier only',
      web: 'Web tier: from the ALB only',
      nlb: 'Internal NLB: from the web tier only, to the API tier only',
      api: 'API tier: from the internal NLB only',
    };
    const groups = Object.fromEntries(
      GROUP_NAMES.map((g) => [
        g,
        new aws.ec2.SecurityGroup(
          childName(name, g),
          { vpcId: args.vpcId, description: descriptions[g], tags: { Name: `${name}-${g}` } },
          parent,
        ),
      ]),
    ) as Record<GroupName, aws.ec2.SecurityGroup>;

    for (const rule of securityRules(args)) {
      const common = {
        securityGroupId: groups[rule.group].id,
        ipProtocol: 'tcp',
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...(rule.peerGroup ? { referencedSecurityGroupId: groups[rule.peerGroup].id } : { cidrIpv4: rule.cidr }),
      };
      const logical = childName(name, ruleName(rule));
      if (rule.direction === 'ingress') new aws.vpc.SecurityGroupIngressRule(logical, common, parent);
      else new aws.vpc.SecurityGroupEgressRule(logical, common, parent);
    }

    this.ids = Object.fromEntries(GROUP_NAMES.map((g) => [g, groups[g].id])) as Record<
      GroupName,
      pulumi.Output<string>
    >;
    this.registerOutputs({ ids: this.ids });
  }
}
