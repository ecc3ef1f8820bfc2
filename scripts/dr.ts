/**
 * The DR state by hand, for local runs and the drill (AWS operators use the failover workflow and `npm run failback`):
 *   npm run dr -- status | activate [--since <ISO time>] | failback-begin | deactivate
 * Reads and writes the configured source: the local file (DR_STATE_SOURCE=file, `npm start`'s default) or the DR item
 * of the `control` table (DR_STATE_SOURCE=dynamodb with AWS_ENDPOINT_URL_DYNAMODB / TABLE_PREFIX). Activation is
 * idempotent: activating again keeps the original `since`, so a grace window is never restarted.
 */
import { FileDrStateStore } from '../app/adapters/dr/dr-state-sources.js';
import { DynamoDrStateStore } from '../app/adapters/dr/dynamo-dr-state.js';
import { createDocumentClient } from '../app/adapters/dynamodb/client.js';
import { tableNamesFor } from '../app/adapters/dynamodb/tables.js';
import type { DrState, DrStateStore } from '../app/booking/dr.js';
import { writerOf } from '../app/booking/writer.js';
import { loadConfig, type Config } from '../app/config.js';

function storeFor(config: Config): { store: DrStateStore; where: string } {
  if (config.dr.source === 'file') return { store: new FileDrStateStore(config.dr.file), where: config.dr.file };
  const db = createDocumentClient({ region: config.aws.region, endpoint: config.dynamodb.endpoint });
  const table = tableNamesFor(config.dynamodb.tablePrefix).control;
  return { store: new DynamoDrStateStore(db, table, 'npm run dr'), where: `${table} (${config.aws.region})` };
}

export function describeDrState(state: DrState): string {
  if (!state.active) return 'DR inactive (writer: primary)';
  const since = `DR ACTIVE since ${new Date(state.since!).toISOString()}`;
  return state.failbackStartedAt === undefined
    ? `${since} (writer: standby)`
    : `${since}, failback started ${new Date(state.failbackStartedAt).toISOString()} (writer: ${writerOf(state)})`;
}

async function main(): Promise<void> {
  const [command = 'status', flag, value] = process.argv.slice(2).filter((a) => a !== '--');
  const config = loadConfig();
  const { store, where } = storeFor(config);
  const current = await store.current();
  switch (command) {
    case 'status':
      break;
    case 'activate': {
      const since = flag === '--since' && value ? Date.parse(value) : Date.now();
      if (Number.isNaN(since)) throw new Error(`--since: not an ISO time: ${value}`);
      if (current.active) console.log('DR already active; keeping the original since.');
      await store.activate(since);
      break;
    }
    case 'failback-begin':
      await store.beginFailback(current, Date.now());
      break;
    case 'deactivate':
      await store.deactivate(current);
      break;
    default:
      throw new Error(`unknown command "${command}" (status | activate [--since ISO] | failback-begin | deactivate)`);
  }
  console.log(
    `${where}: ${describeDrState(await store.current())}` +
      ` (grace ${config.booking.drGraceSeconds / 60} min; APIs pick this up within ${config.dr.cacheSeconds} s)`,
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
