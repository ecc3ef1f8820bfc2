import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HoldStatus } from '../../booking/model.js';
import type { BatchItem } from '../../shared/micro-batcher.js';
import { batchGet, type BatchGetSpec } from './batch-get.js';
import { TABLES } from './tables.js';

type Item = Record<string, unknown>;

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_BATCH = 100;

type BookingsIndex = (typeof TABLES.bookings.globalSecondaryIndexes)[number]['name'];

/**
 * The bookings items a query of `index` found: the entries themselves when the index projects ALL, else the items
 * they name, read back (`itemsNamedBy`). The projection is read from the one table definition, so changing it there
 * is the whole change (docs/architecture.md, hold path, point 7).
 */
export function bookingsItemsOf(
  db: DynamoDBDocumentClient,
  table: string,
  index: BookingsIndex,
  entries: readonly Item[],
): Promise<Item[]> {
  const projection = TABLES.bookings.globalSecondaryIndexes.find((i) => i.name === index)!.projection;
  return projection === 'ALL' ? Promise.resolve([...entries]) : itemsNamedBy(db, table, entries);
}

/**
 * The table items that the entries of a `KEYS_ONLY` index query name (their `pk`/`sk`), in the query's order, read
 * strongly consistently with BatchGetItem (`batchGet`: ≤ 100 keys a request, requests in parallel, unprocessed keys
 * asked again). An item gone since the index was read is left out.
 */
export async function itemsNamedBy(
  db: DynamoDBDocumentClient,
  table: string,
  entries: readonly Item[],
): Promise<Item[]> {
  const idOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;
  const spec: BatchGetSpec<Item, Item> = {
    table,
    keyOf: (e) => ({ pk: e.pk, sk: e.sk }),
    idOf,
    decode: (item) => item,
  };
  const found = new Map<string, Item>();
  const reads = [...new Map(entries.map((e) => [idOf(e), e])).values()].map(
    (entry): BatchItem<Item, Item | undefined> => ({
      input: entry,
      resolve: (item) => item && found.set(idOf(entry), item),
      reject: () => undefined, // batchGet throws for the batch instead
    }),
  );
  const batches: (typeof reads)[] = [];
  for (let i = 0; i < reads.length; i += KEYS_PER_BATCH) batches.push(reads.slice(i, i + KEYS_PER_BATCH));
  await Promise.all(batches.map((batch) => batchGet(db, spec, batch)));
  return entries.flatMap((e): Item[] => {
    const item = found.get(idOf(e));
    return item ? [item] : [];
  });
}

/**
 * The index key attributes a hold item carries in a given status, for the update that moves it out of that status:
 * `liveHolds` while HOLDING (written with the hold), `byUser` while DR_RECOVERED (recovery swaps one for the other).
 * An update conditional on that exact status removes only these, so the expression says what the update does. Any
 * other status (never live again, nothing to remove) gets both pairs, as before.
 */
export function holdIndexKeysWhile(status: HoldStatus): string {
  if (status === 'HOLDING') return 'gsi2pk, gsi2sk';
  if (status === 'DR_RECOVERED') return 'gsi1pk, gsi1sk';
  return 'gsi1pk, gsi1sk, gsi2pk, gsi2sk';
}
