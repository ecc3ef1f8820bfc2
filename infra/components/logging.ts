import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TIERS, childName, logGroupName, type Tier } from '../naming.js';

/**
 * Log groups for the app tiers, created before any instance so the CloudWatch agent never needs CreateLogGroup,
 * with a retention so logs are not kept (and billed) forever.
 */
export class Logging extends pulumi.ComponentResource {
  readonly groupNames: Record<Tier, string>;

  constructor(name: string, args: { prefix: string; retentionDays: number }, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:monitoring:Logging', name, {}, opts);
    this.groupNames = { web: logGroupName(args.prefix, 'web'), api: logGroupName(args.prefix, 'api') };
    for (const tier of TIERS) {
      new aws.cloudwatch.LogGroup(
        childName(name, tier),
        { name: this.groupNames[tier], retentionInDays: args.retentionDays },
        { parent: this },
      );
    }
    this.registerOutputs({ groupNames: this.groupNames });
  }
}
