import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { keys, ttlSeconds } from '../../app/adapters/dynamodb/keys.js';

/** What the per-transaction-shape micro-benches (`item-costs`, `jvm-shapes`) share: their flags and statistics. */

export interface ShapeBenchArgs {
  readonly ops: number;
  readonly rounds: number;
  readonly clients: number;
  /** Only the shapes whose name matches (their bases always run). */
  readonly only?: RegExp;
}

/** `--ops N --rounds N --clients N --only REGEX` from argv, each with its default. */
export function shapeBenchArgs(defaults: Omit<ShapeBenchArgs, 'only'>, argv = process.argv): ShapeBenchArgs {
  const get = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const i = argv.indexOf('--only');
  return {
    ops: get('--ops', defaults.ops),
    rounds: get('--rounds', defaults.rounds),
    clients: get('--clients', defaults.clients),
    only: i >= 0 ? new RegExp(argv[i + 1]!) : undefined,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A session item as the API stores one (a day long), for the shapes that read a session; returns its id. */
export async function putBenchSession(db: DynamoDBDocumentClient, table: string): Promise<string> {
  const sessionId = randomUUID();
  const now = Date.now();
  await db.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.session(sessionId),
        tokenHash: sessionId,
        userId: randomUUID(),
        displayName: 'Bench User',
        email: 'bench@example.com',
        createdAt: now,
        accountCreatedAt: now,
        expiresAt: now + 86_400_000,
        ttl: ttlSeconds(now + 86_400_000),
      },
    }),
  );
  return sessionId;
}
