import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { instanceArch } from './artifact.js';
import { cidrsOverlap, isPrivateCidr } from './cidr.js';

/**
 * The only reader of pulumi.Config. `parseStackConfig` is pure (tests and the offline plan feed it the same values
 * the CLI would); `loadConfig` adapts Pulumi's config to it. Every key and default here is mirrored in Pulumi.yaml,
 * and test/infra/config.test.ts fails if the two disagree.
 */
export const PROJECT = 'megaticket';

export type StackRole = 'primary' | 'standby';

export interface TierCapacity {
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Minimum the failover workflow raises a standby ASG to; unused on the primary. */
  readonly drMinSize: number;
}

export interface StackConfig {
  readonly stack: string;
  readonly role: StackRole;
  /** The stack's own region (`aws:region`), where everything but the us-east-1 alarm lives. */
  readonly region: string;
  readonly primaryRegion: string;
  readonly standbyRegion: string;
  readonly namePrefix: string;
  readonly tablePrefix: string;
  readonly vpcCidr: string;
  /** The other stack's VPC CIDR: validated not to overlap, so the two can ever be peered. */
  readonly peerVpcCidr: string;
  readonly instanceType: string;
  readonly amiParameter: string;
  /** Pins the AMI outright; otherwise `amiParameter` is resolved once per `pulumi up`. */
  readonly amiId?: string;
  readonly web: TierCapacity;
  readonly api: TierCapacity;
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly certificateArn?: string;
  readonly primaryStackReference: string;
  /** Route53 request interval for the primary's health check: 10 (fast) or 30 seconds. */
  readonly healthCheckIntervalSeconds: number;
  /** Standby only: keep each tier's DR minimum as stopped, prepared instances (ASG warm pool); see the RTO budget. */
  readonly standbyWarmPool: boolean;
  readonly bedrockPrimaryModelId: string;
  readonly bedrockFallbackModelId: string;
  readonly logRetentionDays: number;
  readonly alarmEmail?: string;
  readonly artifactPath: string;
}

interface KeySpec {
  readonly type: 'string' | 'integer' | 'boolean';
  /** undefined = required (no default in Pulumi.yaml either). '' = optional, unset. */
  readonly default?: string | number | boolean;
}

/** Every megaticket:* key, its Pulumi.yaml type and its default. */
export const CONFIG_KEYS = {
  role: { type: 'string' },
  vpcCidr: { type: 'string' },
  peerVpcCidr: { type: 'string' },
  primaryRegion: { type: 'string', default: 'ap-northeast-2' },
  standbyRegion: { type: 'string', default: 'ap-northeast-1' },
  namePrefix: { type: 'string', default: 'megaticket' },
  tablePrefix: { type: 'string', default: 'megaticket' },
  instanceType: { type: 'string', default: 't4g.small' },
  amiParameter: { type: 'string', default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' },
  amiId: { type: 'string', default: '' },
  webMinSize: { type: 'integer', default: 2 },
  webDesiredCapacity: { type: 'integer', default: 2 },
  webMaxSize: { type: 'integer', default: 6 },
  webDrMinSize: { type: 'integer', default: 2 },
  apiMinSize: { type: 'integer', default: 2 },
  apiDesiredCapacity: { type: 'integer', default: 2 },
  apiMaxSize: { type: 'integer', default: 6 },
  apiDrMinSize: { type: 'integer', default: 2 },
  domainName: { type: 'string', default: '' },
  hostedZoneId: { type: 'string', default: '' },
  certificateArn: { type: 'string', default: '' },
  primaryStackReference: { type: 'string', default: 'organization/megaticket/seoul' },
  healthCheckIntervalSeconds: { type: 'integer', default: 10 },
  standbyWarmPool: { type: 'boolean', default: false },
  bedrockPrimaryModelId: { type: 'string', default: 'global.anthropic.claude-haiku-4-5-20251001-v1:0' },
  bedrockFallbackModelId: { type: 'string', default: 'apac.amazon.nova-lite-v1:0' },
  logRetentionDays: { type: 'integer', default: 30 },
  alarmEmail: { type: 'string', default: '' },
  artifactPath: { type: 'string', default: 'dist/megaticket-app.tar.gz' },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export type RawConfig = Readonly<Partial<Record<ConfigKey, string>>>;

/** The retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-2');
const count = z.coerce.number().int().min(0).max(100);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));
const cidr = z.string().refine((v) => {
  try {
    return isPrivateCidr(v) && v.endsWith('/16');
  } catch {
    return false;
  }
}, 'a private /16 such as 10.100.0.0/16');
/** Model ids and ARNs must stay plain tokens: they end up in an env file and in IAM ARNs. */
const modelId = z.string().regex(/^[A-Za-z0-9._:/-]+$/, 'a Bedrock model or inference-profile id');

const schema = z
  .object({
    role: z.enum(['primary', 'standby']),
    vpcCidr: cidr,
    peerVpcCidr: cidr,
    primaryRegion: region,
    standbyRegion: region,
    namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'lower-case, 2-16 characters'),
    tablePrefix: z.string().regex(/^[a-zA-Z0-9_.-]{3,200}$/),
    instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/),
    amiParameter: z.string().startsWith('/'),
    amiId: optional.pipe(
      z
        .string()
        .regex(/^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0')
        .optional(),
    ),
    webMinSize: count,
    webDesiredCapacity: count,
    webMaxSize: count,
    webDrMinSize: count,
    apiMinSize: count,
    apiDesiredCapacity: count,
    apiMaxSize: count,
    apiDrMinSize: count,
    domainName: optional.pipe(
      z
        .string()
        .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/)
        .optional(),
    ),
    hostedZoneId: optional.pipe(
      z
        .string()
        .regex(/^Z[A-Z0-9]+$/)
        .optional(),
    ),
    certificateArn: optional.pipe(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]*:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'an ACM certificate ARN')
        .optional(),
    ),
    primaryStackReference: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, 'org/project/stack'),
    standbyWarmPool: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
    healthCheckIntervalSeconds: z.coerce
      .number()
      .int()
      .refine((s) => s === 10 || s === 30, 'Route53 accepts 10 (fast) or 30 seconds'),
    bedrockPrimaryModelId: modelId,
    bedrockFallbackModelId: modelId,
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((d) => LOG_RETENTION_DAYS.includes(d), 'a CloudWatch retention'),
    alarmEmail: optional.pipe(z.email().optional()),
    artifactPath: z.string().min(1),
  })
  .strict();

export class StackConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for stack '${stackName}':\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StackConfigError';
  }
}

function withDefaults(raw: RawConfig): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    Object.entries(CONFIG_KEYS).map(([key, spec]) => {
      const value = raw[key as ConfigKey];
      return [key, value ?? ('default' in spec ? spec.default : undefined)];
    }),
  );
}

/** Validates one stack's values (defaults applied) and the rules that tie them together. */
export function parseStackConfig(stack: string, awsRegion: string | undefined, raw: RawConfig): StackConfig {
  const unknown = Object.keys(raw).filter((k) => !(k in CONFIG_KEYS));
  const parsed = schema.safeParse(withDefaults(raw));
  const problems = unknown.map((k) => `megaticket:${k}: unknown key (documented keys are in Pulumi.yaml)`);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `megaticket:${i.path.join('.')}: ${i.message}`));
    throw new StackConfigError(stack, problems);
  }
  const v = parsed.data;
  const expectedRegion = v.role === 'primary' ? v.primaryRegion : v.standbyRegion;
  if (awsRegion !== expectedRegion) {
    problems.push(`aws:region: a ${v.role} stack must run in ${expectedRegion}, got ${awsRegion ?? '(unset)'}`);
  }
  if (v.primaryRegion === v.standbyRegion) problems.push('standbyRegion: must differ from primaryRegion');
  if (cidrsOverlap(v.vpcCidr, v.peerVpcCidr)) problems.push('vpcCidr: overlaps peerVpcCidr (the other region)');
  if (v.hostedZoneId && !v.domainName) problems.push('hostedZoneId: set domainName too');
  if (v.domainName && !v.hostedZoneId) problems.push('domainName: set hostedZoneId too (the zone that holds it)');
  if (v.role === 'primary' && v.standbyWarmPool) problems.push('standbyWarmPool: only the standby keeps a warm pool');
  // The AMI, the instance type and the artifact's Node runtime must share one architecture.
  const arch = instanceArch(v.instanceType);
  const amiArch = /-arm64$/.test(v.amiParameter) ? 'arm64' : /-x86_64$/.test(v.amiParameter) ? 'x64' : undefined;
  if (!v.amiId && amiArch && amiArch !== arch) {
    problems.push(`amiParameter: ${v.amiParameter} is ${amiArch} but instanceType ${v.instanceType} is ${arch}`);
  }
  // An ALB can only use an ACM certificate of its own region; AWS would refuse it halfway through `pulumi up`.
  const certificateRegion = v.certificateArn?.split(':')[3];
  if (v.certificateArn && certificateRegion !== expectedRegion) {
    problems.push(
      `certificateArn: must be an ACM certificate in ${expectedRegion} (this stack's region), got ${certificateRegion || '(no region)'}`,
    );
  }

  const tier = (name: 'web' | 'api'): TierCapacity => {
    const c = {
      minSize: v[`${name}MinSize`],
      desiredCapacity: v[`${name}DesiredCapacity`],
      maxSize: v[`${name}MaxSize`],
      drMinSize: v[`${name}DrMinSize`],
    };
    if (!(c.minSize <= c.desiredCapacity && c.desiredCapacity <= c.maxSize)) {
      problems.push(
        `${name}: need minSize <= desiredCapacity <= maxSize, got ${c.minSize}/${c.desiredCapacity}/${c.maxSize}`,
      );
    }
    if (v.role === 'primary' && c.minSize < 1)
      problems.push(`${name}MinSize: the primary must keep at least 1 instance`);
    if (v.role === 'standby') {
      if (c.minSize !== 0 || c.desiredCapacity !== 0) {
        problems.push(`${name}: a pilot-light standby runs 0 instances until failover (min and desired 0)`);
      }
      if (c.drMinSize < 1 || c.drMinSize > c.maxSize) {
        problems.push(`${name}DrMinSize: must be between 1 and ${name}MaxSize (${c.maxSize}) so failover can scale`);
      }
    }
    return c;
  };
  const web = tier('web');
  const api = tier('api');
  if (problems.length > 0) throw new StackConfigError(stack, problems);

  return {
    stack,
    role: v.role,
    region: expectedRegion,
    primaryRegion: v.primaryRegion,
    standbyRegion: v.standbyRegion,
    namePrefix: v.namePrefix,
    tablePrefix: v.tablePrefix,
    vpcCidr: v.vpcCidr,
    peerVpcCidr: v.peerVpcCidr,
    instanceType: v.instanceType,
    amiParameter: v.amiParameter,
    amiId: v.amiId,
    web,
    api,
    domainName: v.domainName,
    hostedZoneId: v.hostedZoneId,
    certificateArn: v.certificateArn,
    primaryStackReference: v.primaryStackReference,
    healthCheckIntervalSeconds: v.healthCheckIntervalSeconds,
    standbyWarmPool: v.standbyWarmPool,
    bedrockPrimaryModelId: v.bedrockPrimaryModelId,
    bedrockFallbackModelId: v.bedrockFallbackModelId,
    logRetentionDays: v.logRetentionDays,
    alarmEmail: v.alarmEmail,
    artifactPath: v.artifactPath,
  };
}

/** Reads this stack's config through Pulumi (CLI run, or mocks after `pulumi.runtime.setAllConfig`). */
export function loadConfig(): StackConfig {
  const cfg = new pulumi.Config(PROJECT);
  const raw: Partial<Record<ConfigKey, string>> = {};
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const value = cfg.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseStackConfig(pulumi.getStack(), new pulumi.Config('aws').get('region'), raw);
}
