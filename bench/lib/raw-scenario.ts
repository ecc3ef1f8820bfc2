import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { keys, ttlSeconds } from '../../app/adapters/dynamodb/keys.js';
import type { Outcome, Scenario } from './load.js';
import { pickSeats, SlotRotation } from './slots.js';

const HOLD_MS = 10 * 60 * 1000;

/**
 * Scenario B, the floor: the least DynamoDB work a hold and a confirm can be — one TransactWriteItems putting one
 * seat item per chosen seat with `attribute_not_exists(pk)`, then one updating those items to CONFIRMED — sent
 * straight from this process with the same client factory the app uses. No HTTP, no auth, no hold/reservation/
 * audit items, no reads. Its seat items have the app's key shape and attributes, in partitions of their own.
 */
export class RawScenario implements Scenario {
  readonly name = 'raw';
  private readonly rotation: SlotRotation;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly sellable: readonly string[],
    runId: string,
    holdsPerSlot: number,
  ) {
    let next = 0;
    this.rotation = new SlotRotation(() => `bench-raw-${runId}-${++next}`, holdsPerSlot);
  }

  async attempt(): Promise<Outcome> {
    const slotId = this.rotation.current();
    const seatIds = pickSeats(this.sellable);
    const holdId = randomUUID();
    const now = Date.now();
    const started = performance.now();
    try {
      await this.db.send(
        new TransactWriteCommand({ TransactItems: seatIds.map((s) => this.holdPut(slotId, s, holdId, now)) }),
      );
    } catch (error) {
      return refusal(error);
    }
    const held = performance.now();
    try {
      await this.db.send(
        new TransactWriteCommand({ TransactItems: seatIds.map((s) => this.confirmUpdate(slotId, s, holdId)) }),
      );
    } catch (error) {
      // Nobody else writes these items once held, so a refused confirm is a harness bug, not contention.
      return { kind: 'error', message: `raw confirm: ${String(error)}` };
    }
    const done = performance.now();
    this.rotation.confirmed(slotId);
    return { kind: 'completed', holdMs: held - started, pairMs: done - started };
  }

  private holdPut(slotId: string, seatId: string, holdId: string, now: number) {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.seat(slotId, seatId),
          seatId,
          status: 'HOLDING',
          holdId,
          userId: 'bench-raw',
          region: 'ap-northeast-2',
          createdAt: now,
          expiresAt: now + HOLD_MS,
          ttl: ttlSeconds(now + HOLD_MS),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private confirmUpdate(slotId: string, seatId: string, holdId: string) {
    return {
      Update: {
        TableName: this.table,
        Key: keys.seat(slotId, seatId),
        UpdateExpression: 'SET #status = :confirmed, reservationId = :r REMOVE #ttl',
        ConditionExpression: 'holdId = :h AND #status = :holding',
        ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':confirmed': 'CONFIRMED',
          ':r': `RAW-${holdId}`,
          ':h': holdId,
          ':holding': 'HOLDING',
        },
      },
    };
  }
}

/** A taken seat is a conflict; a cancellation for any other reason (TransactionConflict) is a lost race. */
function refusal(error: unknown): Outcome {
  if (!(error instanceof TransactionCanceledException)) return { kind: 'error', message: `raw hold: ${String(error)}` };
  const taken = (error.CancellationReasons ?? []).some((r) => r?.Code === 'ConditionalCheckFailed');
  return taken ? { kind: 'conflict' } : { kind: 'raced' };
}
