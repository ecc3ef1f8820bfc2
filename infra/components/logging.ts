import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TIERS, childName, logGroupNamePrefix, type Tier } from '../naming.js';

/**
 * Log groups for the app tiers, created before any instance so the log shipper never needs CreateLogGroup, with a
 * retention so logs are not kept (and billed) forever. Names are `/<prefix>/<stack>/<tier>-<random>`.
 */
export class Logging extends pulumi.ComponentResource {
  readonly groupNames: Record<Tier, pulumi.Output<string>>;

  constructor(
    name: string,
    args: { prefix: string; stack: string; retentionDays: number },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('megaticket:monitoring:Logging', name, {}, opts);
    const group = (tier: Tier) =>
      new aws.cloudwatch.LogGroup(
        childName(name, tier),
        { namePrefix: logGroupNamePrefix(args.prefix, args.stack, tier), retentionInDays: args.retentionDays },
        { parent: this },
      ).name;
    this.groupNames = Object.fromEntries(TIERS.map((tier) => [tier, group(tier)])) as Record<
      Tier,
      pulumi.Output<string>
    >;
    this.registerOutputs({ groupNames: this.groupNames });
  }
}
