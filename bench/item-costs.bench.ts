/**
 * DynamoDB Local's CPU per transaction shape (docs/benchmarks.md, "JVM CPU per transaction shape"). bench:holds shows
 * that the emulator's JVM is the bottleneck and that the API pair costs it about twice the raw floor's CPU; this
 * breaks that down: the app's hold and confirm transactions as `DynamoBookingStore` sends them, each also without one
 * of its items (pointer, audit entry, hold item, …), next to the floor's transactions and the single reads the API can
 * make. The shapes run in rounds, alternating, so load on the shared machine lands on all of them alike.
 *
 *   npx tsx bench/item-costs.bench.ts [--ops 200] [--rounds 8] [--clients 8]
 */
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { itemsNamedBy } from '../app/adapters/dynamodb/index-items.js';
import { randomUUID } from 'node:crypto';
import { DynamoBookingStore } from '../app/adapters/dynamodb/booking-store.js';
import { createDocumentClient, createDynamoClient } from '../app/adapters/dynamodb/client.js';
import { createTableInput, ensureTables } from '../app/adapters/dynamodb/create-tables.js';
import { keys, ttlSeconds } from '../app/adapters/dynamodb/keys.js';
import { TABLES, tableNamesFor, type TableDefinition, type TableNames } from '../app/adapters/dynamodb/tables.js';
import { parseSeatId, seatLabel } from '../app/catalog/seats.js';
import { startDynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import type { AuditEntry, Hold, PricedSeat, Reservation } from '../app/booking/model.js';
import { NO_LIVE_HOLD } from '../app/booking/ports.js';
import { processCpuMs } from './lib/cpu.js';
import { run } from './lib/run.js';
import { median, putBenchSession, shapeBenchArgs } from './lib/shape-bench.js';

const HOLD_MS = 600_000;
const R_NAME = { ko: 'R석', en: 'R seat' };
const REGION = 'ap-northeast-2';

/** Which items of the app's transactions a shape leaves out (matched on the item as the store builds it). */
type Drop = (
  item: Record<string, { TableName?: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> }>,
) => boolean;
const kind = (item: Parameters<Drop>[0]) => Object.values(item)[0]!;
const skOf = (item: Parameters<Drop>[0]) => String((kind(item).Key ?? kind(item).Item)?.sk ?? '');
const isAudit: Drop = (item) => kind(item).TableName?.includes('audit') ?? false;
const isPointer: Drop = (item) => skOf(item) === 'ACTIVE_HOLD';
const isHoldItem: Drop = (item) => skOf(item) === 'HOLD';
const isReservation: Drop = (item) => skOf(item) === 'RES';
const notSeat: Drop = (item) => !skOf(item).startsWith('SEAT#');

interface Shape {
  readonly name: string;
  /** Work done before the measured op (unmeasured), e.g. the hold a confirm pays. */
  prepare?(): Promise<unknown>;
  /** Items of the app's transaction left out during the measured op. */
  readonly drop?: Drop;
  /** Or a change to each item during the measured op (a lighter variant of it). */
  readonly change?: (item: Parameters<Drop>[0]) => Parameters<Drop>[0];
  op(prepared: unknown): Promise<void>;
}

let slotCounter = 0;
let seatCounter = 0;
let slot = '';
/** 2 or 3 seats (2.5 on average, as in bench:holds), never contested: a fresh slot every 100 seats. */
function nextSeats(): { scheduleId: string; seats: PricedSeat[] } {
  const n = seatCounter % 2 === 0 ? 2 : 3;
  if (seatCounter % 100 < n || !slot) slot = `itemcost-${process.pid}-${++slotCounter}`;
  const seats = Array.from({ length: n }, () => {
    const i = seatCounter++ % 100;
    const row = Math.floor(i / 12) + 1;
    const num = (i % 12) + 1;
    return {
      seatId: `1F-A-${row}-${num}`,
      label: { ko: `1층 A구역 ${row}열 ${num}번`, en: `Floor 1, Section A, Row ${row}, Seat ${num}` },
      grade: 'R',
      gradeName: R_NAME,
      price: 140_000,
    };
  });
  return { scheduleId: slot, seats };
}

function newHold(): Hold {
  const now = Date.now();
  const { scheduleId, seats } = nextSeats();
  return {
    holdId: randomUUID(),
    userId: randomUUID(),
    scheduleId,
    performanceId: 'perf-moonlight-garden',
    seats,
    createdAt: now,
    expiresAt: now + HOLD_MS,
    status: 'HOLDING',
    region: REGION,
  };
}

function audit(entityId: string, action: AuditEntry['action'], userId: string, details: Record<string, unknown>) {
  const entry: AuditEntry = {
    entityId,
    action,
    actorUserId: userId,
    at: Date.now(),
    region: REGION,
    from: action === 'HOLD_CREATED' ? undefined : 'HOLDING',
    to: action === 'HOLD_CREATED' ? 'HOLDING' : 'CONFIRMED',
    details,
  };
  return entry;
}

function reservationOf(hold: Hold): Reservation {
  const ticketTotal = hold.seats.reduce((s, seat) => s + seat.price, 0);
  return {
    reservationId: `R${hold.holdId.slice(0, 12)}`,
    holdId: hold.holdId,
    userId: hold.userId,
    scheduleId: hold.scheduleId,
    performanceId: hold.performanceId,
    showStartsAt: Date.now() + 86_400_000,
    seats: hold.seats,
    ticketTotal,
    bookingFee: 2000 * hold.seats.length,
    total: ticketTotal + 2000 * hold.seats.length,
    status: 'CONFIRMED',
    bookedAt: Date.now(),
    region: REGION,
    paymentReference: `demo-${hold.holdId}`,
  };
}

async function main(): Promise<number> {
  const { ops, rounds, clients, only } = shapeBenchArgs({ ops: 200, rounds: 8, clients: 8 });
  const local = await startDynamoLocal();
  try {
    const tables = tableNamesFor(`itemcost-${process.pid}`);
    const admin = createDynamoClient({ region: REGION, endpoint: local.endpoint });
    await ensureTables(admin, tables);
    // The same bookings table with every index projecting ALL (as before they projected keys only), for comparison.
    const allProjected = { ...tables, bookings: allProjectedTable(tables) };
    const allBookings: TableDefinition = {
      ...TABLES.bookings,
      globalSecondaryIndexes: TABLES.bookings.globalSecondaryIndexes.map((i) => ({ ...i, projection: 'ALL' })),
    };
    await admin.send(new CreateTableCommand(createTableInput(allProjected.bookings, allBookings)));
    await waitUntilTableExists({ client: admin, maxWaitTime: 60 }, { TableName: allProjected.bookings });
    const db = createDocumentClient({ region: REGION, endpoint: local.endpoint });
    let drop: Shape | undefined;
    db.middlewareStack.add(
      (next) => async (a) => {
        const input = a.input as { TransactItems?: Parameters<Drop>[0][] };
        if (drop?.drop && input.TransactItems) input.TransactItems = input.TransactItems.filter((i) => !drop!.drop!(i));
        if (drop?.change && input.TransactItems) input.TransactItems = input.TransactItems.map(drop.change);
        return next(a);
      },
      { step: 'initialize', name: 'item-cost-drop' },
    );
    // No catalog: nothing measured here reads a hold or reservation back through the store.
    const store = new DynamoBookingStore(db, tables, { getPerformance: () => Promise.resolve(undefined) });
    const allStore = new DynamoBookingStore(db, allProjected, { getPerformance: () => Promise.resolve(undefined) });
    const shapes = (await defineShapes(db, store, tables, allStore)).filter((s) => !only || only.test(s.name));
    const setDrop = (d: Shape | undefined) => (drop = d);
    const jvm = local.pid;
    const cpu = new Map(shapes.map((s) => [s.name, { ms: 0, ops: 0, perRound: [] as number[] }]));

    // Warm-up: JIT of every path, unmeasured.
    for (const shape of shapes) await runBatch(shape, Math.min(ops, 100), clients, setDrop);
    for (let round = 1; round <= rounds; round++) {
      const order = shapes.map((_, i) => shapes[(i + round) % shapes.length]!);
      for (const shape of order) {
        const prepared = await prepareAll(shape, ops, clients);
        const before = processCpuMs(jvm)!;
        await runPrepared(shape, prepared, clients, setDrop);
        const after = processCpuMs(jvm)!;
        const c = cpu.get(shape.name)!;
        c.ms += after - before;
        c.ops += ops;
        c.perRound.push((after - before) / ops);
      }
      console.error(`round ${round}/${rounds} done`);
    }
    console.log(`DynamoDB Local JVM CPU per operation (${rounds} rounds × ${ops} ops, ${clients} concurrent):`);
    for (const [name, c] of cpu) {
      const per = c.ms / c.ops;
      const full = cpu.get(name.startsWith('hold') ? 'hold: app, full' : 'confirm: app, full');
      // On a shared machine a round's load lands on every shape of that round: the median of the per-round
      // differences is steadier than the difference of the totals.
      const delta =
        full && !name.endsWith('full') && !name.startsWith('single')
          ? `  (full − this: ${(full.ms / full.ops - per).toFixed(2)} ms; median per round ${median(
              full.perRound.map((f, i) => f - c.perRound[i]!),
            ).toFixed(2)} ms)`
          : '';
      console.log(`  ${name.padEnd(48)} ${per.toFixed(2)} ms${delta}`);
    }
    if (failures.length > 0)
      console.log(`${failures.length} operations failed, e.g. ${failures.slice(0, 3).join('; ')}`);
    return 0;
  } finally {
    await local.stop();
  }
}

/**
 * The item as it was stored before labels and grade names were derived on read: each seat with both (as `nextSeats`
 * makes them). "full − this" of such a shape is minus what storing them costs.
 */
function labelled(item: Record<string, unknown>): Record<string, unknown> {
  const seats = item.seats as { seatId: string }[];
  return { ...item, seats: seats.map((s) => ({ ...s, label: seatLabel(parseSeatId(s.seatId)!), gradeName: R_NAME })) };
}

/** The item without an index's key attributes (`gsi1pk`, `gsi1sk`), so the index does not copy it. */
function withoutKeys(item: Record<string, unknown>, index: 'gsi1' | 'gsi2'): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith(index)));
}

/** A bookings table whose indexes project ALL (as before), next to the app's own (KEYS_ONLY). */
const allProjectedTable = (tables: TableNames) => `${tables.bookings}-all-projected`;

/** Operations that failed (printed at the end; a shape with failures is marked). */
const failures: string[] = [];

async function prepareAll(shape: Shape, n: number, clients: number): Promise<unknown[]> {
  const prepared: unknown[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        prepared[i] = shape.prepare ? await shape.prepare() : undefined;
      }
    }),
  );
  return prepared;
}

async function runPrepared(
  shape: Shape,
  prepared: unknown[],
  clients: number,
  setDrop: (d: Shape | undefined) => void,
): Promise<void> {
  let next = 0;
  setDrop(shape);
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < prepared.length) {
          // A transient failure of the emulator under load is counted, not fatal: the CPU it cost stays in the figure.
          await shape.op(prepared[next++]).catch((error: unknown) => {
            failures.push(`${shape.name}: ${String(error)}`);
          });
        }
      }),
    );
  } finally {
    setDrop(undefined);
  }
}

async function runBatch(shape: Shape, n: number, clients: number, setDrop: (d: Shape | undefined) => void) {
  await runPrepared(shape, await prepareAll(shape, n, clients), clients, setDrop);
}

async function defineShapes(
  db: DynamoDBDocumentClient,
  store: DynamoBookingStore,
  tables: TableNames,
  allStore: DynamoBookingStore,
): Promise<Shape[]> {
  const createHold = async (hold: Hold, on = store) => {
    const entries = [audit(hold.holdId, 'HOLD_CREATED', hold.userId, { seatIds: hold.seats.map((s) => s.seatId) })];
    await on.createHold({ hold, pointer: NO_LIVE_HOLD, now: Date.now(), audit: entries });
  };
  const confirm = async (hold: Hold, on = store) => {
    const reservation = reservationOf(hold);
    const entry = audit(reservation.reservationId, 'RESERVATION_CONFIRMED', hold.userId, {
      holdId: hold.holdId,
      total: reservation.total,
    });
    if (!(await on.confirmHold({ hold, reservation, now: Date.now(), audit: entry }))) {
      throw new Error('confirm refused');
    }
  };
  const holdShape = (name: string, drop?: Drop): Shape => ({ name, drop, op: () => createHold(newHold()) });
  const confirmShape = (name: string, drop?: Drop): Shape => ({
    name,
    drop,
    prepare: async () => {
      const hold = newHold();
      await createHold(hold);
      return hold;
    },
    op: (hold) => confirm(hold as Hold),
  });
  const rawHold = (hold: Hold) =>
    db.send(
      new TransactWriteCommand({
        TransactItems: hold.seats.map((s) => ({
          Put: {
            TableName: tables.bookings,
            Item: {
              ...keys.seat(hold.scheduleId, s.seatId),
              seatId: s.seatId,
              status: 'HOLDING',
              holdId: hold.holdId,
              userId: 'bench-raw',
              region: REGION,
              createdAt: hold.createdAt,
              expiresAt: hold.expiresAt,
              ttl: ttlSeconds(hold.expiresAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      }),
    );
  const sessionId = await putBenchSession(db, tables.sessions);
  const readyHold = newHold();
  await createHold(readyHold);
  // One user with 10 reservations on each bookings table: the "my reservations" page read through byUser.
  const reader = randomUUID();
  for (const [on, table] of [
    [store, tables.bookings],
    [allStore, allProjectedTable(tables)],
  ] as const) {
    for (let i = 0; i < 10; i++) {
      const hold = { ...newHold(), userId: reader };
      await createHold(hold, on);
      await confirm(hold, on);
      // The pointer still names the paid hold (a fresh store would re-read it); this setup just clears it.
      await db.send(new DeleteCommand({ TableName: table, Key: keys.activeHold(reader) }));
    }
  }
  const page = (table: string) =>
    db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byUser',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reservationsOf(reader) },
        ScanIndexForward: false,
        Limit: 10,
      }),
    );
  return [
    { name: 'hold: raw floor (seat puts)', op: () => rawHold(newHold()).then(() => undefined) },
    holdShape('hold: app seat puts only', notSeat),
    holdShape('hold: app, full'),
    holdShape('hold: app, no pointer', isPointer),
    holdShape('hold: app, no audit', isAudit),
    holdShape('hold: app, no hold item', isHoldItem),
    {
      name: 'confirm: raw floor (seat updates)',
      prepare: async () => {
        const hold = newHold();
        await rawHold(hold);
        return hold;
      },
      op: async (h) => {
        const hold = h as Hold;
        await db.send(
          new TransactWriteCommand({
            TransactItems: hold.seats.map((s) => ({
              Update: {
                TableName: tables.bookings,
                Key: keys.seat(hold.scheduleId, s.seatId),
                UpdateExpression: 'SET #status = :confirmed, reservationId = :r REMOVE #ttl',
                ConditionExpression: 'holdId = :h AND #status = :holding',
                ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
                ExpressionAttributeValues: {
                  ':confirmed': 'CONFIRMED',
                  ':r': `RAW-${hold.holdId}`,
                  ':h': hold.holdId,
                  ':holding': 'HOLDING',
                },
              },
            })),
          }),
        );
      },
    },
    confirmShape('confirm: app seat updates only', notSeat),
    confirmShape('confirm: app, full'),
    confirmShape('confirm: app, no pointer delete', isPointer),
    confirmShape('confirm: app, no audit', isAudit),
    confirmShape('confirm: app, no hold update', isHoldItem),
    confirmShape('confirm: app, no reservation', isReservation),
    {
      ...confirmShape('confirm: app, hold update removes only gsi2'),
      change: (item) => {
        const update = item.Update as { Key?: { sk?: string }; UpdateExpression?: string } | undefined;
        if (update?.Key?.sk !== 'HOLD') return item;
        return { Update: { ...update, UpdateExpression: update.UpdateExpression!.replace('gsi1pk, gsi1sk, ', '') } };
      },
    },
    {
      ...confirmShape('confirm: app, reservation with labels (before)'),
      change: (item) =>
        isReservation(item) && item.Put ? { Put: { ...item.Put, Item: labelled(item.Put.Item!) } } : item,
    },
    {
      ...holdShape('hold: app, hold item with labels (before)'),
      change: (item) =>
        isHoldItem(item) && item.Put ? { Put: { ...item.Put, Item: labelled(item.Put.Item!) } } : item,
    },
    // Upper bounds of what an index's copy of the item costs (projection ALL): the item without its index keys.
    {
      ...holdShape('hold: app, hold item not in liveHolds index'),
      change: (item) =>
        isHoldItem(item) && item.Put ? { Put: { ...item.Put, Item: withoutKeys(item.Put.Item!, 'gsi2') } } : item,
    },
    {
      ...confirmShape('confirm: app, reservation not in byUser index'),
      change: (item) =>
        isReservation(item) && item.Put ? { Put: { ...item.Put, Item: withoutKeys(item.Put.Item!, 'gsi1') } } : item,
    },
    // The same transactions on a bookings table whose indexes project ALL, as before (what each whole copy costs).
    { name: 'hold: app, indexes ALL (before)', op: () => createHold(newHold(), allStore) },
    {
      name: 'confirm: app, indexes ALL (before)',
      prepare: async () => {
        const hold = newHold();
        await createHold(hold, allStore);
        return hold;
      },
      op: (hold) => confirm(hold as Hold, allStore),
    },
    // "My reservations" (10 items) from the index, and the same followed by the BatchGetItem a KEYS_ONLY byUser needs.
    {
      name: 'single: reservations page, byUser ALL (Query)',
      op: () => page(allProjectedTable(tables)).then(() => undefined),
    },
    {
      name: 'single: reservations page, Query + BatchGetItem',
      op: async () => {
        const { Items } = await page(tables.bookings);
        if ((await itemsNamedBy(db, tables.bookings, Items ?? [])).length !== 10) throw new Error('page incomplete');
      },
    },
    {
      name: 'single: audit PutItem',
      op: async () => {
        const entry = audit(randomUUID(), 'HOLD_CREATED', randomUUID(), { seatIds: ['1F-A-1-1', '1F-A-1-2'] });
        await db.send(
          new PutCommand({
            TableName: tables.audit,
            Item: { pk: keys.auditPartition(entry.entityId), sk: `${new Date(entry.at).toISOString()}#x`, ...entry },
          }),
        );
      },
    },
    {
      name: 'single: GetItem session',
      op: () =>
        db
          .send(new GetCommand({ TableName: tables.sessions, Key: keys.session(sessionId), ConsistentRead: true }))
          .then(() => undefined),
    },
    {
      name: 'single: GetItem hold',
      op: () =>
        db
          .send(new GetCommand({ TableName: tables.bookings, Key: keys.hold(readyHold.holdId), ConsistentRead: true }))
          .then(() => undefined),
    },
  ];
}

run(main);
