import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { BatchItem } from '../../shared/micro-batcher.js';
import { toAttributeMap } from './attribute-values.js';
import { sendWireBatchGet } from './wire-transactions.js';

/** Rounds of a batch read before the keys DynamoDB left unprocessed (throttling) are answered with an error. */
const UNPROCESSED_ROUNDS = 6;

export interface BatchGetSpec<T, V> {
  readonly table: string;
  /** The item key of a request. */
  readonly keyOf: (input: T) => Record<string, unknown>;
  /** The same string for a request and for the item (or key) DynamoDB returns for it. */
  readonly idOf: (keyOrItem: Record<string, unknown>) => string;
  readonly decode: (item: Record<string, unknown>) => V | undefined;
}

/**
 * Answers a micro-batch of single-item reads with one strongly consistent BatchGetItem (≤ 100 keys): each request gets
 * its item decoded, or undefined when DynamoDB processed its key and found nothing. Keys DynamoDB leaves unprocessed
 * are asked again after a short backoff; after `UNPROCESSED_ROUNDS` rounds the rest fail with an error (answered,
 * never left waiting). Sent in wire form through the client's resolved stack (`sendWireBatchGet`): the session read
 * of a cold request and the queue's entry reads are hot paths, and the document client's generic marshalling and
 * per-send middleware resolution cost more than the read's own work here.
 */
export async function batchGet<T, V>(
  db: DynamoDBDocumentClient,
  spec: BatchGetSpec<T, V>,
  items: readonly BatchItem<T, V | undefined>[],
): Promise<void> {
  let waiting = new Map(items.map((item) => [spec.idOf(spec.keyOf(item.input)), item]));
  for (let round = 1; waiting.size > 0; round++) {
    if (round > UNPROCESSED_ROUNDS) throw new Error(`${spec.table}: ${waiting.size} keys left unprocessed`);
    if (round > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** round));
    const { Responses, UnprocessedKeys } = await sendWireBatchGet(db, {
      RequestItems: {
        [spec.table]: {
          Keys: [...waiting.values()].map((item) => toAttributeMap(spec.keyOf(item.input))),
          ConsistentRead: true,
        },
      },
    });
    for (const wire of Responses?.[spec.table] ?? []) {
      const found = unmarshall(wire);
      const id = spec.idOf(found);
      waiting.get(id)?.resolve(spec.decode(found));
      waiting.delete(id);
    }
    const unprocessedKeys = UnprocessedKeys?.[spec.table]?.Keys ?? [];
    const unprocessed = new Set(unprocessedKeys.map((key) => spec.idOf(unmarshall(key))));
    const next = new Map<string, BatchItem<T, V | undefined>>();
    for (const [id, item] of waiting) {
      if (unprocessed.has(id)) next.set(id, item);
      else item.resolve(undefined); // processed and absent
    }
    waiting = next;
  }
}
