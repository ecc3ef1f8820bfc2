import { z } from 'zod';
import { LOG_LEVELS } from './shared/log.js';
import { DEFAULT_LISTEN_BACKLOG } from './shared/load-balancing.js';
import { CSRF_KEY_MIN_LENGTH } from './web/csrf-keys.js';

/**
 * The only reader of process.env. Parsed once at start; a missing or malformed value stops the process with the
 * variable's name. AWS endpoints use the SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME), which the SDK reads itself, so emulators plug in without special code.
 */
export const ROLES = ['web', 'api', 'all'] as const;
export type Role = (typeof ROLES)[number];

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** "429,503" → [429, 503]: HTTP statuses for the assistant's fallback policy. */
const statusList = z
  .string()
  .regex(/^\s*[1-5]\d\d(\s*,\s*[1-5]\d\d)*\s*$/, 'a comma-separated list of HTTP statuses such as 429,503')
  .transform((v) => v.split(',').map((s) => Number(s.trim())));
/** "1000,1500" → [1000, 1500]: one delay per retry, in milliseconds. */
const delayList = z
  .string()
  .regex(/^\s*\d{1,6}(\s*,\s*\d{1,6})*\s*$/, 'a comma-separated list of milliseconds such as 1000,1500')
  .transform((v) => v.split(',').map((s) => Number(s.trim())));
const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-2');
const secretId = z.string().regex(/^[A-Za-z0-9/_+=.@:-]{1,2048}$/, 'a Secrets Manager secret name or ARN');

export const configSchema = z
  .object({
    MEGATICKET_ROLE: z.enum(ROLES).default('all'),
    HOST: z.string().min(1).default('127.0.0.1'),
    WEB_PORT: port.default(3000),
    API_PORT: port.default(3001),
    /** Both tiers' listen backlog (capped by the kernel's net.core.somaxconn; see shared/load-balancing.ts). */
    LISTEN_BACKLOG: positiveInt.max(65_535).default(DEFAULT_LISTEN_BACKLOG),
    /** The web tier's only way to the API: the region-local internal URL (the NLB in AWS). */
    API_URL: z.url().optional(),
    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-2')
      .default('ap-northeast-2'),
    PRIMARY_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .default('ap-northeast-2'),
    /** The region that takes bookings while DR is active (named to users on the primary's read-only pages). */
    STANDBY_REGION: awsRegion.default('ap-northeast-1'),
    TABLE_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,200}$/)
      .default('megaticket'),
    /** embedded: start DynamoDB Local from the npm package; external: use AWS_ENDPOINT_URL_DYNAMODB or real AWS. */
    DYNAMODB_MODE: z.enum(['embedded', 'external']).default('embedded'),
    /** Directory for an on-disk DynamoDB Local database; in-memory when unset. */
    DYNAMODB_LOCAL_DIR: z.string().min(1).optional(),
    DYNAMODB_LOCAL_PORT: port.default(0),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    /** Create tables and seed the demo catalog when they are missing (local runs; never in AWS). */
    BOOTSTRAP_TABLES: bool.optional(),
    HOLD_SECONDS: positiveInt.default(600),
    BOOKING_FEE_KRW: z.coerce.number().int().min(0).default(2000),
    DR_GRACE_SECONDS: positiveInt.default(1800),
    /** dynamodb: the DR item of the replicated `control` table (AWS, the drill); file: a JSON file (`npm run dr`). */
    DR_STATE_SOURCE: z.enum(['dynamodb', 'file']).default('file'),
    DR_STATE_FILE: z.string().min(1).default('.megaticket/dr-state.json'),
    DR_STATE_CACHE_SECONDS: z.coerce.number().int().min(0).default(5),
    /** How long one read of a slot's seat state serves every viewer of it (SPEC §8); 0 = no sharing. */
    SEAT_VIEW_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
    /** The web tier's CSRF key given directly (local and single-machine runs); AWS uses WEB_CSRF_SECRET_ID. */
    WEB_CSRF_SECRET: z.string().min(CSRF_KEY_MIN_LENGTH, `at least ${CSRF_KEY_MIN_LENGTH} characters`).optional(),
    /** The Secrets Manager secret (name or ARN, in AWS_REGION) holding the CSRF key every web instance shares. */
    WEB_CSRF_SECRET_ID: secretId.optional(),
    SESSION_DAYS: positiveInt.default(14),
    /** How long an API instance may reuse a session it has read; a logout elsewhere reaches it within this. */
    SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
    ASSISTANT_MODE: z.enum(['bedrock', 'offline', 'auto']).default('auto'),
    BEDROCK_PRIMARY_MODEL_ID: z.string().min(1).default('global.anthropic.claude-haiku-4-5-20251001-v1:0'),
    BEDROCK_FALLBACK_MODEL_ID: z.string().min(1).default('apac.amazon.nova-lite-v1:0'),
    /** SPEC §5 fallback policy: these statuses switch to the fallback model at once… */
    ASSISTANT_FALLBACK_STATUSES: statusList.default([400, 401, 403, 404, 429, 503]),
    /** …these retry the same model once per delay in ASSISTANT_RETRY_DELAYS_MS, then fall back. */
    ASSISTANT_RETRY_STATUSES: statusList.default([500, 502, 504]),
    ASSISTANT_RETRY_DELAYS_MS: delayList.default([1000, 1500]),
    /** Time to the first stream event before a model counts as failed. */
    ASSISTANT_PRIMARY_TIMEOUT_MS: positiveInt.default(10_000),
    ASSISTANT_FALLBACK_TIMEOUT_MS: positiveInt.default(15_000),
    /** Silence between two stream events after the first one before the stream counts as failed. */
    ASSISTANT_STREAM_IDLE_MS: positiveInt.default(30_000),
    ASSISTANT_MAX_MODEL_TURNS: positiveInt.default(5),
    ASSISTANT_MAX_OUTPUT_TOKENS: positiveInt.default(1024),
    ASSISTANT_MESSAGE_MAX_CHARS: positiveInt.default(500),
    /** After an answer's first words (sent at once), text deltas go to the page at most once per this many ms. */
    ASSISTANT_TEXT_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(100),
    ASSISTANT_CHAT_PER_USER_PER_MINUTE: positiveInt.default(12),
    ASSISTANT_CHAT_PER_IP_PER_MINUTE: positiveInt.default(40),
    ASSISTANT_CONVERSATION_HOURS: positiveInt.default(24),
    /** The offline model's pause between words, so its answers stream like a model's. */
    ASSISTANT_OFFLINE_WORD_MS: z.coerce.number().int().min(0).max(1000).default(15),
    COOKIE_SECURE: bool.optional(),
    /** HMAC key of admission tokens and queue tickets: base64url of ≥ 32 random bytes, the same in both regions. */
    ADMISSION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43,}$/, 'base64url text of at least 32 random bytes')
      .optional(),
    /** In AWS: the Secrets Manager secret (name or ARN, in AWS_REGION) holding the key, read once at start. */
    ADMISSION_KEY_SECRET_ID: secretId.optional(),
    /** Locally, without either: a key generated once and kept in this file (never in production). */
    ADMISSION_KEY_FILE: z.string().min(1).default('.megaticket/admission-key'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** production caches compiled templates. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  })
  .transform((env) => ({
    role: env.MEGATICKET_ROLE,
    host: env.HOST,
    listenBacklog: env.LISTEN_BACKLOG,
    web: {
      port: env.WEB_PORT,
      apiUrl: env.API_URL,
      cookieSecure: env.COOKIE_SECURE ?? false,
      csrfSecret: env.WEB_CSRF_SECRET,
      csrfSecretId: env.WEB_CSRF_SECRET_ID,
    },
    api: { port: env.API_PORT },
    aws: { region: env.AWS_REGION, primaryRegion: env.PRIMARY_REGION, standbyRegion: env.STANDBY_REGION },
    dynamodb: {
      mode: env.DYNAMODB_MODE,
      localDir: env.DYNAMODB_LOCAL_DIR,
      localPort: env.DYNAMODB_LOCAL_PORT,
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
      tablePrefix: env.TABLE_PREFIX,
      bootstrap: env.BOOTSTRAP_TABLES ?? env.DYNAMODB_MODE === 'embedded',
    },
    booking: {
      holdSeconds: env.HOLD_SECONDS,
      bookingFeeKrw: env.BOOKING_FEE_KRW,
      drGraceSeconds: env.DR_GRACE_SECONDS,
    },
    seatViews: { cacheMs: env.SEAT_VIEW_CACHE_MS },
    dr: {
      source: env.DR_STATE_SOURCE,
      file: env.DR_STATE_FILE,
      cacheSeconds: env.DR_STATE_CACHE_SECONDS,
    },
    sessions: { days: env.SESSION_DAYS, cacheSeconds: env.SESSION_CACHE_SECONDS },
    assistant: {
      mode: env.ASSISTANT_MODE,
      primaryModelId: env.BEDROCK_PRIMARY_MODEL_ID,
      fallbackModelId: env.BEDROCK_FALLBACK_MODEL_ID,
      policy: {
        fallbackStatuses: env.ASSISTANT_FALLBACK_STATUSES,
        retryStatuses: env.ASSISTANT_RETRY_STATUSES,
        retryDelaysMs: env.ASSISTANT_RETRY_DELAYS_MS,
        firstEventTimeoutMs: { primary: env.ASSISTANT_PRIMARY_TIMEOUT_MS, fallback: env.ASSISTANT_FALLBACK_TIMEOUT_MS },
        streamIdleMs: env.ASSISTANT_STREAM_IDLE_MS,
      },
      maxModelTurns: env.ASSISTANT_MAX_MODEL_TURNS,
      maxOutputTokens: env.ASSISTANT_MAX_OUTPUT_TOKENS,
      messageMaxChars: env.ASSISTANT_MESSAGE_MAX_CHARS,
      textWindowMs: env.ASSISTANT_TEXT_WINDOW_MS,
      chatPerUserPerMinute: env.ASSISTANT_CHAT_PER_USER_PER_MINUTE,
      chatPerIpPerMinute: env.ASSISTANT_CHAT_PER_IP_PER_MINUTE,
      conversationHours: env.ASSISTANT_CONVERSATION_HOURS,
      offlineWordMs: env.ASSISTANT_OFFLINE_WORD_MS,
    },
    queue: {
      admissionKey: env.ADMISSION_KEY,
      admissionKeySecretId: env.ADMISSION_KEY_SECRET_ID,
      admissionKeyFile: env.ADMISSION_KEY_FILE,
    },
    logLevel: env.LOG_LEVEL,
    production: env.NODE_ENV === 'production',
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `FOO=` in an env file means "use the default", not "invalid". */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const config = parsed.data;
  if (config.role === 'web' && !config.web.apiUrl) {
    throw new ConfigError(['API_URL: required when MEGATICKET_ROLE=web (the region-local internal API URL)']);
  }
  const problems: string[] = [];
  const admissionProblem = admissionKeyProblem(config);
  if (admissionProblem) problems.push(admissionProblem);
  // The region decides which tables, which DR role and which region label an instance serves: never a default there.
  if (config.production && !present.AWS_REGION) {
    problems.push('AWS_REGION: required when NODE_ENV=production (the region this instance serves)');
  }
  if (config.aws.standbyRegion === config.aws.primaryRegion) {
    problems.push('STANDBY_REGION: must differ from PRIMARY_REGION');
  }
  const csrfProblem = csrfKeyProblem(config);
  if (csrfProblem) problems.push(csrfProblem);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Every web instance of a deployment must sign CSRF tokens with the same key, or a form rendered by one instance is
 * refused by the next. Production therefore refuses to start the web tier without one (instead of inventing a
 * per-process key); an ARN must name this region's copy of the secret, the one the instance role may read.
 */
function csrfKeyProblem(config: Config): string | undefined {
  const { csrfSecret, csrfSecretId } = config.web;
  if (csrfSecret && csrfSecretId) return 'WEB_CSRF_SECRET_ID: set either it or WEB_CSRF_SECRET, not both';
  const elsewhere = secretInOtherRegion('WEB_CSRF_SECRET_ID', csrfSecretId, config);
  if (elsewhere) return elsewhere;
  if (config.production && config.role !== 'api' && !csrfSecret && !csrfSecretId) {
    return (
      'WEB_CSRF_SECRET_ID: required when NODE_ENV=production and the web tier runs (the Secrets Manager secret with ' +
      `the CSRF key every web instance shares), or WEB_CSRF_SECRET (at least ${CSRF_KEY_MIN_LENGTH} characters) on a single machine`
    );
  }
  return undefined;
}

/**
 * Admission tokens issued in Seoul must verify in Tokyo and on every instance, so production never invents a key: it
 * takes ADMISSION_KEY or this region's copy of the deployment's secret.
 */
function admissionKeyProblem(config: Config): string | undefined {
  const { admissionKey, admissionKeySecretId } = config.queue;
  if (admissionKey && admissionKeySecretId) return 'ADMISSION_KEY_SECRET_ID: set either it or ADMISSION_KEY, not both';
  const elsewhere = secretInOtherRegion('ADMISSION_KEY_SECRET_ID', admissionKeySecretId, config);
  if (elsewhere) return elsewhere;
  if (config.production && config.role !== 'web' && !admissionKey && !admissionKeySecretId) {
    return (
      'ADMISSION_KEY_SECRET_ID: required when NODE_ENV=production and the API runs (the Secrets Manager secret with ' +
      'the waiting room key both regions share), or ADMISSION_KEY; a generated development key is never used in production'
    );
  }
  return undefined;
}

/** A secret ARN must name this region's copy: the one the instance role may read, reachable while the other is down. */
function secretInOtherRegion(variable: string, secretId: string | undefined, config: Config): string | undefined {
  const arnRegion = secretId?.startsWith('arn:') ? secretId.split(':')[3] : undefined;
  if (arnRegion === undefined || arnRegion === config.aws.region) return undefined;
  return `${variable}: names a secret in ${arnRegion || '(no region)'}, but this instance serves ${config.aws.region} (AWS_REGION)`;
}
