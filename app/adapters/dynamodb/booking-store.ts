import { TransactionCanceledException, type AttributeValue, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { summaryOf } from '../../booking/holds.js';
import type { AuditEntry, Cancellation, Hold, HoldSummary, PricedSeat, Reservation } from '../../booking/model.js';
import {
  AdmissionRefused,
  LiveHoldFound,
  NO_LIVE_HOLD,
  SeatConflict,
  WriteRaced,
  type BookingStore,
  type CatalogReader,
  type ConfirmHoldCommand,
  type CreateHoldCommand,
  type Page,
} from '../../booking/ports.js';
import type { SeatRecord } from '../../booking/seat-state.js';
import { pricedSeatOf, storedSeatOf } from '../../booking/stored-seats.js';
import type { EpochMs } from '../../shared/time.js';
import { payableCondition, takeableCondition } from './conditions.js';
import { admissionConfirmWireItem, admissionHoldWireItem } from './queue-conditions.js';
import { toWireTransactItem, type DocumentTransactItem as TransactItem } from './attribute-values.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  toConfirmation,
  toHoldSummary,
  toSeatRecord,
  toStoredHold,
  toStoredReservation,
  type Stored,
} from './items.js';
import { bookingsItemsOf, holdIndexKeysWhile } from './index-items.js';
import { holdCreatedRecord, reservationConfirmedRecord, ridesOn, trailOf } from './audit-records.js';
import { queryAll } from './paginate.js';
import { keys, sortableInstant, ttlSeconds } from './keys.js';
import { TABLES, type TableNames } from './tables.js';
import { refusedOrRaced } from './transactions.js';
import { sendWireTransaction } from './wire-transactions.js';

/** Seat items outlive their hold's expiry by a day before TTL collects them: longer than any DR grace window. */
const SEAT_ITEM_RETENTION_MS = 24 * 60 * 60 * 1000;
const STATUS = { '#status': 'status' };

export class DynamoBookingStore implements BookingStore {
  /**
   * `catalog` names the grades of the seats read back (items store grade codes, not names); give it the cached
   * catalog, so that reading a hold or reservation costs no catalog read on the common path.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly catalog: Pick<CatalogReader, 'getPerformance'>,
  ) {}

  async seatRecords(scheduleId: string): Promise<readonly SeatRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.bookings,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seat)',
      ExpressionAttributeValues: { ':pk': keys.seatPartition(scheduleId), ':seat': keys.seatSortPrefix },
    });
    return items.map(toSeatRecord);
  }

  async getHold(holdId: string): Promise<Hold | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.bookings, Key: keys.hold(holdId), ConsistentRead: true }),
    );
    return Item ? this.labelledHold(toStoredHold(Item)) : undefined;
  }

  async activeHoldOf(userId: string): Promise<HoldSummary | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.bookings, Key: keys.activeHold(userId), ConsistentRead: true }),
    );
    return Item && this.summaryOfPointer(Item);
  }

  async createHold({
    hold,
    replacing,
    pointer,
    paidHoldId,
    protection,
    now,
    audit,
    admission,
  }: CreateHoldCommand): Promise<void> {
    const newSeatIds = new Set(hold.seats.map((s) => s.seatId));
    const replacingHere = replacing?.scheduleId === hold.scheduleId ? replacing.holdId : undefined;
    const takeable = takeableCondition(now, protection, replacingHere);
    const seatPuts: TransactItem[] = hold.seats.map((seat) => ({
      Put: {
        TableName: this.tables.bookings,
        Item: {
          ...keys.seat(hold.scheduleId, seat.seatId),
          seatId: seat.seatId,
          status: 'HOLDING',
          holdId: hold.holdId,
          userId: hold.userId,
          region: hold.region,
          createdAt: hold.createdAt,
          expiresAt: hold.expiresAt,
          ttl: ttlSeconds(hold.expiresAt + SEAT_ITEM_RETENTION_MS),
        },
        ConditionExpression: takeable.expression,
        ExpressionAttributeNames: takeable.names,
        ExpressionAttributeValues: takeable.values,
      },
    }));
    const others: TransactItem[] = [
      {
        Put: {
          TableName: this.tables.bookings,
          Item: this.holdItem(hold),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // The pointer moves only from what was read, or (not read) from no live hold, so one user's concurrent holds
      // serialise; it carries the new hold's summary, so the next hold knows what to replace from this one item.
      this.pointerPut(hold, pointer, now, protection, paidHoldId),
    ];
    if (replacing) {
      // Conditional on the status the summary gave: if the hold moved meanwhile, the whole write is refused and retried.
      others.push(this.endHold(replacing, 'RELEASED', now));
      for (const seatId of replacing.seatIds) {
        if (replacing.scheduleId === hold.scheduleId && newSeatIds.has(seatId)) continue; // re-held in place
        others.push({
          Delete: {
            TableName: this.tables.bookings,
            Key: keys.seat(replacing.scheduleId, seatId),
            ConditionExpression: 'holdId = :h AND #status IN (:holding, :recovered)',
            ExpressionAttributeNames: STATUS,
            ExpressionAttributeValues: { ':h': replacing.holdId, ':holding': 'HOLDING', ':recovered': 'DR_RECOVERED' },
          },
        });
      }
    }
    // The hold's creation record is the hold item itself (`audit-records.ts`); any other entry gets an audit item.
    const created = holdCreatedRecord(hold);
    others.push(...audit.filter((entry) => !ridesOn(entry, created)).map((entry) => this.auditPut(entry)));
    // The waiting room's gate rides in the same transaction, right after the seats: no seat is written unless the
    // admission allows it, and the hold is counted against the admission's cap as it is written.
    const gate: TransactWriteItem[] = admission
      ? [admissionHoldWireItem(this.tables.queue, { ...admission, now })]
      : [];

    try {
      await this.transactWire([...seatPuts.map(toWireTransactItem), ...gate, ...others.map(toWireTransactItem)]);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (gate.length > 0 && reasons[seatPuts.length]?.Code === 'ConditionalCheckFailed') throw new AdmissionRefused();
      // Before the seats: a seat may be refused only because this user's own live hold has it (re-held in place).
      const pointerRefusal = reasons[seatPuts.length + gate.length + 1];
      if (pointer === NO_LIVE_HOLD && pointerRefusal?.Code === 'ConditionalCheckFailed') {
        throw new LiveHoldFound(await this.pointerOfRefusal(pointerRefusal.Item, hold.userId));
      }
      const takenSeats = hold.seats
        .filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed')
        .map((s) => s.seatId);
      if (takenSeats.length > 0) throw new SeatConflict(takenSeats);
      // Lost a race (transaction conflict on a contested seat, this user's pointer moved, or the replaced hold changed):
      // re-read and retry.
      throw new WriteRaced(reasons.map((r) => r?.Code ?? 'None').join(','));
    }
  }

  async releaseHold(hold: Hold, at: EpochMs, audit: AuditEntry): Promise<boolean> {
    const ended = [this.endHold(hold, 'RELEASED', at), this.auditPut(audit)];
    if (!(await this.transactWithPointer(ended, this.pointerDelete(hold)))) return false;
    // Each seat goes only if it still carries this hold and is not paid: a release can never free a sold seat,
    // nor one that someone else took after this hold expired.
    await Promise.all(
      hold.seats.map((seat) =>
        this.db
          .send(
            new DeleteCommand({
              TableName: this.tables.bookings,
              Key: keys.seat(hold.scheduleId, seat.seatId),
              ConditionExpression: 'holdId = :h AND #status IN (:holding, :recovered)',
              ExpressionAttributeNames: STATUS,
              ExpressionAttributeValues: { ':h': hold.holdId, ':holding': 'HOLDING', ':recovered': 'DR_RECOVERED' },
            }),
          )
          .catch((error: unknown) => {
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }),
      ),
    );
    return true;
  }

  async confirmHold({ hold, reservation, protection, now, audit, admission }: ConfirmHoldCommand): Promise<boolean> {
    const payable = payableCondition(hold.holdId, hold.userId, now, protection);
    const seatUpdates: TransactItem[] = hold.seats.map((seat) => ({
      Update: {
        TableName: this.tables.bookings,
        Key: keys.seat(hold.scheduleId, seat.seatId),
        UpdateExpression: 'SET #status = :sold, reservationId = :r REMOVE #ttl',
        ConditionExpression: payable.expression,
        ExpressionAttributeNames: { ...payable.names, '#ttl': 'ttl' },
        ExpressionAttributeValues: { ...payable.values, ':sold': reservation.status, ':r': reservation.reservationId },
      },
    }));
    // Paying closes the admission in the same transaction (first item, so a refusal of it is told apart).
    const gate: TransactWriteItem[] = admission
      ? [admissionConfirmWireItem(this.tables.queue, { ...admission, now })]
      : [];
    const items: TransactItem[] = [
      ...seatUpdates,
      {
        Update: {
          TableName: this.tables.bookings,
          Key: keys.hold(hold.holdId),
          // On the status it was read in (the caller retries when DR recovery changed it meanwhile), so the audit
          // record names the status it really had, and the update removes only the index keys of that status.
          UpdateExpression: `SET #status = :confirmed, reservationId = :r REMOVE ${holdIndexKeysWhile(hold.status)}`,
          ConditionExpression: 'userId = :u AND #status = :from',
          ExpressionAttributeNames: STATUS,
          ExpressionAttributeValues: {
            ':confirmed': 'CONFIRMED',
            ':r': reservation.reservationId,
            ':u': hold.userId,
            ':from': hold.status,
          },
        },
      },
    ];
    // The confirmation's audit record rides on the reservation item (`audit-records.ts`) when it is the one that item
    // carries: this reservation, from the status the hold was paid in (the hold update's condition), to its status.
    const confirmation = { ...reservation, confirmedFrom: hold.status, confirmedTo: reservation.status };
    const rides = ridesOn(audit, reservationConfirmedRecord(confirmation));
    items.push({
      Put: {
        TableName: this.tables.bookings,
        Item: rides
          ? { ...this.reservationItem(reservation), confirmedFrom: hold.status, confirmedTo: reservation.status }
          : this.reservationItem(reservation),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    if (!rides) items.push(this.auditPut(audit));
    // The pointer is left naming the paid hold (its copy still says HOLDING): one item less per pair. A paid hold can
    // never be live again, so the next hold overwrites it — at once on this instance (`paidHoldId`), after the
    // refused first try and a re-read elsewhere, and by the expired-hold rule once the hold's expiry has passed.
    return this.transactOrRefuse([...gate, ...items.map(toWireTransactItem)], gate.length > 0 ? 0 : undefined);
  }

  async auditTrail(entityId: string): Promise<readonly AuditEntry[]> {
    const [entries, hold, reservation] = await Promise.all([
      queryAll(this.db, {
        TableName: this.tables.audit,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(entityId) },
        ConsistentRead: true,
      }),
      this.db.send(new GetCommand({ TableName: this.tables.bookings, Key: keys.hold(entityId), ConsistentRead: true })),
      this.db.send(
        new GetCommand({ TableName: this.tables.bookings, Key: keys.reservation(entityId), ConsistentRead: true }),
      ),
    ]);
    const tableEntries = entries.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
    const held = hold.Item && toStoredHold(hold.Item);
    const booked = reservation.Item && toConfirmation(reservation.Item);
    return trailOf(
      tableEntries,
      held ? holdCreatedRecord(held) : booked ? reservationConfirmedRecord(booked) : undefined,
    );
  }

  async getReservation(reservationId: string): Promise<Reservation | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.bookings, Key: keys.reservation(reservationId), ConsistentRead: true }),
    );
    return Item ? this.labelledReservation(toStoredReservation(Item)) : undefined;
  }

  async listReservations(userId: string, limit: number, cursor?: string): Promise<Page<Reservation>> {
    const partition = keys.reservationsOf(userId);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tables.bookings,
        IndexName: 'byUser',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor
          ? decodeCursor(cursor, { table: TABLES.bookings, index: 'byUser', partition })
          : undefined,
      }),
    );
    const items = await bookingsItemsOf(this.db, this.tables.bookings, 'byUser', page.Items ?? []);
    return {
      items: await Promise.all(items.map((item) => this.labelledReservation(toStoredReservation(item)))),
      nextCursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : undefined,
    };
  }

  async listRecoveredHolds(userId: string): Promise<readonly Hold[]> {
    const entries = await queryAll(this.db, {
      TableName: this.tables.bookings,
      IndexName: 'byUser',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.recoveredHoldsOf(userId) },
      ScanIndexForward: false,
    });
    // Read back (KEYS_ONLY) consistently, a hold paid since the index was updated no longer carries the index key.
    const items = await bookingsItemsOf(this.db, this.tables.bookings, 'byUser', entries);
    return Promise.all(
      items
        .filter((item) => item.gsi1pk === keys.recoveredHoldsOf(userId))
        .map((i) => this.labelledHold(toStoredHold(i))),
    );
  }

  async cancelReservation(reservation: Reservation, cancellation: Cancellation, audit: AuditEntry): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.bookings,
          Key: keys.reservation(reservation.reservationId),
          UpdateExpression: 'SET #status = :cancelled, cancellation = :c',
          ConditionExpression: 'userId = :u AND #status IN (:confirmed, :drReserved)',
          ExpressionAttributeNames: STATUS,
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':c': cancellation,
            ':u': reservation.userId,
            ':confirmed': 'CONFIRMED',
            ':drReserved': 'DR_RESERVED',
          },
        },
      },
      // Seats are freed in the same transaction, so another user can hold them the moment this returns.
      ...reservation.seats.map((seat): TransactItem => ({
        Delete: {
          TableName: this.tables.bookings,
          Key: keys.seat(reservation.scheduleId, seat.seatId),
          ConditionExpression: 'attribute_not_exists(pk) OR reservationId = :r',
          ExpressionAttributeValues: { ':r': reservation.reservationId },
        },
      })),
      this.auditPut(audit),
    ];
    return this.transactOrRefuse(items.map(toWireTransactItem));
  }

  async holdsExpiringAfter(since: EpochMs): Promise<readonly Hold[]> {
    const shards = await Promise.all(
      keys.allLiveHoldShards().map((shard) =>
        queryAll(this.db, {
          TableName: this.tables.bookings,
          IndexName: 'liveHolds',
          KeyConditionExpression: 'gsi2pk = :shard AND gsi2sk > :since',
          ExpressionAttributeValues: { ':shard': shard, ':since': sortableInstant(since) },
        }),
      ),
    );
    // The caller re-checks each hold's status (and recovery is conditional on it), so what was read is only a list.
    const items = await bookingsItemsOf(this.db, this.tables.bookings, 'liveHolds', shards.flat());
    return Promise.all(items.map((item) => this.labelledHold(toStoredHold(item))));
  }

  async recoverHold(hold: Hold, graceUntil: EpochMs, audit: AuditEntry): Promise<boolean> {
    const ttl = ttlSeconds(graceUntil + SEAT_ITEM_RETENTION_MS);
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.bookings,
          Key: keys.hold(hold.holdId),
          UpdateExpression:
            'SET #status = :recovered, graceUntil = :grace, gsi1pk = :owner, gsi1sk = :created REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :holding',
          ExpressionAttributeNames: STATUS,
          ExpressionAttributeValues: {
            ':recovered': 'DR_RECOVERED',
            ':holding': 'HOLDING',
            ':grace': graceUntil,
            ':owner': keys.recoveredHoldsOf(hold.userId),
            ':created': sortableInstant(hold.createdAt),
          },
        },
      },
      ...hold.seats.map((seat): TransactItem => ({
        Update: {
          TableName: this.tables.bookings,
          Key: keys.seat(hold.scheduleId, seat.seatId),
          UpdateExpression: 'SET #status = :recovered, graceUntil = :grace, #ttl = :ttl',
          ConditionExpression: 'holdId = :h AND #status = :holding',
          ExpressionAttributeNames: { ...STATUS, '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':recovered': 'DR_RECOVERED',
            ':holding': 'HOLDING',
            ':grace': graceUntil,
            ':ttl': ttl,
            ':h': hold.holdId,
          },
        },
      })),
      this.auditPut(audit),
    ];
    const pointerUpdate: TransactItem = {
      Update: {
        TableName: this.tables.bookings,
        Key: keys.activeHold(hold.userId),
        UpdateExpression: 'SET #status = :recovered, graceUntil = :grace, #ttl = :ttl',
        ConditionExpression: 'holdId = :h',
        ExpressionAttributeNames: { ...STATUS, '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':recovered': 'DR_RECOVERED',
          ':grace': graceUntil,
          ':ttl': ttl,
          ':h': hold.holdId,
        },
      },
    };
    return this.transactWithPointer(items, pointerUpdate);
  }

  /**
   * Writes `items` together with `pointerChange`, a change to the owner's active-hold pointer that applies only while
   * the pointer names this hold (it is last, so a refusal of any other item is reported first). When only the pointer
   * refused — it names a newer hold, whose summary this change must not touch — the items are written without it.
   */
  private async transactWithPointer(
    items: TransactItem[],
    pointerChange: TransactItem,
    admissionAt?: number,
  ): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items, pointerChange] }));
      return true;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      throwIfAdmissionRefused(reasons, admissionAt);
      const refused = reasons.flatMap((r, i) => (r?.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (refused.length === 1 && refused[0] === items.length) {
        return this.transactOrRefuse(items.map(toWireTransactItem), admissionAt);
      }
      refusedOrRaced(error);
      return false;
    }
  }

  /**
   * True when written; false when a condition refused it; WriteRaced when it only collided with another writer;
   * AdmissionRefused when the waiting room's admission item (at `admissionAt`) refused it.
   */
  private async transactOrRefuse(items: TransactWriteItem[], admissionAt?: number): Promise<boolean> {
    try {
      await this.transactWire(items);
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throwIfAdmissionRefused(error.CancellationReasons ?? [], admissionAt);
      refusedOrRaced(error);
      return false;
    }
  }

  /**
   * A transaction already in wire form (`toWireTransactItem`), sent as the low-level command through the same client
   * (same middleware, so call tracing sees it) with its middleware stack resolved once (`sendWireTransaction`): the
   * document client's generic marshalling walk and its per-send stack resolutions are skipped on the hold and confirm
   * path.
   */
  private async transactWire(items: TransactWriteItem[]): Promise<void> {
    await sendWireTransaction(this.db, items);
  }

  private endHold(hold: Pick<Hold, 'holdId' | 'userId' | 'status'>, status: 'RELEASED', at: EpochMs): TransactItem {
    return {
      Update: {
        TableName: this.tables.bookings,
        Key: keys.hold(hold.holdId),
        UpdateExpression: `SET #status = :to, releasedAt = :at REMOVE ${holdIndexKeysWhile(hold.status)}`,
        ConditionExpression: 'userId = :u AND #status = :from',
        ExpressionAttributeNames: STATUS,
        ExpressionAttributeValues: { ':to': status, ':at': at, ':u': hold.userId, ':from': hold.status },
      },
    };
  }

  /**
   * The new hold's pointer. Not read first (`NO_LIVE_HOLD`): written over an absent pointer or one naming a hold that
   * the seat rule says may be taken over (the pointer carries the same status and time attributes as a seat item), and
   * a refusal returns the pointer as it is, so the replace step needs no read.
   */
  private pointerPut(
    hold: Hold,
    pointer: CreateHoldCommand['pointer'],
    now: EpochMs,
    protection: CreateHoldCommand['protection'],
    paidHoldId: string | undefined,
  ): TransactItem {
    const Item = this.pointerItem(summaryOf(hold));
    if (pointer === NO_LIVE_HOLD) {
      const noLiveHold = takeableCondition(now, protection);
      return {
        Put: {
          TableName: this.tables.bookings,
          Item,
          // A pointer still naming a hold known to be paid names no live hold: confirm leaves the pointer in place.
          ConditionExpression: paidHoldId ? `${noLiveHold.expression} OR holdId = :paid` : noLiveHold.expression,
          ExpressionAttributeNames: noLiveHold.names,
          ExpressionAttributeValues: paidHoldId ? { ...noLiveHold.values, ':paid': paidHoldId } : noLiveHold.values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
    }
    return {
      Put: {
        TableName: this.tables.bookings,
        Item,
        ConditionExpression: pointer.was ? 'holdId = :was' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: pointer.was ? { ':was': pointer.was } : undefined,
      },
    };
  }

  /** The pointer a refused NO_LIVE_HOLD write saw (returned with the refusal; read only if an emulator omits it). */
  private async pointerOfRefusal(
    item: Record<string, AttributeValue> | undefined,
    userId: string,
  ): Promise<HoldSummary | undefined> {
    return item ? this.summaryOfPointer(unmarshall(item)) : this.activeHoldOf(userId);
  }

  private async summaryOfPointer(item: Record<string, unknown>): Promise<HoldSummary | undefined> {
    const summary = toHoldSummary(item);
    if (summary) return summary;
    // A pointer written before pointers carried their hold's summary: read the hold it names.
    const hold = typeof item.holdId === 'string' ? await this.getHold(item.holdId) : undefined;
    return hold && summaryOf(hold);
  }

  /** The user's active-hold pointer, carrying its hold's summary (kept until a day after the hold could last). */
  private pointerItem(summary: HoldSummary): Record<string, unknown> {
    const lastsUntil = Math.max(summary.expiresAt, summary.graceUntil ?? 0);
    return {
      ...keys.activeHold(summary.userId),
      ...summary,
      ttl: ttlSeconds(lastsUntil + SEAT_ITEM_RETENTION_MS),
    };
  }

  /** Released: the pointer goes (if it still names this hold), so the next hold has nothing to replace. */
  private pointerDelete(hold: Hold): TransactItem {
    return {
      Delete: {
        TableName: this.tables.bookings,
        Key: keys.activeHold(hold.userId),
        ConditionExpression: 'holdId = :h',
        ExpressionAttributeValues: { ':h': hold.holdId },
      },
    };
  }

  /** A hold as readers see it (`labelledSeats`). */
  private async labelledHold(stored: Stored<Hold>): Promise<Hold> {
    return { ...stored, seats: await this.labelledSeats(stored) };
  }

  private async labelledReservation(stored: Stored<Reservation>): Promise<Reservation> {
    return { ...stored, seats: await this.labelledSeats(stored) };
  }

  /**
   * The seats with what items no longer store filled in: labels from the seat ids, grade names from the performance's
   * grades (one cached catalog read). An older item's stored label and grade name are kept as they are.
   */
  private async labelledSeats({ performanceId, seats }: Stored<Hold> | Stored<Reservation>): Promise<PricedSeat[]> {
    const complete = seats.every((seat) => seat.label && seat.gradeName);
    const performance = complete ? undefined : await this.catalog.getPerformance(performanceId);
    return seats.map((seat) => pricedSeatOf(seat, performance?.grades));
  }

  // Hold and reservation items store their seats without label and grade name (derived on read, `labelledSeats`): they
  // were ≈ 40 % of a hold item's attribute values, copied again into the index, and a transaction's every stored value
  // costs DynamoDB Local CPU (and DynamoDB write units, counted per KB).
  private holdItem(hold: Hold): Record<string, unknown> {
    return {
      ...keys.hold(hold.holdId),
      ...hold,
      seats: hold.seats.map(storedSeatOf),
      gsi2pk: keys.liveHoldShard(hold.holdId),
      gsi2sk: sortableInstant(hold.expiresAt),
      // No TTL: the hold item is its creation's audit record (`audit-records.ts`), kept as the audit table's items are.
    };
  }

  private reservationItem(reservation: Reservation): Record<string, unknown> {
    return {
      ...keys.reservation(reservation.reservationId),
      ...reservation,
      seats: reservation.seats.map(storedSeatOf),
      gsi1pk: keys.reservationsOf(reservation.userId),
      gsi1sk: `${sortableInstant(reservation.bookedAt)}#${reservation.reservationId}`,
    };
  }

  private auditPut(entry: AuditEntry): TransactItem {
    return {
      Put: {
        TableName: this.tables.audit,
        Item: {
          pk: keys.auditPartition(entry.entityId),
          sk: `${sortableInstant(entry.at)}#${entry.action}#${Math.random().toString(36).slice(2, 8)}`,
          ...entry,
        },
      },
    };
  }
}

function throwIfAdmissionRefused(reasons: readonly ({ Code?: string } | undefined)[], at: number | undefined): void {
  if (at !== undefined && reasons[at]?.Code === 'ConditionalCheckFailed') throw new AdmissionRefused();
}
