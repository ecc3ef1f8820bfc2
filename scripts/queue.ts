/**
 * The waiting room's operator command (see OPERATOR_USAGE):
 *   npm run queue -- list | status <event> [--watch] [--json] | open <event> | pause <event> | close <event> | arm <event>
 * It talks to the configured DynamoDB directly, like the API: in AWS with the operator's credentials
 * (DYNAMODB_MODE=external, AWS_REGION of the writer region); locally to the DynamoDB Local of a running `npm start`
 * (found through .megaticket/dynamodb-endpoint) or to AWS_ENDPOINT_URL_DYNAMODB.
 */
import { randomBytes } from 'node:crypto';
import { runningEndpoint } from '../app/adapters/local/running-endpoint.js';
import { composeApi } from '../app/compose.js';
import { loadConfig } from '../app/config.js';
import { runOperatorCommand } from '../app/queue/operator-command.js';
import { systemClock } from '../app/shared/clock.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const config = loadConfig();
  const endpoint =
    config.dynamodb.endpoint ?? (config.dynamodb.mode === 'embedded' ? await runningEndpoint() : undefined);
  if (config.dynamodb.mode === 'embedded' && !endpoint) {
    throw new Error(
      'No running `npm start` found (.megaticket/dynamodb-endpoint); start it or set AWS_ENDPOINT_URL_DYNAMODB.',
    );
  }
  const api = composeApi({
    // The operator reads and switches queues; it never signs or checks an admission, so any key will do.
    config: { ...config, production: false },
    clock: systemClock,
    dynamoEndpoint: endpoint,
    admissionKey: randomBytes(32),
    queueStateCacheMs: 0,
    log: () => {},
  });
  const watch = argv.includes('--watch');
  const args = argv.filter((a) => a !== '--watch');
  for (;;) {
    const report = await runOperatorCommand(api.queue, args, Date.now());
    if (watch) process.stdout.write('\x1b[2J\x1b[H');
    console.log(report);
    if (!watch) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  api.db.destroy();
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
