import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConverseStreamModel, createBedrockClient } from './adapters/bedrock/converse-stream-model.js';
import { DynamoConversationStore } from './adapters/dynamodb/conversation-store.js';
import type { TableNames } from './adapters/dynamodb/tables.js';
import { EmfMetrics, noMetrics, type AssistantMetrics } from './assistant/metrics.js';
import { ModelChain } from './assistant/model-chain.js';
import { OfflineModel } from './assistant/offline-model.js';
import { AssistantService } from './assistant/service.js';
import type { CancellationPolicy } from './booking/cancellation-policy.js';
import type { CatalogReader } from './booking/ports.js';
import type { BookingService } from './booking/service.js';
import type { Config } from './config.js';
import type { Clock } from './shared/clock.js';
import type { Log } from './shared/log.js';

export type AssistantBackend = 'bedrock' | 'offline';

export interface AssistantOptions {
  readonly config: Config;
  /** Resolved by the runtime (ASSISTANT_MODE=auto looks for AWS credentials); undefined = the config's own choice. */
  readonly backend?: AssistantBackend;
  readonly db: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly booking: BookingService;
  readonly catalog: CatalogReader;
  readonly cancellationPolicy: CancellationPolicy;
  readonly clock: Clock;
  readonly log: Log;
  /** Tests pass fake credentials for the fake Bedrock endpoint; otherwise the SDK's provider chain is used. */
  readonly bedrockCredentials?: { accessKeyId: string; secretAccessKey: string };
  readonly metrics?: AssistantMetrics;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The assistant's object graph: Bedrock (primary → fallback) or the offline model, behind the same engine. */
export function composeAssistant(options: AssistantOptions): AssistantService {
  const { config } = options;
  const backend = options.backend ?? (config.assistant.mode === 'bedrock' ? 'bedrock' : 'offline');
  const offline = backend === 'offline';
  const models = offline
    ? [new OfflineModel(config.assistant.offlineWordMs)]
    : (() => {
        const client = createBedrockClient(config.aws.region, options.bedrockCredentials);
        return [
          new ConverseStreamModel(client, config.assistant.primaryModelId),
          new ConverseStreamModel(client, config.assistant.fallbackModelId),
        ];
      })();
  // EMF lines go to stdout, which the instance's CloudWatch agent ships; the offline model has nothing to measure.
  const metrics = options.metrics ?? (offline ? noMetrics : new EmfMetrics((line) => process.stdout.write(line)));
  return new AssistantService({
    models: new ModelChain({ models, policy: config.assistant.policy, metrics, sleep: options.sleep }),
    offline,
    store: new DynamoConversationStore(options.db, options.tables),
    booking: options.booking,
    catalog: options.catalog,
    cancellationPolicy: options.cancellationPolicy,
    clock: options.clock,
    metrics,
    log: options.log,
    settings: {
      maxModelTurns: config.assistant.maxModelTurns,
      maxOutputTokens: config.assistant.maxOutputTokens,
      bookingFeePerTicket: config.booking.bookingFeeKrw,
      conversationMs: config.assistant.conversationHours * 60 * 60 * 1000,
      leaseMs: 2 * 60 * 1000,
    },
  });
}

/**
 * ASSISTANT_MODE=auto: Bedrock when the SDK's credential chain finds credentials (env, profile, instance role),
 * else the offline assistant. The instance-metadata probe is bounded so a laptop does not wait for it.
 */
export async function resolveAssistantBackend(config: Config, timeoutMs = 2500): Promise<AssistantBackend> {
  if (config.assistant.mode !== 'auto') return config.assistant.mode;
  const client = createBedrockClient(config.aws.region);
  try {
    const found = await Promise.race([
      client.config.credentials().then((c) => Boolean(c.accessKeyId)),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
    return found ? 'bedrock' : 'offline';
  } catch {
    return 'offline';
  } finally {
    client.destroy();
  }
}
