import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackRole, TierCapacity } from '../config.js';
import { HEALTH_CHECK_GRACE_SECONDS, INSTANCE_WARMUP_SECONDS, ROOT_VOLUME_GB } from '../failover-settings.js';
import { childName, type Tier } from '../naming.js';

export interface ComputeTierArgs {
  readonly tier: Tier;
  readonly role: StackRole;
  readonly capacity: TierCapacity;
  readonly instanceType: string;
  /** The AMI id of this deployment (resolved once at `pulumi up`, the same for every instance of a release). */
  readonly imageId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly targetGroupArn: pulumi.Input<string>;
  /** Plain-text user data (a pure function of this stack's outputs); base64-encoded here for the launch template. */
  readonly userData: pulumi.Input<string>;
  /** The tier's inline IAM policy document (JSON). */
  readonly policy: pulumi.Input<string>;
  /** Stopped, already booted instances kept ready (standby only, `standbyWarmPool`). */
  readonly warmPoolSize?: number;
}

/**
 * One tier: instance role and profile, launch template, ASG and a CPU target-tracking policy. Shell access is Session
 * Manager through the tier's inline policy (policies.ts), not the AmazonSSMManagedInstanceCore managed policy, which
 * would also let every instance read every SSM parameter of the account.
 *
 * The ASG pins the launch template version Pulumi just created (`latestVersion`), never `$Latest` or `$Default`, and
 * an instance refresh rolls the group whenever that version changes (new artifact, new env, a new AMI id resolved at
 * `pulumi up`). No runtime process edits templates, and EC2 never resolves a floating AMI at launch.
 *
 * Capacity ownership: on the primary, the scaling policy owns DesiredCapacity after creation. On the standby, the
 * failover workflow raises MinSize/DesiredCapacity; `ignoreChanges` keeps a later `pulumi up` from scaling a live
 * DR region back to zero.
 */
export class ComputeTier extends pulumi.ComponentResource {
  readonly asgName: pulumi.Output<string>;
  readonly asgArn: pulumi.Output<string>;
  readonly launchTemplateId: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  static ignoredCapacityFields(role: StackRole): string[] {
    return role === 'standby' ? ['desiredCapacity', 'minSize'] : ['desiredCapacity'];
  }

  constructor(name: string, args: ComputeTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:compute:ComputeTier', name, {}, opts);
    const parent = { parent: this };

    const role = new aws.iam.Role(
      childName(name, 'role'),
      {
        description: `MegaTicket ${args.tier} instances`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      parent,
    );
    new aws.iam.RolePolicy(childName(name, 'policy'), { role: role.id, policy: args.policy }, parent);
    const profile = new aws.iam.InstanceProfile(childName(name, 'profile'), { role: role.name }, parent);

    const launchTemplate = new aws.ec2.LaunchTemplate(
      childName(name, 'lt'),
      {
        description: `MegaTicket ${args.tier} tier`,
        imageId: args.imageId,
        instanceType: args.instanceType,
        iamInstanceProfile: { arn: profile.arn },
        vpcSecurityGroupIds: [args.securityGroupId],
        userData: pulumi.output(args.userData).apply((text) => Buffer.from(text, 'utf8').toString('base64')),
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: { volumeSize: ROOT_VOLUME_GB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
          },
        ],
        monitoring: { enabled: true },
        tagSpecifications: [{ resourceType: 'instance', tags: { Name: name, Tier: args.tier } }],
      },
      parent,
    );

    const asg = new aws.autoscaling.Group(
      childName(name, 'asg'),
      {
        vpcZoneIdentifiers: args.subnetIds,
        minSize: args.capacity.minSize,
        maxSize: args.capacity.maxSize,
        desiredCapacity: args.capacity.desiredCapacity,
        launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
        targetGroupArns: [args.targetGroupArn],
        healthCheckType: 'ELB',
        healthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
        defaultInstanceWarmup: INSTANCE_WARMUP_SECONDS,
        // Launch before terminate (100-200 %): a refresh never drops below the serving capacity. A refresh whose new
        // instances do not become healthy rolls back to the previous launch template version by itself.
        instanceRefresh: {
          strategy: 'Rolling',
          preferences: {
            minHealthyPercentage: 100,
            maxHealthyPercentage: 200,
            instanceWarmup: String(INSTANCE_WARMUP_SECONDS),
            autoRollback: true,
          },
        },
        ...(args.warmPoolSize
          ? {
              // Prepared once (user data runs, then the instance stops); a failover starts them, skipping launch,
              // first boot and user data.
              warmPool: {
                poolState: 'Stopped',
                minSize: args.warmPoolSize,
                maxGroupPreparedCapacity: args.warmPoolSize,
              },
            }
          : {}),
        tags: [{ key: 'Name', value: name, propagateAtLaunch: true }],
      },
      { parent: this, ignoreChanges: ComputeTier.ignoredCapacityFields(args.role) },
    );

    new aws.autoscaling.Policy(
      childName(name, 'cpu-target'),
      {
        autoscalingGroupName: asg.name,
        policyType: 'TargetTrackingScaling',
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
          targetValue: 60,
        },
      },
      parent,
    );

    this.asgName = asg.name;
    this.asgArn = asg.arn;
    this.launchTemplateId = launchTemplate.id;
    this.roleName = role.name;
    this.registerOutputs({ asgName: this.asgName, launchTemplateId: this.launchTemplateId });
  }
}
