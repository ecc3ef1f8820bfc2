import { createApiListener } from './api/app.js';
import { createDynamoClient } from './adapters/dynamodb/client.js';
import { ensureTables } from './adapters/dynamodb/create-tables.js';
import { startDynamoLocal, type DynamoLocal } from './adapters/local/dynamodb-local.js';
import { seedDemoCatalog } from './adapters/local/seed.js';
import {
  createSecretsManagerClient,
  readStagedSecret,
  stagedVersions,
  type SecretsManagerConnection,
} from './adapters/secrets/staged-secret.js';
import { startDrRecoveryLoop } from './booking/dr-recovery-loop.js';
import type { DrStateSource } from './booking/ports.js';
import { composeApi, type ComposedApi } from './compose.js';
import type { Config } from './config.js';
import { listen, type RunningServer } from './server.js';
import type { Clock } from './shared/clock.js';
import { systemClock } from './shared/clock.js';
import { createLog, type Log } from './shared/log.js';
import { composeWeb } from './web/compose.js';
import { csrfKeys, type CsrfKeys } from './web/csrf-keys.js';
import type { ScryptParams } from './accounts/passwords.js';
import { resolveAdmissionKeys } from './adapters/admission-key.js';
import { recordRunningEndpoint } from './adapters/local/running-endpoint.js';
import { startQueueAdmitter } from './queue/admitter-loop.js';
import { resolveAssistantBackend } from './compose-assistant.js';
import type { AssistantMetrics } from './assistant/metrics.js';

export interface RunningApp {
  readonly webUrl?: string;
  readonly apiUrl?: string;
  readonly dynamoEndpoint?: string;
  readonly api?: ComposedApi;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  readonly drState?: DrStateSource;
  readonly scrypt?: ScryptParams;
  readonly log?: Log;
  /** Reuse an already running DynamoDB Local instead of starting one (tests, benchmarks). */
  readonly dynamoEndpoint?: string;
  /** The waiting room's HMAC key; resolved from the config (env, Secrets Manager or the local key file) when omitted. */
  readonly admissionKey?: Buffer;
  /** The waiting room's writer tick interval (1 s; benchmarks and drills may shorten it). */
  readonly queueTickMs?: number;
  /** Where the assistant's EMF lines go (default: stdout when Bedrock answers). */
  readonly assistantMetrics?: AssistantMetrics;
  /** Where the CSRF and admission keys' secrets are read (a local stand-in in tests); by default the SDK's resolution. */
  readonly secretsManager?: Partial<SecretsManagerConnection>;
}

/**
 * The web tier's CSRF keys, read once before anything starts: in AWS from the deployment's Secrets Manager secret (this
 * region's copy; the AWSCURRENT value signs, AWSPENDING and AWSPREVIOUS are still accepted), locally from
 * WEB_CSRF_SECRET, else none (each process then invents its own; config refuses that in production).
 */
export async function loadCsrfKeys(
  config: Config,
  log: Log,
  connection: Partial<SecretsManagerConnection> = {},
): Promise<CsrfKeys | undefined> {
  const secretId = config.web.csrfSecretId;
  if (!secretId) return config.web.csrfSecret ? csrfKeys(config.web.csrfSecret, [], 'WEB_CSRF_SECRET') : undefined;
  const client = createSecretsManagerClient({ region: config.aws.region, ...connection });
  try {
    const secret = await readStagedSecret(client, secretId, 'WEB_CSRF_SECRET_ID');
    const keys = csrfKeys(
      secret.AWSCURRENT.value,
      [secret.AWSPENDING?.value, secret.AWSPREVIOUS?.value],
      `WEB_CSRF_SECRET_ID (${secretId})`,
    );
    log('CSRF keys loaded', undefined, stagedVersions(secretId, secret));
    return keys;
  } finally {
    client.destroy();
  }
}

/**
 * Starts what the role asks for: DynamoDB Local when embedded, tables and demo catalog when bootstrapping, the API,
 * and the web tier talking to the API over HTTP — the same hop as production, even when both run in one process.
 */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLog(config.logLevel);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log('shutdown step failed', e));
  };
  try {
    // First, so an instance that cannot get a key its deployment shares fails before it starts anything else.
    const keys = config.role === 'api' ? undefined : await loadCsrfKeys(config, log, options.secretsManager);
    const admissionKeys =
      config.role === 'web'
        ? undefined
        : options.admissionKey
          ? { signing: options.admissionKey, alsoAccepted: [] }
          : await resolveAdmissionKeys(config, log, options.secretsManager);
    let dynamoEndpoint = options.dynamoEndpoint ?? config.dynamodb.endpoint;
    let api: ComposedApi | undefined;
    let apiServer: RunningServer | undefined;
    if (config.role !== 'web') {
      if (!dynamoEndpoint && config.dynamodb.mode === 'embedded') {
        const local: DynamoLocal = await startDynamoLocal({
          port: config.dynamodb.localPort,
          dir: config.dynamodb.localDir,
        });
        stops.push(() => local.stop());
        dynamoEndpoint = local.endpoint;
        stops.push(await recordRunningEndpoint(local.endpoint));
      }
      const assistantBackend = await resolveAssistantBackend(config);
      api = composeApi({
        config,
        clock,
        dynamoEndpoint,
        drState: options.drState,
        scrypt: options.scrypt,
        log,
        admissionKey: admissionKeys?.signing,
        alsoAcceptedAdmissionKeys: admissionKeys?.alsoAccepted,
        assistantBackend,
        assistantMetrics: options.assistantMetrics,
      });
      if (config.dynamodb.bootstrap) {
        await ensureTables(createDynamoClient({ region: config.aws.region, endpoint: dynamoEndpoint }), api.tables);
        await seedDemoCatalog(api.dynamoCatalog, clock);
      }
      apiServer = await listen(createApiListener(api.apiDeps), config.host, config.api.port, config.listenBacklog);
      stops.push(() => apiServer!.close());
      const stopLoop = startDrRecoveryLoop(api.booking, api.writer, Math.max(config.dr.cacheSeconds, 5) * 1000, log);
      stops.push(async () => stopLoop());
      // Arms every queued event on its first tick (commits the lottery seed) and then admits at the set rate.
      const stopAdmitter = startQueueAdmitter(api.queue, options.queueTickMs ?? 1_000, log);
      stops.push(async () => stopAdmitter());
    }
    let webServer: RunningServer | undefined;
    if (config.role !== 'api') {
      const apiUrl = config.web.apiUrl ?? apiServer?.url;
      if (!apiUrl) throw new Error('API_URL is required for the web role');
      const { app: webApp } = composeWeb({
        apiUrl,
        region: config.aws.region,
        production: config.production,
        cookieSecure: config.web.cookieSecure,
        csrfKeys: keys,
        log,
      });
      webServer = await listen(webApp, config.host, config.web.port, config.listenBacklog);
      stops.push(() => webServer!.close());
    }
    return { webUrl: webServer?.url, apiUrl: apiServer?.url, dynamoEndpoint, api, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
