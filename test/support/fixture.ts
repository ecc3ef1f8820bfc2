import { createDynamoClient } from '../../app/adapters/dynamodb/client.js';
import { ensureTables } from '../../app/adapters/dynamodb/create-tables.js';
import { seedDemoCatalog } from '../../app/adapters/local/seed.js';
import type { DrState } from '../../app/booking/dr.js';
import type { DrStateSource } from '../../app/booking/ports.js';
import { composeApi, type ComposedApi, type ComposeOptions } from '../../app/compose.js';
import { loadConfig, type Config } from '../../app/config.js';
import { ManualClock } from '../../app/shared/clock.js';
import { dynamoLocal, uniquePrefix } from './dynamo.js';

/** A DR state source a test flips by hand (the file/SSM sources have their own tests). */
export class SettableDrState implements DrStateSource {
  state: DrState = { active: false };
  async current(): Promise<DrState> {
    return this.state;
  }
}

export interface Fixture extends ComposedApi {
  readonly clock: ManualClock;
  readonly dr: SettableDrState;
  readonly config: Config;
  readonly endpoint: string;
}

/** The waiting room's HMAC key in tests: known, so attack tests can sign tokens the server would accept. */
export const TEST_ADMISSION_KEY = Buffer.alloc(32, 0x5a);

/** Cheap scrypt for tests that sign up many users; the production parameters have their own test. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/**
 * A full API object graph over real DynamoDB Local with fresh tables and the seeded demo catalog.
 * The clock starts at the real now and only moves when the test moves it.
 */
export async function createFixture(
  name: string,
  env: Record<string, string> = {},
  compose: Partial<ComposeOptions> = {},
): Promise<Fixture> {
  const local = await dynamoLocal();
  const config = loadConfig({
    TABLE_PREFIX: uniquePrefix(name),
    DYNAMODB_MODE: 'external',
    DR_STATE_CACHE_SECONDS: '0',
    SEAT_VIEW_CACHE_MS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const clock = new ManualClock(Date.now());
  const dr = new SettableDrState();
  const composed = composeOver({ config, clock, dr, endpoint: local.endpoint }, compose);
  await ensureTables(createDynamoClient({ region: config.aws.region, endpoint: local.endpoint }), composed.tables);
  await seedDemoCatalog(composed.dynamoCatalog, clock);
  return { ...composed, clock, dr, config, endpoint: local.endpoint };
}

/**
 * Another API instance of the same region over the fixture's tables, clock and DR state: its own object graph (no
 * shared caches or in-process single flights), as a second process behind the load balancer would be.
 */
export function anotherInstance(fx: Fixture, compose: Partial<ComposeOptions> = {}): ComposedApi {
  return composeOver(fx, compose);
}

function composeOver(
  fx: Pick<Fixture, 'config' | 'clock' | 'dr' | 'endpoint'>,
  compose: Partial<ComposeOptions>,
): ComposedApi {
  return composeApi({
    config: fx.config,
    clock: fx.clock,
    dynamoEndpoint: fx.endpoint,
    drState: fx.dr,
    scrypt: TEST_SCRYPT,
    log: () => {},
    admissionKey: TEST_ADMISSION_KEY,
    // Tests move a manual clock; a cached queue state would hide the writer's last tick from the next assertion.
    queueStateCacheMs: 0,
    ...compose,
  });
}

/**
 * Another region's API over the same tables (the global tables' stand-in), sharing the fixture's clock and DR state:
 * what the Tokyo API sees while the fixture plays Seoul.
 */
export function otherRegion(fx: Fixture, region: string): ComposedApi {
  const config = loadConfig({
    TABLE_PREFIX: fx.config.dynamodb.tablePrefix,
    DYNAMODB_MODE: 'external',
    DR_STATE_CACHE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    AWS_REGION: region,
  });
  return composeApi({
    config,
    clock: fx.clock,
    dynamoEndpoint: fx.endpoint,
    drState: fx.dr,
    scrypt: TEST_SCRYPT,
    log: () => {},
  });
}
