/**
 * Seeds (upserts) the demo catalog into an existing set of tables — the operator's step after `pulumi up -s seoul`
 * (instances never create or seed tables). Idempotent; re-run it to extend demo schedules past today + 90 days.
 *   DYNAMODB_MODE=external AWS_REGION=ap-northeast-2 npm run seed
 */
import { DynamoCatalog } from '../app/adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../app/adapters/dynamodb/client.js';
import { tableNamesFor } from '../app/adapters/dynamodb/tables.js';
import { seedDemoCatalog } from '../app/adapters/local/seed.js';
import { loadConfig } from '../app/config.js';
import { systemClock } from '../app/shared/clock.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.dynamodb.mode !== 'external') {
    throw new Error('npm run seed targets an existing DynamoDB: set DYNAMODB_MODE=external (npm start seeds locally).');
  }
  const db = createDocumentClient({ region: config.aws.region, endpoint: config.dynamodb.endpoint });
  const catalog = new DynamoCatalog(db, tableNamesFor(config.dynamodb.tablePrefix));
  const seeded = await seedDemoCatalog(catalog, systemClock);
  console.log(
    `Seeded ${seeded.performances} performances and ${seeded.schedules} schedules into ` +
      `${config.dynamodb.tablePrefix}-* in ${config.aws.region}.`,
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
