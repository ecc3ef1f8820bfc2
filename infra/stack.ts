import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TABLE_NAMES } from '../app/adapters/dynamodb/tables.js';
import { instanceArch, type Artifact } from './artifact.js';
import { ArtifactStore } from './components/artifact-store.js';
import { DataTables } from './components/data.js';
import { FailoverDns } from './components/dns.js';
import { Failover } from './components/failover.js';
import { LoadBalancers } from './components/load-balancers.js';
import { Logging } from './components/logging.js';
import { Monitoring } from './components/monitoring.js';
import { Network } from './components/network.js';
import { PrimaryHealth } from './components/primary-health.js';
import { SecurityGroups } from './components/security.js';
import { ComputeTier } from './components/tier.js';
import { SharedKey } from './components/shared-key.js';
import type { StackConfig } from './config.js';
import { childName, stackScopedName, type Tier } from './naming.js';
import { apiInstancePolicy, secretArnInRegion, webInstancePolicy, type ArnContext } from './policies.js';
import { API_PORT, WEB_PORT, renderUserData } from './user-data.js';

export interface StackDeps {
  /** The bundled app (real file for `pulumi up`, a placeholder under mocks). */
  readonly artifact: Artifact;
}

export interface StackOutputs {
  readonly role: string;
  readonly region: string;
  readonly vpcId: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  /** Read by the standby stack to build the primary's health check. */
  readonly albProtocol: string;
  readonly nlbDnsName: pulumi.Output<string>;
  readonly artifactBucket: pulumi.Output<string>;
  readonly artifactKey: pulumi.Output<string>;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly primaryRegion: string;
  /** The control table whose DR state item both regions read (same name in every replica region). */
  readonly drStateTable: string;
  readonly webAsgName: pulumi.Output<string>;
  readonly apiAsgName: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;
  readonly alertsTopicArn: pulumi.Output<string>;
  /** This region's copy of the web tier's CSRF key secret (the standby derives its replica's ARN from the primary's). */
  readonly webCsrfSecretArn: pulumi.Output<string>;
  /** This region's copy of the waiting room's admission key secret (read by the API tier). */
  readonly admissionKeySecretArn: pulumi.Output<string>;
  /** Standby only: what `npm run failback` and operators need. */
  readonly failoverStateMachineArn?: pulumi.Output<string>;
  readonly primaryDownAlarmName?: pulumi.Output<string>;
  readonly primaryDownTopicArn?: pulumi.Output<string>;
  readonly primaryEndpointHealthCheckId?: pulumi.Output<string>;
  readonly primaryGateHealthCheckId?: pulumi.Output<string>;
}

type StandbyOutputs = Required<
  Pick<
    StackOutputs,
    | 'failoverStateMachineArn'
    | 'primaryDownAlarmName'
    | 'primaryDownTopicArn'
    | 'primaryEndpointHealthCheckId'
    | 'primaryGateHealthCheckId'
  >
>;

/**
 * The whole stack as one root component, so a caller (tests) can attach transformations that see every resource's
 * options, including `ignoreChanges` and `protect`, which Pulumi mocks do not report.
 *
 * Role decides ownership: the primary owns the global tables; the standby owns failover DNS and the failover
 * workflow. Everything else (network, load balancers, tiers, artifact bucket, DR parameter, monitoring) exists in
 * both, each built only from its own stack's values.
 */
export class MegaTicketStack extends pulumi.ComponentResource {
  readonly outputs: StackOutputs;

  constructor(config: StackConfig, deps: StackDeps, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:index:Stack', config.namePrefix, {}, opts);
    const p = config.namePrefix;
    const child = { parent: this };
    const arch = instanceArch(config.instanceType);
    if (deps.artifact.arch !== arch) {
      throw new Error(
        `The artifact carries a ${deps.artifact.arch} Node runtime but ${config.instanceType} is ${arch}: ` +
          `run \`npm run bundle -- --arch ${arch}\`.`,
      );
    }
    const tls = config.certificateArn !== undefined;

    const partition = aws.getPartitionOutput({}, child).partition;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const ctx: pulumi.Output<ArnContext> = pulumi
      .all([partition, accountId])
      .apply(([part, account]) => ({ partition: part, region: config.region, accountId: account }));

    const network = new Network(childName(p, 'net'), { vpcCidr: config.vpcCidr, region: config.region }, child);
    const groups = new SecurityGroups(
      childName(p, 'sg'),
      { vpcId: network.vpcId, tls, webPort: WEB_PORT, apiPort: API_PORT },
      child,
    );
    const lbs = new LoadBalancers(
      childName(p, 'lb'),
      {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albSecurityGroupId: groups.ids.alb,
        nlbSecurityGroupId: groups.ids.nlb,
        webPort: WEB_PORT,
        apiPort: API_PORT,
        certificateArn: config.certificateArn,
      },
      child,
    );
    const logging = new Logging(
      childName(p, 'logs'),
      { prefix: config.namePrefix, stack: config.stack, retentionDays: config.logRetentionDays },
      child,
    );
    const artifacts = new ArtifactStore(childName(p, 'artifacts'), { artifact: deps.artifact }, child);
    const data = new DataTables(
      childName(p, 'data'),
      { tablePrefix: config.tablePrefix, owner: config.role === 'primary', replicaRegion: config.standbyRegion },
      child,
    );
    const drStateTable = data.tableNames.control;

    // The standby reads the primary's outputs (ALB for the health check, the shared keys' secrets) through a
    // StackReference.
    const primary =
      config.role === 'standby'
        ? new pulumi.StackReference(childName(p, 'primary'), { name: config.primaryStackReference }, child)
        : undefined;
    const primaryOutput = (name: PrimaryOutputReadByStandby) => primary!.requireOutput(name) as pulumi.Output<string>;
    // The keys every instance of both regions shares: the primary owns each secret and its replica in the standby
    // region; the standby's instances read that replica (same name and suffix, its own region) while Seoul is down.
    const keys =
      config.role === 'primary'
        ? {
            csrf: new SharedKey(
              childName(p, 'csrf-key'),
              { purpose: 'web tier CSRF key (HMAC)', text: 'hex', replicaRegion: config.standbyRegion },
              // Was a component of its own type: the alias keeps the deployed secret (and its value) in place.
              { ...child, aliases: [{ type: 'megaticket:security:WebCsrfKey' }] },
            ),
            admission: new SharedKey(
              childName(p, 'admission-key'),
              { purpose: 'waiting room admission key (HMAC)', text: 'base64', replicaRegion: config.standbyRegion },
              child,
            ),
          }
        : undefined;
    const thisRegionsCopy = (key: SharedKey | undefined, output: PrimaryOutputReadByStandby): pulumi.Output<string> =>
      key ? key.secretArn : primaryOutput(output).apply((arn) => secretArnInRegion(arn, config.region));
    const csrfSecretArn = thisRegionsCopy(keys?.csrf, 'webCsrfSecretArn');
    const admissionSecretArn = thisRegionsCopy(keys?.admission, 'admissionKeySecretArn');

    // One AMI id per deployment, resolved here at `pulumi up` (or pinned by config): every instance of a release boots
    // the same image, and a new AMI rolls the groups through the launch templates like any other change, never at a
    // random scale-out.
    const imageId: pulumi.Input<string> =
      config.amiId ?? aws.ssm.getParameterOutput({ name: config.amiParameter }, child).insecureValue;

    const userData = (tier: Tier) =>
      pulumi
        .all([
          lbs.nlbDnsName,
          artifacts.bucketName,
          artifacts.objectKey,
          logging.groupNames[tier],
          csrfSecretArn,
          admissionSecretArn,
        ])
        .apply(([nlbDnsName, bucket, key, logGroup, webCsrfSecretId, admissionKeySecretId]) =>
          renderUserData({
            tier,
            region: config.region,
            primaryRegion: config.primaryRegion,
            standbyRegion: config.standbyRegion,
            webCsrfSecretId,
            tablePrefix: config.tablePrefix,
            admissionKeySecretId,
            nlbDnsName,
            bedrockPrimaryModelId: config.bedrockPrimaryModelId,
            bedrockFallbackModelId: config.bedrockFallbackModelId,
            tls,
            artifactBucket: bucket,
            artifactKey: key,
            artifactSha256: deps.artifact.sha256,
            node: deps.artifact.node,
            logGroup,
          }),
        );
    const policies: Record<Tier, pulumi.Output<string>> = {
      web: pulumi
        .all([ctx, artifacts.bucketName, logging.groupNames.web, csrfSecretArn])
        .apply(([c, bucket, logGroup, secretArn]) =>
          JSON.stringify(webInstancePolicy({ ctx: c, artifactBucket: bucket, logGroup, csrfSecretArn: secretArn })),
        ),
      api: pulumi
        .all([ctx, artifacts.bucketName, logging.groupNames.api, admissionSecretArn])
        .apply(([c, bucket, logGroup, secretArn]) =>
          JSON.stringify(
            apiInstancePolicy({
              ctx: c,
              artifactBucket: bucket,
              logGroup,
              tablePrefix: config.tablePrefix,
              admissionSecretArn: secretArn,
              bedrockModelIds: [config.bedrockPrimaryModelId, config.bedrockFallbackModelId],
            }),
          ),
        ),
    };
    const tier = (name: Tier, subnetGroup: 'web' | 'api', targetGroupArn: pulumi.Output<string>) =>
      new ComputeTier(
        childName(p, name),
        {
          tier: name,
          role: config.role,
          capacity: config[name],
          instanceType: config.instanceType,
          imageId,
          subnetIds: network.privateSubnetIds,
          securityGroupId: groups.ids[subnetGroup],
          targetGroupArn,
          userData: userData(name),
          policy: policies[name],
          ...(config.role === 'standby' && config.standbyWarmPool ? { warmPoolSize: config[name].drMinSize } : {}),
        },
        // Instances need their log group and (on the primary) the tables, the DR state table among them, before they
        // boot; web instances also the CSRF key's first version, API instances the admission key's.
        { parent: this, dependsOn: [logging, data, ...(keys ? [name === 'web' ? keys.csrf : keys.admission] : [])] },
      );
    const api = tier('api', 'api', lbs.apiTargetGroupArn);
    const web = tier('web', 'web', lbs.webTargetGroupArn);

    const tableNames = TABLE_NAMES.map((t) => data.tableNames[t]);
    const monitoring = new Monitoring(
      childName(p, 'monitoring'),
      {
        region: config.region,
        dashboardName: stackScopedName(config.namePrefix, config.stack),
        albArnSuffix: lbs.albArnSuffix,
        webTargetGroupArnSuffix: lbs.webTargetGroupArnSuffix,
        nlbArnSuffix: lbs.nlbArnSuffix,
        apiTargetGroupArnSuffix: lbs.apiTargetGroupArnSuffix,
        webAsgName: web.asgName,
        apiAsgName: api.asgName,
        tableNames,
        alarmEmail: config.alarmEmail,
        // The seat state and reservations, and the DR state item: what the RPO and one-writer-at-a-time rest on.
        ...(config.role === 'primary'
          ? {
              replication: {
                receivingRegion: config.standbyRegion,
                tableNames: [data.tableNames.bookings, data.tableNames.control],
              },
            }
          : {}),
      },
      child,
    );

    let standby: StandbyOutputs | undefined;
    if (config.role === 'standby') {
      // The standby reads the primary's ALB through the StackReference and owns everything failover needs, so the
      // failover stays manageable (and automatic) while the primary region is down.
      const primaryAlb = {
        dnsName: primaryOutput('albDnsName'),
        zoneId: primaryOutput('albZoneId'),
        protocol: primaryOutput('albProtocol'),
      };
      const health = new PrimaryHealth(
        childName(p, 'primary-health'),
        {
          albDnsName: primaryAlb.dnsName,
          albProtocol: primaryAlb.protocol,
          requestIntervalSeconds: config.healthCheckIntervalSeconds,
        },
        child,
      );
      if (config.domainName && config.hostedZoneId) {
        new FailoverDns(
          childName(p, 'dns'),
          {
            domainName: config.domainName,
            hostedZoneId: config.hostedZoneId,
            primary: primaryAlb,
            primaryHealthCheckId: health.gateHealthCheckId,
            secondary: { dnsName: lbs.albDnsName, zoneId: lbs.albZoneId },
          },
          child,
        );
      }
      const failover = new Failover(
        childName(p, 'failover'),
        {
          ctx,
          drStateTable,
          // API first: web instances that come up before any API instance would only serve errors.
          groups: [
            { name: api.asgName, arn: api.asgArn, drMinSize: config.api.drMinSize, maxSize: config.api.maxSize },
            { name: web.asgName, arn: web.asgArn, drMinSize: config.web.drMinSize, maxSize: config.web.maxSize },
          ],
          endpointHealthCheckId: health.endpointHealthCheckId,
          gateHealthCheckId: health.gateHealthCheckId,
          alertsTopicArn: monitoring.topicArn,
          alarmEmail: config.alarmEmail,
        },
        child,
      );
      standby = {
        failoverStateMachineArn: failover.stateMachineArn,
        primaryDownAlarmName: failover.alarmName,
        primaryDownTopicArn: failover.primaryDownTopicArn,
        primaryEndpointHealthCheckId: health.endpointHealthCheckId,
        primaryGateHealthCheckId: health.gateHealthCheckId,
      };
    }

    this.outputs = {
      role: config.role,
      region: config.region,
      vpcId: network.vpcId,
      albDnsName: lbs.albDnsName,
      albZoneId: lbs.albZoneId,
      albProtocol: lbs.albProtocol,
      nlbDnsName: lbs.nlbDnsName,
      artifactBucket: artifacts.bucketName,
      artifactKey: artifacts.objectKey,
      tableNames: data.tableNames,
      primaryRegion: config.primaryRegion,
      drStateTable,
      webAsgName: web.asgName,
      apiAsgName: api.asgName,
      dashboardName: monitoring.dashboardName,
      alertsTopicArn: monitoring.topicArn,
      webCsrfSecretArn: csrfSecretArn,
      admissionKeySecretArn: admissionSecretArn,
      ...standby,
    };
    this.registerOutputs({ ...this.outputs });
  }
}

/** The primary stack's outputs the standby reads through its StackReference (and nothing else of it). */
export const PRIMARY_OUTPUTS_READ_BY_STANDBY = [
  'albDnsName',
  'albZoneId',
  'albProtocol',
  'webCsrfSecretArn',
  'admissionKeySecretArn',
] as const satisfies readonly (keyof StackOutputs)[];
export type PrimaryOutputReadByStandby = (typeof PRIMARY_OUTPUTS_READ_BY_STANDBY)[number];

export function createStack(
  config: StackConfig,
  deps: StackDeps,
  opts?: pulumi.ComponentResourceOptions,
): StackOutputs {
  return new MegaTicketStack(config, deps, opts).outputs;
}
