import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Draw, QueueControl, QueueEntry, QueueEntryRef, QueueState } from '../../queue/model.js';
import type {
  ClaimCommand,
  ClaimOutcome,
  NumberKind,
  PutEntryResult,
  QueueCounter,
  QueueStore,
  TickExpectation,
} from '../../queue/ports.js';
import type { TickPlan } from '../../queue/release.js';
import type { EpochMs } from '../../shared/time.js';
import { MicroBatcher, type BatchItem, type MicroBatchTuning } from '../../shared/micro-batcher.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { keys, ttlSeconds } from './keys.js';
import { batchGet } from './batch-get.js';
import { fromQueueState, toQueueCounter, toQueueEntry, toQueueState } from './queue-items.js';
import type { TableNames } from './tables.js';

/** Entries are collected a month after joining; the on-sale is long over by then. */
const ENTRY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Attribute names that are DynamoDB reserved words (or may become so): always aliased. */
const NAMES = { '#control': 'control', '#state': 'state', '#number': 'number', '#b': 'buckets', '#mc': 'minuteClaims' };

/** Entry writes and reads while another batch is out are gathered for at most 2 ms, up to 100 items (both calls' limit). */
export const ENTRY_BATCH: MicroBatchTuning = { maxSize: 100, maxWaitMs: 2, sendAtOnceWhenIdle: true };
/** Cancelled rounds of an entry batch before what is left is written item by item. */
const TRANSACTION_ROUNDS = 4;
/** A new entry only where the account has none: one place per account per event. */
const NEW_ENTRY = 'attribute_not_exists(pk)';

interface EntryId {
  readonly eventId: string;
  readonly userId: string;
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';

/**
 * The waiting room on DynamoDB. The state item is small (a few KB: every claim rewrites it) and is written by the
 * writer's tick (conditional on the tick it read, so one instance wins) and by claims (an atomic ADD conditional on
 * the budget); the counter is written by batched allocations; entries are spread over partitions, one per account.
 */
export class DynamoQueueStore implements QueueStore {
  private readonly entryWrites: MicroBatcher<QueueEntry, PutEntryResult> | undefined;
  private readonly entryReads: MicroBatcher<EntryId, QueueEntry | undefined> | undefined;

  /**
   * `batch` (the served API passes ENTRY_BATCH) gathers concurrent new entries into one transaction of conditional
   * puts (see `writeEntries`) and concurrent entry reads (claims, polls without a ticket) into one strongly consistent
   * BatchGetItem; without it each is its own PutItem or GetItem.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    batch?: MicroBatchTuning,
  ) {
    const idOf = (e: EntryId) => `${e.eventId}\u0000${e.userId}`;
    this.entryWrites =
      batch && new MicroBatcher<QueueEntry, PutEntryResult>(idOf, (items) => this.writeEntries(items), batch);
    const spec = {
      table: tables.queue,
      keyOf: (e: EntryId) => keys.queueEntry(e.eventId, e.userId),
      idOf: (keyOrItem: Record<string, unknown>) => String(keyOrItem.pk),
      decode: toQueueEntry,
    };
    this.entryReads = batch && new MicroBatcher(idOf, (items) => batchGet(db, spec, items), batch);
  }

  async getState(eventId: string, consistent = false): Promise<QueueState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.queue, Key: keys.queueState(eventId), ConsistentRead: consistent }),
    );
    return Item ? toQueueState(Item) : undefined;
  }

  async arm(initial: QueueState): Promise<QueueState> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.queue,
                Item: { ...keys.queueState(initial.eventId), ...fromQueueState(initial) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tables.queue,
                Item: { ...keys.queueCounter(initial.eventId, initial.epoch), seq: initial.issued },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return initial;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Armed already (by another instance, the seeding or the operator): its seed stands.
      const existing = await this.getState(initial.eventId, true);
      if (!existing) throw error;
      return existing;
    }
  }

  async getCounter(eventId: string, epoch: number): Promise<QueueCounter | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.queue, Key: keys.queueCounter(eventId, epoch), ConsistentRead: true }),
    );
    return Item ? toQueueCounter(Item) : undefined;
  }

  async allocate(eventId: string, epoch: number, count: number, kind: NumberKind): Promise<number | 'WRONG_PHASE'> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.queue,
          Key: keys.queueCounter(eventId, epoch),
          UpdateExpression: 'ADD seq :n',
          // Tickets only until the draw, places only after it: the same item decides, so none lands on the wrong side.
          ConditionExpression: kind === 'lottery' ? 'attribute_not_exists(drawnAt)' : 'attribute_exists(drawnAt)',
          ExpressionAttributeValues: { ':n': count },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.seq);
    } catch (error) {
      if (isConditionFailure(error)) return 'WRONG_PHASE';
      throw error;
    }
  }

  async draw(eventId: string, epoch: number, at: EpochMs): Promise<Draw> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tables.queue,
        Key: keys.queueCounter(eventId, epoch),
        // if_not_exists keeps the first draw: a repeat (another instance, a retry) changes nothing.
        UpdateExpression: 'SET drawnAt = if_not_exists(drawnAt, :at), drawSize = if_not_exists(drawSize, seq)',
        ConditionExpression: 'attribute_exists(seq)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toQueueCounter(Attributes ?? {}).draw!;
  }

  async getEntry(eventId: string, userId: string): Promise<QueueEntry | undefined> {
    if (this.entryReads) return this.entryReads.submit({ eventId, userId });
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.queue, Key: keys.queueEntry(eventId, userId), ConsistentRead: true }),
    );
    return Item ? toQueueEntry(Item) : undefined;
  }

  async putEntry(entry: QueueEntry, replacing?: QueueEntryRef): Promise<PutEntryResult> {
    if (!replacing && this.entryWrites) return this.entryWrites.submit(entry);
    return this.putOne(entry, replacing);
  }

  private async putOne(entry: QueueEntry, replacing?: QueueEntryRef): Promise<PutEntryResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tables.queue,
          Item: entryItem(entry),
          ...(replacing
            ? {
                ConditionExpression: 'epoch = :e AND #number = :n',
                ExpressionAttributeNames: { '#number': 'number' },
                ExpressionAttributeValues: { ':e': replacing.epoch, ':n': replacing.number },
              }
            : { ConditionExpression: NEW_ENTRY }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as ConditionalCheckFailedException).Item;
      return { written: false, existing: old ? toQueueEntry(unmarshall(old)) : undefined };
    }
  }

  /**
   * A batch of new entries as one TransactWriteItems of conditional puts (a lone one as a plain conditional put). A
   * cancelled transaction names, per item, why: an account that already has an entry gets it back (ALL_OLD, no
   * read); the others were not written and go again in the next round. After `TRANSACTION_ROUNDS` cancelled rounds,
   * or when the call fails as a whole (after the SDK's own retries), each remaining entry is written on its own, so
   * every join is answered by its own outcome or error and none is lost. The condition is per item, so one place per
   * account holds whatever else runs concurrently.
   */
  private async writeEntries(items: readonly BatchItem<QueueEntry, PutEntryResult>[]): Promise<void> {
    let waiting = items;
    for (let round = 1; waiting.length > 1 && round <= TRANSACTION_ROUNDS; round++) {
      if (round > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** round));
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: waiting.map(({ input }) => ({
              Put: {
                TableName: this.tables.queue,
                Item: entryItem(input),
                ConditionExpression: NEW_ENTRY,
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            })),
          }),
        );
        for (const item of waiting) item.resolve({ written: true });
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) break;
        const reasons = error.CancellationReasons ?? [];
        waiting = waiting.filter((item, i) => {
          const reason = reasons[i];
          if (reason?.Code !== 'ConditionalCheckFailed') return true;
          item.resolve({ written: false, existing: reason.Item ? toQueueEntry(unmarshall(reason.Item)) : undefined });
          return false;
        });
      }
    }
    await Promise.all(
      waiting.map((item) => this.putOne(item.input).then((result) => item.resolve(result), item.reject)),
    );
  }

  /**
   * Two conditional writes, deliberately not one transaction: the state item takes every claim of the event, and
   * concurrent transactions on one item cancel each other, while plain conditional updates simply serialise. The
   * budget is counted first, so a failure between the two can only under-admit by one, never overshoot.
   */
  async claim(command: ClaimCommand): Promise<ClaimOutcome> {
    const { entry } = command;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.queue,
          Key: keys.queueState(entry.eventId),
          // `claimFits` (queue/release.ts): budget left, and the claim's own admission minute below the rate.
          UpdateExpression:
            'ADD claimed :one SET #b.#k.claims = #b.#k.claims + :one, #mc.#m = if_not_exists(#mc.#m, :zero) + :one',
          ConditionExpression:
            'claimed < allowed AND (attribute_not_exists(#mc.#m) OR #mc.#m < :perMinute) AND #control = :active ' +
            'AND epoch = :epoch AND writerRegion = :region AND serving >= :pos AND #b.#k.expiresAt > :now',
          ExpressionAttributeNames: {
            '#control': NAMES['#control'],
            '#b': NAMES['#b'],
            '#k': String(command.bucketAt),
            '#mc': NAMES['#mc'],
            '#m': String(command.minute),
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':zero': 0,
            ':perMinute': command.perMinute,
            ':active': 'ACTIVE',
            ':epoch': command.epoch,
            ':region': command.region,
            ':pos': command.position,
            ':now': command.now,
          },
          // A refusal brings the state back with it: telling why costs no second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as ConditionalCheckFailedException).Item;
      return whyNotCounted(command, old ? toQueueState(unmarshall(old)) : undefined);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.queue,
          Key: keys.queueEntry(entry.eventId, entry.userId),
          UpdateExpression:
            'SET #state = :admitted, tokenId = :tid, admittedAt = :now, admissionExpiresAt = :exp, ' +
            'holdsUsed = :zero, admissionPosition = :pos, admissionEpoch = :epoch',
          ConditionExpression: '#state = :waiting AND epoch = :e AND #number = :n',
          ExpressionAttributeNames: { '#state': NAMES['#state'], '#number': NAMES['#number'] },
          ExpressionAttributeValues: {
            ':admitted': 'ADMITTED',
            ':waiting': 'WAITING',
            ':tid': command.tokenId,
            ':now': command.now,
            ':exp': command.expiresAt,
            ':zero': 0,
            ':pos': command.position,
            ':epoch': command.epoch,
            ':e': entry.epoch,
            ':n': entry.number,
          },
        }),
      );
      return 'ADMITTED';
    } catch (error) {
      if (isConditionFailure(error)) return 'CHANGED';
      throw error;
    }
  }

  async applyTick(eventId: string, plan: TickPlan, expected: TickExpectation): Promise<boolean> {
    const names: Record<string, string> = {};
    // DynamoDB refuses unused placeholders: #b only when a bucket is touched.
    if (plan.bucket || plan.dropped.length > 0) names['#b'] = NAMES['#b'];
    const values: Record<string, unknown> = {
      ':serving': plan.serving,
      ':allowed': plan.allowed,
      ':carry': plan.allowedCarry,
      ':issued': plan.issued,
      ':expiredReleased': plan.expiredReleased,
      ':expiredClaims': plan.expiredClaims,
      ':history': plan.history,
      ':tickAt': plan.tickAt,
      ':prevTick': expected.tickAt,
      ':epoch': expected.epoch,
      ':region': expected.writerRegion,
    };
    const sets = [
      'serving = :serving',
      'allowed = :allowed',
      'allowedCarry = :carry',
      'issued = :issued',
      'expiredReleased = :expiredReleased',
      'expiredClaims = :expiredClaims',
      'history = :history',
      'tickAt = :tickAt',
    ];
    if (plan.draw) {
      sets.push('#draw = if_not_exists(#draw, :draw)');
      names['#draw'] = 'draw';
      values[':draw'] = plan.draw;
    }
    if (plan.bucket) {
      names['#nb'] = String(plan.bucket.value.at);
      if (plan.bucket.kind === 'new') {
        sets.push('#b.#nb = :bucket');
        values[':bucket'] = plan.bucket.value;
      } else {
        // Only `to` moves: the bucket's claims belong to the claimers' atomic updates and are never rewritten.
        sets.push('#b.#nb.#to = :to');
        names['#to'] = 'to';
        values[':to'] = plan.bucket.value.to;
      }
    }
    const removes = plan.dropped.map((bucket, i) => {
      names[`#d${i}`] = String(bucket.at);
      return `#b.#d${i}`;
    });
    if (plan.prunedMinutes.length > 0) {
      names['#mc'] = NAMES['#mc'];
      plan.prunedMinutes.forEach((minute, i) => {
        names[`#pm${i}`] = minute;
        removes.push(`#mc.#pm${i}`);
      });
    } else {
      // A state stored before minutes were counted per claim gets its (empty) map: a claim counts into it.
      names['#mc'] = NAMES['#mc'];
      sets.push('#mc = if_not_exists(#mc, :noMinutes)');
      values[':noMinutes'] = {};
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.queue,
          Key: keys.queueState(eventId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'tickAt = :prevTick AND epoch = :epoch AND writerRegion = :region',
          ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async takeover(next: QueueState, replaced: { epoch: number; writerRegion: string }): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.queue,
                Item: { ...keys.queueState(next.eventId), ...fromQueueState(next) },
                ConditionExpression: 'epoch = :epoch AND writerRegion = :region',
                ExpressionAttributeValues: { ':epoch': replaced.epoch, ':region': replaced.writerRegion },
              },
            },
            {
              Put: {
                TableName: this.tables.queue,
                Item: {
                  ...keys.queueCounter(next.eventId, next.epoch),
                  seq: next.epochBase,
                  ...(next.draw ? { drawnAt: next.draw.at, drawSize: next.draw.size } : {}),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async setControl(eventId: string, control: QueueControl, at: EpochMs): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tables.queue,
          Key: keys.queueState(eventId),
          UpdateExpression: 'SET #control = :control, controlChangedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#control': NAMES['#control'] },
          ExpressionAttributeValues: { ':control': control, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function entryItem(entry: QueueEntry): Record<string, unknown> {
  return {
    ...keys.queueEntry(entry.eventId, entry.userId),
    eventId: entry.eventId,
    userId: entry.userId,
    epoch: entry.epoch,
    number: entry.number,
    lottery: entry.lottery,
    joinedAt: entry.joinedAt,
    state: entry.state,
    ttl: ttlSeconds(entry.joinedAt + ENTRY_RETENTION_MS),
  };
}

/** Which of the claim's conditions refused it, from the state item the refused write returned. */
function whyNotCounted(command: ClaimCommand, state: QueueState | undefined): ClaimOutcome {
  if (!state || state.control !== 'ACTIVE' || state.writerRegion !== command.region) return 'NOT_ADMITTING';
  if (state.epoch !== command.epoch || state.serving < command.position) return 'NOT_RELEASED';
  const bucket = state.buckets.find((b) => b.at === command.bucketAt);
  if (!bucket || bucket.expiresAt <= command.now) return 'TURN_EXPIRED';
  // The budget is used up, or the claim's admission minute holds the rate already.
  return 'NO_BUDGET';
}
