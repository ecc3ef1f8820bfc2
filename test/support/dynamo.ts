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
