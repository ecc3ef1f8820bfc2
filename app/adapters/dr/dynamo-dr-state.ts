import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DR_INACTIVE, DrTransitionRefused, type DrState, type DrStateStore } from '../../booking/dr.js';
import { drStateFromDocument } from '../../booking/dr-state-codec.js';
import type { EpochMs } from '../../shared/time.js';
import { DR_STATE_ATTRIBUTES as A, DR_STATE_KEY } from './dr-state-item.js';

const iso = (at: EpochMs) => new Date(at).toISOString();
const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * The DR state item of the `control` table. Reads are strongly consistent (within the region's replica); every write
 * is a conditional transition of `booking/dr-transitions.ts`, so the failover workflow and an operator can never
 * interleave into a state neither meant. A missing item means DR was never activated.
 */
export class DynamoDrStateStore implements DrStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly actor: string,
    private readonly now: () => EpochMs = Date.now,
  ) {}

  async current(): Promise<DrState> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: DR_STATE_KEY, ConsistentRead: true }),
    );
    if (!Item) return DR_INACTIVE;
    return drStateFromDocument({
      active: Item[A.active],
      ...(Item[A.since] !== undefined ? { since: Item[A.since] } : {}),
      ...(Item[A.failbackStartedAt] !== undefined ? { failbackStartedAt: Item[A.failbackStartedAt] } : {}),
    });
  }

  async activate(since: EpochMs): Promise<DrState> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...DR_STATE_KEY, [A.active]: true, [A.since]: iso(since), ...this.stamp() },
          ConditionExpression: 'attribute_not_exists(pk) OR #active = :false',
          ExpressionAttributeNames: { '#active': A.active },
          ExpressionAttributeValues: { ':false': false },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.current();
  }

  async beginFailback(expected: DrState, at: EpochMs): Promise<DrState> {
    if (!expected.active || expected.since === undefined) {
      throw new DrTransitionRefused('Failback needs an active DR state.', await this.current());
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: DR_STATE_KEY,
          UpdateExpression: 'SET #fb = :at, #by = :by, #upd = :upd',
          ConditionExpression: '#active = :true AND #since = :since AND attribute_not_exists(#fb)',
          ExpressionAttributeNames: {
            '#active': A.active,
            '#since': A.since,
            '#fb': A.failbackStartedAt,
            '#by': A.updatedBy,
            '#upd': A.updatedAt,
          },
          ExpressionAttributeValues: {
            ':true': true,
            ':since': iso(expected.since),
            ':at': iso(at),
            ':by': this.actor,
            ':upd': iso(this.now()),
          },
        }),
      );
      return this.current();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.current();
      // Already failing back for this very failover (a re-run of the command): nothing to do.
      if (current.active && current.since === expected.since && current.failbackStartedAt !== undefined) return current;
      throw new DrTransitionRefused('Failback needs the active DR state it was started for.', current);
    }
  }

  async deactivate(expected: DrState): Promise<DrState> {
    const condition =
      expected.active && expected.since !== undefined
        ? {
            ConditionExpression: '#active = :true AND #since = :since',
            values: { ':true': true, ':since': iso(expected.since) },
          }
        : { ConditionExpression: 'attribute_not_exists(pk) OR #active = :false', values: { ':false': false } };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...DR_STATE_KEY, [A.active]: false, ...this.stamp() },
          ConditionExpression: condition.ConditionExpression,
          ExpressionAttributeNames: expected.active
            ? { '#active': A.active, '#since': A.since }
            : { '#active': A.active },
          ExpressionAttributeValues: condition.values,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new DrTransitionRefused(
        'The DR state changed since it was read; nothing was written.',
        await this.current(),
      );
    }
    return this.current();
  }

  private stamp() {
    return { [A.updatedBy]: this.actor, [A.updatedAt]: iso(this.now()) };
  }
}
