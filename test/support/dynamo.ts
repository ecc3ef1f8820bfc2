import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../../app/adapters/dynamodb/paginate.js';
import { startDynamoLocal, type DynamoLocal } from '../../app/adapters/local/dynamodb-local.js';

/**
 * One real DynamoDB Local per test run, started on first use; each suite isolates itself with its own table prefix.
 * The launcher kills the JVM when the process exits, so a crashed run leaves no orphan.
 */
let started: Promise<DynamoLocal> | undefined;

export function dynamoLocal(): Promise<DynamoLocal> {
  started ??= startDynamoLocal();
  return started;
}

let suiteCounter = 0;
export function uniquePrefix(name: string): string {
  suiteCounter++;
  return `t${process.pid}-${name}-${suiteCounter}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** Every item of every table of a fixture, in a stable order: compare before and after to prove nothing was written. */
export async function tableContents(
  db: DynamoDBDocumentClient,
  tables: Readonly<Record<string, string>>,
): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const [logical, physical] of Object.entries(tables)) {
    const items = await scanAll(db, { TableName: physical, ConsistentRead: true });
    contents[logical] = items.map((item) => JSON.stringify(sortedKeys(item))).sort();
  }
  return contents;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}
