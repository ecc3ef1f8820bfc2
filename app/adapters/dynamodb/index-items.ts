import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from './tables.js';

type Item = Record<string, unknown>;

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_BATCH = 100;
/** Rounds of a batch before keys DynamoDB keeps leaving unprocessed (throttling) fail the read. */
const UNPROCESSED_ROUNDS = 6;

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
 * strongly consistently with BatchGetItem (≤ 100 keys a request, requests in parallel). An item gone since the index
 * was read is left out.
 */
export async function itemsNamedBy(
  db: DynamoDBDocumentClient,
  table: string,
  entries: readonly Item[],
): Promise<Item[]> {
  const idOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;
  const found = new Map<string, Item>();
  const batches: Item[][] = [];
  const keys = [...new Map(entries.map((e) => [idOf(e), { pk: e.pk, sk: e.sk }])).values()];
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) batches.push(keys.slice(i, i + KEYS_PER_BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      let waiting: Item[] = batch;
      for (let round = 1; waiting.length > 0; round++) {
        if (round > UNPROCESSED_ROUNDS) throw new Error(`${table}: ${waiting.length} keys left unprocessed`);
        if (round > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** round));
        const { Responses, UnprocessedKeys } = await db.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: waiting, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[table] ?? []) found.set(idOf(item), item);
        waiting = (UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      }
    }),
  );
  return entries.flatMap((e): Item[] => {
    const item = found.get(idOf(e));
    return item ? [item] : [];
  });
}
