import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { trackStackChanges } from './wire-transactions.js';

export interface DynamoConnection {
  readonly region: string;
  /** Set for DynamoDB Local; otherwise the SDK resolves AWS_ENDPOINT_URL_DYNAMODB or the regional endpoint. */
  readonly endpoint?: string;
}

/** DynamoDB Local accepts any credentials, but the SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDynamoClient(connection: DynamoConnection): DynamoDBClient {
  const isLocal = connection.endpoint !== undefined && /\/\/(localhost|127\.|\[::1\])/.test(connection.endpoint);
  const client = new DynamoDBClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(isLocal ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 4,
    // The SDK's default of 50 sockets per client queues requests under an on-sale stampede (joins, claims and holds
    // all in flight at once); DynamoDB itself takes far more concurrency than that. DynamoDB Local is one JVM that
    // serialises work anyway and starts dropping connections when flooded, so it keeps the default.
    ...(isLocal
      ? {}
      : {
          requestHandler: {
            httpAgent: { keepAlive: true, maxSockets: 512 },
            httpsAgent: { keepAlive: true, maxSockets: 512 },
          },
        }),
  });
  // A test fails should a new SDK rename the middleware (remove() would then silently find nothing).
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
}

/**
 * The app never gives the SDK a logger (errors reach the caller, which logs them), yet the SDK's logger middleware
 * still walks every request and response through its sensitive-data filter to build an entry for the default no-op
 * logger: about a tenth of the client-side CPU of a hold, growing with every item of a transaction (found by
 * profiling the waiting room's gate, docs/benchmarks.md). Removing it changes nothing else.
 */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

export function createDocumentClient(connection: DynamoConnection): DynamoDBDocumentClient {
  const db = DynamoDBDocumentClient.from(createDynamoClient(connection), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // The hold and confirm transactions reuse their resolved middleware stack until it changes (wire-transactions.ts).
  trackStackChanges(db.middlewareStack);
  return db;
}
