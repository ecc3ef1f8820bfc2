import { TABLES, physicalTableName, type TableName } from '../app/adapters/dynamodb/tables.js';

/**
 * IAM policy documents as pure data. Every ARN is built from the partition, region and account that the caller
 * passes in (resolved from `aws.getPartition` / `aws.getCallerIdentity` at deploy time), so no account id is ever
 * hard-coded and a policy can only name the region of the stack that builds it.
 */
export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  /** Resource policies only (the SNS topic policy); identity policies have none. */
  readonly Principal?: Readonly<Record<string, string>>;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

const doc = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/** Trust policy for a service principal; `aws:SourceAccount` guards against the confused-deputy problem. */
export function renderTrustPolicy(service: string, accountId?: string): string {
  const statement = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    ...(accountId ? { Condition: { StringEquals: { 'aws:SourceAccount': accountId } } } : {}),
  };
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
}

/**
 * Exactly the item-level actions the app's stores use. TransactWriteItems is authorised per item as
 * PutItem/UpdateItem/DeleteItem/ConditionCheckItem and TransactGetItems as GetItem, so neither appears here.
 * No Scan, no table management: tables are created by Pulumi, never by the app in AWS (BOOTSTRAP_TABLES=false).
 */
export const DYNAMODB_APP_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/**
 * The API reads the DR state from the `control` table and never writes it (the failover workflow and the failback
 * command do): it gets GetItem on that table alone, not the item actions of the data tables.
 */
export const API_READ_ONLY_TABLES: readonly TableName[] = ['control'];

export function tableArn(ctx: ArnContext, tablePrefix: string, table: TableName): string {
  return `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${physicalTableName(tablePrefix, table)}`;
}

/** The data tables' ARNs plus their exact index ARNs, all in `ctx.region` (the replica the instances talk to). */
export function dynamoDbResources(ctx: ArnContext, tablePrefix: string): string[] {
  const base = `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/`;
  const tables = (Object.keys(TABLES) as TableName[]).filter((t) => !API_READ_ONLY_TABLES.includes(t));
  return tables.flatMap((table) => {
    const name = physicalTableName(tablePrefix, table);
    const indexes = TABLES[table].globalSecondaryIndexes.map((gsi) => `${base}${name}/index/${gsi.name}`);
    return [`${base}${name}`, ...indexes];
  });
}

/** Converse and ConverseStream are authorised as InvokeModel and InvokeModelWithResponseStream. */
export const BEDROCK_INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

/** Geography prefixes of system-defined cross-region inference profiles ("global." routes to any commercial region). */
const PROFILE_PREFIXES = ['global', 'apac', 'us', 'eu', 'jp', 'au', 'ca', 'us-gov'] as const;

export interface ModelGrant {
  readonly statements: readonly Statement[];
}

/**
 * Statements that let a role invoke one configured model id.
 *
 * - An inference-profile id (`global.…`, `apac.…`): the profile ARN in the stack's own region (the source region the
 *   SDK calls), plus the foundation model in any region *only when reached through that profile*
 *   (`bedrock:InferenceProfileArn` condition). For global profiles AWS documents three resources: the regional
 *   profile, the regional foundation model, and the region-less `arn:aws:bedrock:::foundation-model/<model>`
 *   ("IAM policy requirements for global cross-Region inference",
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html). IAM's `*` matches the
 *   empty region too, so `arn:aws:bedrock:*::foundation-model/<model>` covers both foundation-model forms and the
 *   APAC destinations of a geographic profile without naming any other region; the condition keeps it from being a
 *   direct grant on the model.
 * - A plain foundation-model id: that model in the stack's region only.
 */
export function bedrockModelStatements(ctx: ArnContext, modelId: string, sid: string): Statement[] {
  const dot = modelId.indexOf('.');
  const prefix = dot > 0 ? modelId.slice(0, dot) : '';
  if ((PROFILE_PREFIXES as readonly string[]).includes(prefix)) {
    const profileArn = `arn:${ctx.partition}:bedrock:${ctx.region}:${ctx.accountId}:inference-profile/${modelId}`;
    const foundationModel = modelId.slice(dot + 1);
    return [
      { Sid: `${sid}Profile`, Effect: 'Allow', Action: [...BEDROCK_INVOKE_ACTIONS], Resource: [profileArn] },
      {
        Sid: `${sid}ModelViaProfile`,
        Effect: 'Allow',
        Action: [...BEDROCK_INVOKE_ACTIONS],
        Resource: [`arn:${ctx.partition}:bedrock:*::foundation-model/${foundationModel}`],
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      },
    ];
  }
  return [
    {
      Sid: `${sid}Model`,
      Effect: 'Allow',
      Action: [...BEDROCK_INVOKE_ACTIONS],
      Resource: [`arn:${ctx.partition}:bedrock:${ctx.region}::foundation-model/${modelId}`],
    },
  ];
}

export function logGroupArn(ctx: ArnContext, group: string): string {
  return `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${group}`;
}

function logsStatement(ctx: ArnContext, group: string): Statement {
  const arn = logGroupArn(ctx, group);
  return {
    Sid: 'ShipAppLog',
    Effect: 'Allow',
    // What the CloudWatch agent needs to write into a log group Pulumi already created.
    Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
    Resource: [arn, `${arn}:log-stream:*`],
  };
}

function artifactStatement(ctx: ArnContext, bucket: string): Statement {
  return {
    Sid: 'ReadAppArtifact',
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: [`arn:${ctx.partition}:s3:::${bucket}/artifacts/*`],
  };
}

/**
 * Shell access through Session Manager and nothing else of Systems Manager: the five actions of AWS's own
 * Session-Manager-only instance policy (AWSCloud9SSMInstanceProfile). None of them reads data; the ssmmessages actions
 * have no resource type, so `*` is the only Resource IAM accepts for them. Unlike AmazonSSMManagedInstanceCore, no
 * `ssm:GetParameter*` on `*`: an instance cannot read the account's parameters.
 */
export const SESSION_MANAGER_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

const sessionManagerStatement: Statement = {
  Sid: 'SessionManager',
  Effect: 'Allow',
  Action: [...SESSION_MANAGER_ACTIONS],
  Resource: ['*'],
};

export interface InstancePolicyInput {
  readonly ctx: ArnContext;
  readonly artifactBucket: string;
  readonly logGroup: string;
}

const SECRET_ARN = /^arn:([a-z-]+):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)$/;

/**
 * The ARN of a secret's copy in another region. A replica keeps the primary's name and its random suffix; only the
 * region differs (https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html),
 * so the standby stack derives its copy's exact ARN from the primary's instead of granting a wildcard.
 */
export function secretArnInRegion(primaryArn: string, region: string): string {
  const match = SECRET_ARN.exec(primaryArn);
  if (!match) throw new Error(`not a Secrets Manager secret ARN: ${primaryArn}`);
  const [, partition, , account, nameWithSuffix] = match;
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${nameWithSuffix}`;
}

/**
 * Reads a shared key (SharedKey): GetSecretValue on exactly this region's copy of its secret (every version label, so
 * a rotation's AWSPENDING/AWSPREVIOUS are readable too). The secret is encrypted with the account's AWS-managed
 * `aws/secretsmanager` key, whose key policy already allows use through Secrets Manager within the account: no kms:
 * statement is needed.
 */
export function sharedKeyStatement(
  ctx: ArnContext,
  sid: 'ReadCsrfKey' | 'ReadAdmissionKey',
  secretArn: string,
): Statement {
  const region = SECRET_ARN.exec(secretArn)?.[2];
  if (region !== ctx.region) {
    throw new Error(`${sid}: the secret ${secretArn} is not in this stack's region ${ctx.region}`);
  }
  return { Sid: sid, Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secretArn] };
}

export interface WebInstancePolicyInput extends InstancePolicyInput {
  /** This region's copy of the CSRF key secret (the primary in seoul, the replica in tokyo). */
  readonly csrfSecretArn: string;
}

/**
 * Web tier: fetch its artifact, ship its log, read the CSRF key every web instance shares. No DynamoDB, no Bedrock, no
 * SSM parameters: it only calls the API.
 */
export function webInstancePolicy(input: WebInstancePolicyInput): PolicyDocument {
  return doc(
    artifactStatement(input.ctx, input.artifactBucket),
    logsStatement(input.ctx, input.logGroup),
    sessionManagerStatement,
    sharedKeyStatement(input.ctx, 'ReadCsrfKey', input.csrfSecretArn),
  );
}

export interface ApiInstancePolicyInput extends InstancePolicyInput {
  readonly tablePrefix: string;
  /** This region's copy of the waiting room's admission key secret. */
  readonly admissionSecretArn: string;
  readonly bedrockModelIds: readonly string[];
}

export function apiInstancePolicy(input: ApiInstancePolicyInput): PolicyDocument {
  const { ctx } = input;
  const models = [...new Set(input.bedrockModelIds)].flatMap((id, i) =>
    bedrockModelStatements(ctx, id, i === 0 ? 'BedrockPrimary' : `BedrockFallback${i > 1 ? i : ''}`),
  );
  return doc(
    artifactStatement(ctx, input.artifactBucket),
    logsStatement(ctx, input.logGroup),
    sessionManagerStatement,
    {
      Sid: 'AppTables',
      Effect: 'Allow',
      Action: [...DYNAMODB_APP_ACTIONS],
      Resource: dynamoDbResources(ctx, input.tablePrefix),
    },
    {
      // The catalog store lists performances with a Scan (a small table); no other table may be scanned.
      Sid: 'CatalogScan',
      Effect: 'Allow',
      Action: ['dynamodb:Scan'],
      Resource: [tableArn(ctx, input.tablePrefix, 'performances')],
    },
    {
      Sid: 'ReadDrState',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem'],
      Resource: API_READ_ONLY_TABLES.map((t) => tableArn(ctx, input.tablePrefix, t)),
    },
    sharedKeyStatement(ctx, 'ReadAdmissionKey', input.admissionSecretArn),
    ...models,
  );
}

export interface FailoverPolicyInput {
  readonly ctx: ArnContext;
  /** Physical name of the control table; the workflow writes its replica in `ctx.region`. */
  readonly drStateTable: string;
  readonly gateHealthCheckId: string;
  readonly autoScalingGroupArns: readonly string[];
}

/** Route53 is global: health-check ARNs have no region and no account. */
export function healthCheckArn(partition: string, id: string): string {
  return `arn:${partition}:route53:::healthcheck/${id}`;
}

/**
 * The failover state machine may write the DR state item (PutItem on the control table in its own region, nothing
 * else of DynamoDB), update the one gate health check, and resize the standby ASGs; nothing else.
 */
export function failoverWorkflowPolicy(input: FailoverPolicyInput): PolicyDocument {
  const { ctx } = input;
  return doc(
    {
      Sid: 'WriteDrState',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem'],
      Resource: [`arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${input.drStateTable}`],
    },
    {
      Sid: 'PinTrafficToStandby',
      Effect: 'Allow',
      Action: ['route53:UpdateHealthCheck'],
      Resource: [healthCheckArn(ctx.partition, input.gateHealthCheckId)],
    },
    {
      Sid: 'RaiseStandbyCapacity',
      Effect: 'Allow',
      Action: ['autoscaling:UpdateAutoScalingGroup'],
      Resource: [...input.autoScalingGroupArns],
    },
  );
}

/**
 * The alerts topic's policy: what the account could already do (the default topic policy's owner statement, which
 * CloudWatch alarms publish under) plus EventBridge publishing from the given rules only (the failover workflow's
 * execution-status rule).
 */
export function alertsTopicPolicy(input: {
  readonly topicArn: string;
  readonly accountId: string;
  readonly eventRuleArns: readonly string[];
}): PolicyDocument {
  return doc(
    {
      Sid: 'AccountOwner',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
      Resource: [input.topicArn],
      Condition: { StringEquals: { 'AWS:SourceOwner': input.accountId } },
    },
    {
      Sid: 'FailoverWorkflowStatus',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [input.topicArn],
      Condition: { ArnEquals: { 'aws:SourceArn': [...input.eventRuleArns] } },
    },
  );
}

export function putEventsPolicy(eventBusArn: string): PolicyDocument {
  return doc({ Sid: 'ForwardToStandbyBus', Effect: 'Allow', Action: ['events:PutEvents'], Resource: [eventBusArn] });
}

export function startExecutionPolicy(stateMachineArn: string): PolicyDocument {
  return doc({ Sid: 'StartFailover', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [stateMachineArn] });
}

/** Renders a document for `aws.iam.*Policy` inputs. */
export function renderPolicy(policy: PolicyDocument): string {
  return JSON.stringify(policy);
}
