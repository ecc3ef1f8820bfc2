import { ConditionalCheckFailedException, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { conversationSchema, type ConversationState } from '../../assistant/conversation.js';
import { ConversationBusy, type ConversationStore, type LeasedConversation } from '../../assistant/ports.js';
import type { EpochMs } from '../../shared/time.js';
import { toAttributeMap } from './attribute-values.js';
import { keys, ttlSeconds } from './keys.js';
import { sendWire } from './wire-transactions.js';
import type { TableNames } from './tables.js';

/**
 * Assistant conversations in the `sessions` table (`CONV#<id>`, the table's one TTL attribute), so a conversation
 * continues on another instance, after a restart, or in the other region (a global table). The state is stored as
 * one JSON string (`stateJson`), validated when read; the lease (`leaseId`, `leaseUntil`) lets exactly one answer at
 * a time write it.
 *
 * Why a string and not a nested map: the item is written and read whole on every message and never queried by its
 * fields, and a nested map costs marshalling into DynamoDB's typed JSON on the way out and back on the way in (in the
 * app, and in DynamoDB's request parsing), for dozens of little attributes; one string is one attribute. Items
 * written before the change carry the state as a map (`state`) and are still read.
 *
 * The saves (one per chat message) go in wire form through the low-level `PutItem` with its middleware stack resolved
 * once (`sendWire`): the document client's generic marshalling and its second stack resolution per send are CPU in
 * the API process that the next message's start would wait behind.
 */
export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async begin(id: string, now: EpochMs, leaseUntil: EpochMs): Promise<LeasedConversation | undefined> {
    const lease = randomUUID();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.sessions,
          Key: keys.conversation(id),
          UpdateExpression: 'SET leaseId = :lease, leaseUntil = :until',
          // TTL deletion lags: an expired conversation counts as gone.
          ConditionExpression:
            'attribute_exists(pk) AND #ttl > :nowSeconds AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':lease': lease, ':until': leaseUntil, ':now': now, ':nowSeconds': now / 1000 },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: parse(Attributes!), lease };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item;
      const live = old?.ttl?.N !== undefined && Number(old.ttl.N) > now / 1000;
      if (live && old?.leaseUntil?.N !== undefined && Number(old.leaseUntil.N) > now) throw new ConversationBusy();
      return undefined;
    }
  }

  async commit(state: ConversationState, lease: string | undefined, expiresAt: EpochMs): Promise<void> {
    try {
      await sendWire(
        this.db,
        new PutItemCommand({
          TableName: this.tables.sessions,
          Item: itemOf(state, expiresAt),
          ...(lease
            ? { ConditionExpression: 'leaseId = :lease', ExpressionAttributeValues: { ':lease': { S: lease } } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConversationBusy();
      throw error;
    }
  }

  async commitIfUnchanged(
    state: ConversationState,
    previousTurn: number,
    now: EpochMs,
    expiresAt: EpochMs,
  ): Promise<void> {
    try {
      await sendWire(
        this.db,
        new PutItemCommand({
          TableName: this.tables.sessions,
          Item: itemOf(state, expiresAt),
          // `turn` is written by every save, so an item saved since (or saved before the attribute existed) fails.
          ConditionExpression: '#turn = :previous AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeNames: { '#turn': 'turn' },
          ExpressionAttributeValues: toAttributeMap({ ':previous': previousTurn, ':now': now }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConversationBusy();
      throw error;
    }
  }

  async leaseIfUnchanged(id: string, turn: number, now: EpochMs, leaseUntil: EpochMs): Promise<string> {
    const lease = randomUUID();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.sessions,
          Key: keys.conversation(id),
          UpdateExpression: 'SET leaseId = :lease, leaseUntil = :until',
          ConditionExpression: '#turn = :turn AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeNames: { '#turn': 'turn' },
          ExpressionAttributeValues: { ':lease': lease, ':until': leaseUntil, ':turn': turn, ':now': now },
        }),
      );
      return lease;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConversationBusy();
      throw error;
    }
  }

  async get(id: string, now: EpochMs): Promise<ConversationState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.sessions, Key: keys.conversation(id), ConsistentRead: true }),
    );
    if (!Item || Number(Item.ttl) <= now / 1000) return undefined;
    return parse(Item);
  }
}

/** The whole item in wire form: the state as one string, its turn beside it for the conditions above, and the TTL. */
function itemOf(state: ConversationState, expiresAt: EpochMs): Record<string, AttributeValue> {
  return toAttributeMap({
    ...keys.conversation(state.id),
    stateJson: JSON.stringify(state),
    turn: state.turn,
    ttl: ttlSeconds(expiresAt),
  });
}

function parse(item: Record<string, unknown>): ConversationState {
  const stored = typeof item.stateJson === 'string' ? safeJson(item.stateJson) : item.state;
  const result = conversationSchema.safeParse(stored);
  if (!result.success) {
    throw new Error(
      `Malformed conversation ${String(item.pk)}: ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return result.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
