import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { WriteRaced } from '../../shared/concurrency.js';

/**
 * Classifies a failed TransactWriteItems. A ConditionalCheckFailed reason is a real refusal (returns normally so
 * the caller can answer "no"); a cancellation made only of TransactionConflict reasons says nothing about the
 * request — another transaction was touching the same items — so it becomes WriteRaced and is retried. Anything
 * else is rethrown untouched.
 */
export function refusedOrRaced(error: unknown): void {
  if (!(error instanceof TransactionCanceledException)) throw error;
  const codes = (error.CancellationReasons ?? []).map((r) => r?.Code ?? 'None');
  if (codes.includes('ConditionalCheckFailed')) return;
  if (codes.includes('TransactionConflict')) throw new WriteRaced(codes.join(','));
  throw error;
}
