import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

/**
 * Pulumi mocks that answer like AWS would, closely enough to read a stack: ids, ARNs, DNS names and zone ids shaped
 * like the real ones and unique per stack and region (so a test can tell Seoul's NLB from Tokyo's), plus a record of
 * every resource registration with its resolved inputs.
 *
 * What this does not prove: that AWS accepts any of it (limits, permissions, service-side validation).
 */
export const OFFLINE_ACCOUNT_ID = '111122223333';

/** Real ELB canonical hosted zone ids, so alias records look like production. */
const ALB_ZONE: Record<string, string> = { 'ap-northeast-2': 'ZWKZPGTI48KDX', 'ap-northeast-1': 'Z14GRHDCWA56QT' };
const NLB_ZONE: Record<string, string> = { 'ap-northeast-2': 'ZIBE1TIR4HY56', 'ap-northeast-1': 'Z31USIVHYNEOWT' };
const AZS: Record<string, string[]> = {
  'ap-northeast-2': ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c', 'ap-northeast-2d'],
  // Tokyo has no usable "b" zone for new accounts: the plan must not assume letters.
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
};

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly custom: boolean;
  /** Inputs as the provider would receive them (Outputs resolved, secrets unwrapped). */
  readonly inputs: Record<string, unknown>;
  /** What the mock returned as the resource's state. */
  readonly state: Record<string, unknown>;
  /** Top-level inputs that arrived as Pulumi secrets (stored encrypted in the state). */
  readonly secretInputs: readonly string[];
}

export interface MockOptions {
  readonly stack: string;
  readonly region: string;
  /** Outputs of other stacks, by fully qualified name, for StackReference reads. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface RecordingMocks extends pulumi.runtime.Mocks {
  readonly resources: RecordedResource[];
  readonly calls: { token: string; inputs: unknown }[];
}

/** Secret inputs arrive wrapped ({<sig>: <secret sig>, value}); the recorder keeps the plain value. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(obj['value']);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

function isSecret(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

const hex = (...parts: string[]) => createHash('sha256').update(parts.join('/')).digest('hex');

function fakeState(
  o: MockOptions,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  const h = hex(o.stack, o.region, type, name);
  const region = typeof inputs['region'] === 'string' ? inputs['region'] : o.region;
  const acct = OFFLINE_ACCOUNT_ID;
  const physical =
    typeof inputs['name'] === 'string'
      ? inputs['name']
      : typeof inputs['namePrefix'] === 'string'
        ? `${inputs['namePrefix']}${h.slice(0, 7)}`
        : `${name}-${h.slice(0, 7)}`;
  const base = { ...inputs, name: physical };
  switch (type) {
    case 'aws:lb/loadBalancer:LoadBalancer': {
      const network = inputs['loadBalancerType'] === 'network';
      const lbName = `${name}`.slice(0, 24);
      const suffix = `${network ? 'net' : 'app'}/${lbName}/${h.slice(0, 16)}`;
      const dnsName = network
        ? `${lbName}-${h.slice(0, 16)}.elb.${region}.amazonaws.com`
        : `${inputs['internal'] ? 'internal-' : ''}${lbName}-${h.slice(0, 10)}.${region}.elb.amazonaws.com`;
      return {
        id: `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/${suffix}`,
        state: {
          ...base,
          arn: `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/${suffix}`,
          arnSuffix: suffix,
          dnsName,
          zoneId: (network ? NLB_ZONE : ALB_ZONE)[region] ?? 'ZMOCKELBZONE',
        },
      };
    }
    case 'aws:lb/targetGroup:TargetGroup': {
      const suffix = `targetgroup/${name.slice(0, 20)}/${h.slice(0, 16)}`;
      const arn = `arn:aws:elasticloadbalancing:${region}:${acct}:${suffix}`;
      return { id: arn, state: { ...base, arn, arnSuffix: suffix } };
    }
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      // A version other than 1 proves the ASG reads it from the template instead of hard-coding it.
      return { id: `lt-${h.slice(0, 17)}`, state: { ...base, latestVersion: 7, defaultVersion: 1 } };
    case 'aws:autoscaling/group:Group':
      return {
        id: physical,
        state: {
          ...base,
          arn: `arn:aws:autoscaling:${region}:${acct}:autoScalingGroup:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}:autoScalingGroupName/${physical}`,
        },
      };
    case 'aws:s3/bucket:Bucket': {
      const bucket = `${name}-${h.slice(0, 7)}`;
      return { id: bucket, state: { ...base, bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case 'aws:dynamodb/table:Table':
      return {
        id: physical,
        state: {
          ...base,
          arn: `arn:aws:dynamodb:${region}:${acct}:table/${physical}`,
          streamArn: `arn:aws:dynamodb:${region}:${acct}:table/${physical}/stream/2026-01-01T00:00:00.000`,
        },
      };
    case 'aws:secretsmanager/secret:Secret': {
      // Secrets Manager appends a dash and 6 random characters to the name; a replica keeps name and suffix.
      const arn = `arn:aws:secretsmanager:${region}:${acct}:secret:${physical}-${h.slice(7, 13)}`;
      return { id: arn, state: { ...base, arn } };
    }
    case 'aws:secretsmanager/secretVersion:SecretVersion': {
      const versionId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      return {
        id: `${String(inputs['secretId'])}|${versionId}`,
        state: { ...inputs, versionId, arn: inputs['secretId'] },
      };
    }
    case 'random:index/randomBytes:RandomBytes': {
      const bytes = Buffer.from(hex('bytes', h).repeat(8), 'hex').subarray(0, Number(inputs['length']));
      return { id: 'none', state: { ...inputs, hex: bytes.toString('hex'), base64: bytes.toString('base64') } };
    }
    case 'aws:ssm/parameter:Parameter':
      return { id: physical, state: { ...base, arn: `arn:aws:ssm:${region}:${acct}:parameter${physical}` } };
    case 'aws:iam/role:Role':
      return { id: physical, state: { ...base, arn: `arn:aws:iam::${acct}:role/${physical}` } };
    case 'aws:iam/instanceProfile:InstanceProfile':
      return { id: physical, state: { ...base, arn: `arn:aws:iam::${acct}:instance-profile/${physical}` } };
    case 'aws:sfn/stateMachine:StateMachine':
      return { id: physical, state: { ...base, arn: `arn:aws:states:${region}:${acct}:stateMachine:${physical}` } };
    case 'aws:sns/topic:Topic':
      return { id: physical, state: { ...base, arn: `arn:aws:sns:${region}:${acct}:${physical}` } };
    case 'aws:route53/healthCheck:HealthCheck': {
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      return { id, state: { ...base, arn: `arn:aws:route53:::healthcheck/${id}` } };
    }
    case 'aws:cloudwatch/eventRule:EventRule':
      return { id: physical, state: { ...base, arn: `arn:aws:events:${region}:${acct}:rule/${physical}` } };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { id: physical, state: { ...base, arn: `arn:aws:cloudwatch:${region}:${acct}:alarm:${physical}` } };
    case 'aws:cloudwatch/dashboard:Dashboard':
      return { id: String(inputs['dashboardName']), state: base };
    case 'pulumi:pulumi:StackReference': {
      const ref = String(inputs['name']);
      const outputs = o.stackOutputs?.[ref];
      if (!outputs) throw new Error(`offline run has no outputs for stack reference ${ref}`);
      return { id: ref, state: { name: ref, outputs, secretOutputNames: [] } };
    }
    default: {
      const service = type.split(':')[1]?.split('/')[0] ?? 'mock';
      const id = `${service}-${h.slice(0, 17)}`;
      return { id, state: { ...base, arn: `arn:aws:${service}:${region}:${acct}:${name}` } };
    }
  }
}

export function createMocks(o: MockOptions): RecordingMocks {
  const resources: RecordedResource[] = [];
  const calls: { token: string; inputs: unknown }[] = [];
  return {
    resources,
    calls,
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
      const raw = (args.inputs ?? {}) as Record<string, unknown>;
      const secretInputs = Object.keys(raw).filter((k) => isSecret(raw[k]));
      const inputs = unwrapSecrets(raw) as Record<string, unknown>;
      const { id, state } =
        args.custom === false ? { id: args.name, state: inputs } : fakeState(o, args.type, args.name, inputs);
      resources.push({
        type: args.type,
        name: args.name,
        id,
        custom: args.custom !== false,
        inputs,
        state,
        secretInputs,
      });
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
      calls.push({ token: args.token, inputs: args.inputs });
      switch (args.token) {
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return {
            accountId: OFFLINE_ACCOUNT_ID,
            arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/offline`,
            userId: 'OFFLINE',
            id: OFFLINE_ACCOUNT_ID,
          };
        case 'aws:index/getPartition:getPartition':
          return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws', id: 'aws' };
        case 'aws:index/getRegion:getRegion':
          return { name: o.region, region: o.region, id: o.region };
        case 'aws:ssm/getParameter:getParameter': {
          // The public AMI parameter: one id per region, as AWS answers at `pulumi up` time.
          const ami = `ami-${hex('ami', o.region, String((args.inputs as { name?: string }).name)).slice(0, 17)}`;
          return {
            name: (args.inputs as { name?: string }).name,
            type: 'String',
            value: ami,
            insecureValue: ami,
            version: 1,
            arn: '',
            id: '',
          };
        }
        case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
          const names = AZS[o.region] ?? [`${o.region}a`, `${o.region}b`, `${o.region}c`];
          return { names, zoneIds: names.map((_, i) => `${o.region.slice(0, 4)}-az${i + 1}`), id: o.region };
        }
        default:
          throw new Error(`offline run: no mock for ${args.token}`);
      }
    },
  };
}
