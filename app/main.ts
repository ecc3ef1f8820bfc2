import { ConfigError, loadConfig } from './config.js';
import { JavaMissingError } from './adapters/local/dynamodb-local.js';
import { SecretReadError } from './adapters/secrets/staged-secret.js';
import { startApp } from './runtime.js';
import { CsrfKeyError } from './web/csrf-keys.js';

/** Composition root for `npm start` and the production service: config → app → signals. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await startApp(config);
  if (app.apiUrl) console.log(`MegaTicket API (${config.aws.region}) on ${app.apiUrl}`);
  if (app.dynamoEndpoint && config.dynamodb.mode === 'embedded') {
    console.log(
      `DynamoDB Local on ${app.dynamoEndpoint} (${config.dynamodb.localDir ? `data in ${config.dynamodb.localDir}` : 'in memory'})`,
    );
  }
  if (app.api) {
    const { assistant } = app.api;
    console.log(
      assistant.offline
        ? 'Assistant: offline model (no Bedrock credentials found; ASSISTANT_MODE=bedrock to insist)'
        : `Assistant: Bedrock ${config.assistant.primaryModelId} → ${config.assistant.fallbackModelId}, ` +
            `cached prompt prefix ≈ ${await assistant.prefixTokens()} tokens`,
    );
  }
  if (app.webUrl) console.log(`\n  MegaTicket is running: ${app.webUrl}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof JavaMissingError || error instanceof CsrfKeyError) {
    console.error(error.message);
  } else if (error instanceof SecretReadError) {
    console.error(`MegaTicket failed to start: ${error.message}`);
  } else {
    console.error('MegaTicket failed to start:', error);
  }
  process.exit(1);
});
