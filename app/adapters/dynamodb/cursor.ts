import { DomainError } from '../../shared/errors.js';
import type { KeyAttribute, TableDefinition } from './tables.js';

/**
 * Pagination cursors are opaque to clients (a query's LastEvaluatedKey, base64url JSON) and validated on the way
 * back before they reach DynamoDB: the exact key set of the index, each value of its key type, and the caller's own
 * partition. So a forged cursor can neither read another user's partition nor provoke a DynamoDB validation error.
 */
export function encodeCursor(lastKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

export interface CursorScope {
  readonly table: TableDefinition;
  readonly index: string;
  /** The value the index's partition key must have: the caller's own partition. */
  readonly partition: string;
}

/** A LastEvaluatedKey of a GSI query names the table's primary key and the index's key, nothing else. */
function keyAttributes(table: TableDefinition, indexName: string): { all: KeyAttribute[]; partitionKey: string } {
  const index = table.globalSecondaryIndexes.find((i) => i.name === indexName);
  if (!index) throw new Error(`no index ${indexName}`);
  const all = [table.partitionKey, table.sortKey, index.partitionKey, index.sortKey].filter(
    (a): a is KeyAttribute => a !== undefined,
  );
  return { all: [...new Map(all.map((a) => [a.name, a])).values()], partitionKey: index.partitionKey.name };
}

/** DynamoDB's own bounds for key values: non-empty, at most 2,048 bytes (1,024 for sort keys; the stricter here). */
const validKeyValue = (attribute: KeyAttribute, value: unknown): boolean =>
  attribute.type === 'S'
    ? typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= 1024
    : typeof value === 'number' && Number.isFinite(value);

export function decodeCursor(cursor: string, scope: CursorScope): Record<string, unknown> {
  const { all, partitionKey } = keyAttributes(scope.table, scope.index);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.keys(key).length === all.length &&
    all.every((a) => Object.hasOwn(key, a.name) && validKeyValue(a, (key as Record<string, unknown>)[a.name])) &&
    (key as Record<string, unknown>)[partitionKey] === scope.partition;
  if (!valid) {
    throw new DomainError('VALIDATION_FAILED', 'query.cursor: not a valid page cursor', {
      field: 'cursor',
      fields: [{ in: 'query', field: 'cursor', message: 'not a valid page cursor' }],
    });
  }
  return key as Record<string, unknown>;
}
