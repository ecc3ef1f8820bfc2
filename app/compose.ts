import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { AccountService } from './accounts/service.js';
import { DEFAULT_CANCELLATION_POLICY } from './booking/cancellation-policy.js';
import { DemoPaymentProvider } from './booking/demo-payments.js';
import type { DrStateSource } from './booking/ports.js';
import { BookingService } from './booking/service.js';
import { WriterGate } from './booking/writer.js';
import { CachedCatalog } from './adapters/cached-catalog.js';
import { CachedSessionStore } from './adapters/cached-session-store.js';
import { CachedDrStateSource, FileDrStateStore } from './adapters/dr/dr-state-sources.js';
import { DynamoDrStateStore } from './adapters/dr/dynamo-dr-state.js';
import { DynamoSessionStore, DynamoUserStore, SESSION_READ_BATCH } from './adapters/dynamodb/account-stores.js';
import { DynamoBookingStore } from './adapters/dynamodb/booking-store.js';
import { DynamoCatalog } from './adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from './adapters/dynamodb/client.js';
import { tableNamesFor } from './adapters/dynamodb/tables.js';
import type { ApiDeps } from './api/deps.js';
import type { Config } from './config.js';
import type { Clock } from './shared/clock.js';
import { RateLimiter } from './shared/rate-limiter.js';
import { createLog, type Log } from './shared/log.js';
import type { ScryptParams } from './accounts/passwords.js';
import { DynamoQueueStore, ENTRY_BATCH } from './adapters/dynamodb/queue-store.js';
import { QueueService } from './queue/service.js';
import { decodeKey, TokenSigner } from './queue/signed-token.js';
import { EventLoopDelaySampler, OverloadGuard, type DelaySampler } from './shared/overload-guard.js';
import { composeAssistant, type AssistantBackend } from './compose-assistant.js';
import type { AssistantMetrics } from './assistant/metrics.js';

export interface ComposeOptions {
  readonly config: Config;
  readonly clock: Clock;
  /** Where DynamoDB answers (DynamoDB Local); undefined lets the SDK resolve AWS_ENDPOINT_URL_DYNAMODB or AWS. */
  readonly dynamoEndpoint?: string;
  /** Tests inject a DR source they control; otherwise the configured one is used. */
  readonly drState?: DrStateSource;
  readonly scrypt?: ScryptParams;
  readonly log?: Log;
  /** The assistant's backend as the runtime resolved it (ASSISTANT_MODE=auto); tests set it through the config. */
  readonly assistantBackend?: AssistantBackend;
  readonly bedrockCredentials?: { accessKeyId: string; secretAccessKey: string };
  readonly assistantMetrics?: AssistantMetrics;
  readonly assistantSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The waiting room's signing key as resolved at start (`resolveAdmissionKeys`); tests pass their own. */
  readonly admissionKey?: Buffer;
  /** Keys a key rotation still accepts when verifying (the secret's AWSPENDING and AWSPREVIOUS values). */
  readonly alsoAcceptedAdmissionKeys?: readonly Buffer[];
  /** The event-loop delay the overload guard sheds on (tests inject one they control). */
  readonly delaySampler?: DelaySampler;
  /** How stale the waiting room's cached queue state may be (default 1 s). */
  readonly queueStateCacheMs?: number;
}

/** The key from the options or ADMISSION_KEY; otherwise a per-process key, which only a non-production run may use. */
function admissionKeyOf(options: ComposeOptions): Buffer {
  if (options.admissionKey) return options.admissionKey;
  if (options.config.queue.admissionKey) return decodeKey(options.config.queue.admissionKey);
  if (options.config.production) throw new Error('composeApi: the admission key must be resolved before composing');
  return randomBytes(32);
}

/** Builds the API role's object graph: clients → adapters → services. No I/O happens here. */
export function composeApi(options: ComposeOptions) {
  const { config, clock } = options;
  const log = options.log ?? createLog(config.logLevel);
  const db = createDocumentClient({
    region: config.aws.region,
    endpoint: options.dynamoEndpoint ?? config.dynamodb.endpoint,
  });
  const tables = tableNamesFor(config.dynamodb.tablePrefix);
  const dynamoCatalog = new DynamoCatalog(db, tables);
  const catalog = new CachedCatalog(dynamoCatalog, clock);
  const drSource =
    options.drState ??
    (config.dr.source === 'dynamodb'
      ? new DynamoDrStateStore(db, tables.control, `api:${config.aws.region}`)
      : new FileDrStateStore(config.dr.file));
  const drState = new CachedDrStateSource(drSource, clock, config.dr.cacheSeconds * 1000);
  const writer = new WriterGate(drState, config.aws.region, config.aws.primaryRegion, config.aws.standbyRegion);
  const queueStore = new DynamoQueueStore(db, tables, ENTRY_BATCH);
  const queue = new QueueService({
    catalog,
    store: queueStore,
    clock,
    drState,
    signer: new TokenSigner(admissionKeyOf(options), options.alsoAcceptedAdmissionKeys),
    settings: { region: config.aws.region, primaryRegion: config.aws.primaryRegion },
    stateCacheMs: options.queueStateCacheMs,
  });
  const store = new DynamoBookingStore(db, tables, catalog);
  const payments = new DemoPaymentProvider();
  const booking = new BookingService({
    catalog,
    store,
    payments,
    clock,
    drState,
    seatViewTtlMs: config.seatViews.cacheMs,
    admissions: queue,
    settings: {
      holdMs: config.booking.holdSeconds * 1000,
      bookingFeePerTicket: config.booking.bookingFeeKrw,
      drGraceMs: config.booking.drGraceSeconds * 1000,
      region: config.aws.region,
      primaryRegion: config.aws.primaryRegion,
      cancellationPolicy: DEFAULT_CANCELLATION_POLICY,
    },
  });
  const accounts = new AccountService({
    users: new DynamoUserStore(db, tables),
    sessions: new CachedSessionStore(
      new DynamoSessionStore(db, tables, SESSION_READ_BATCH),
      clock,
      config.sessions.cacheSeconds * 1000,
    ),
    clock,
    sessionMs: config.sessions.days * 24 * 60 * 60 * 1000,
    scrypt: options.scrypt,
  });
  const assistant = composeAssistant({
    config,
    backend: options.assistantBackend,
    db,
    tables,
    booking,
    catalog,
    cancellationPolicy: DEFAULT_CANCELLATION_POLICY,
    clock,
    log,
    bedrockCredentials: options.bedrockCredentials,
    metrics: options.assistantMetrics,
    sleep: options.assistantSleep,
  });
  const apiDeps: ApiDeps = {
    region: config.aws.region,
    booking,
    accounts,
    catalog,
    drState,
    writer,
    drGraceMs: config.booking.drGraceSeconds * 1000,
    cancellationPolicy: DEFAULT_CANCELLATION_POLICY,
    clock,
    // A data-plane read (the same permission the app already has), not DescribeTable (a control-plane call the
    // instance role deliberately lacks).
    ready: async () => {
      await db.send(new GetCommand({ TableName: tables.bookings, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
    },
    limits: {
      login: new RateLimiter(clock, 10, 60_000),
      signup: new RateLimiter(clock, 5, 60_000),
      holds: new RateLimiter(clock, 30, 60_000),
      joins: new RateLimiter(clock, 20, 60_000),
      chatUser: new RateLimiter(clock, config.assistant.chatPerUserPerMinute, 60_000),
      chatIp: new RateLimiter(clock, config.assistant.chatPerIpPerMinute, 60_000),
    },
    queue,
    // A saturated instance answers joins, then polls, then claims 429 + Retry-After at once (see OverloadGuard).
    overload: new OverloadGuard(options.delaySampler ?? new EventLoopDelaySampler()),
    assistant,
    assistantMessageMaxChars: config.assistant.messageMaxChars,
    assistantTextWindowMs: config.assistant.textWindowMs,
    log,
  };
  return {
    db,
    tables,
    dynamoCatalog,
    catalog,
    store,
    payments,
    booking,
    accounts,
    drState,
    writer,
    queue,
    queueStore,
    assistant,
    apiDeps,
  };
}

export type ComposedApi = ReturnType<typeof composeApi>;
