/**
 * What DynamoDB Local's JVM spends per part of a transaction (docs/benchmarks.md, "Where the JVM's extra time per pair
 * goes"). bench:holds is CPU-bound on 2 cores and the emulator's JVM is the larger share of an API pair; the app-level
 * shapes of `item-costs.bench.ts` say which of the app's items cost, this says why: synthetic transactions that differ
 * from a base of 2 seat puts (the raw floor's hold) or 2 seat updates (its confirm) in one thing each — one more item,
 * an item with index keys, more attributes, a nested list, a longer condition, an item in a second table, an update that
 * removes index keys the item does not have — plus the single reads an API request can make. Every shape runs in every
 * round, in a rotating order, so whatever else the shared machine does lands on all of them alike; per shape the
 * output gives JVM ms per operation and, against its base, the median of the per-round differences.
 *
 *   npx tsx bench/jvm-shapes.bench.ts [--ops 150] [--rounds 6] [--clients 8] [--only REGEX]
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoClient } from '../app/adapters/dynamodb/client.js';
import { takeableCondition, payableCondition } from '../app/adapters/dynamodb/conditions.js';
import { ensureTables } from '../app/adapters/dynamodb/create-tables.js';
import { keys, sortableInstant, ttlSeconds } from '../app/adapters/dynamodb/keys.js';
import { tableNamesFor, type TableNames } from '../app/adapters/dynamodb/tables.js';
import { startDynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { processCpuMs } from './lib/cpu.js';
import { run } from './lib/run.js';
import { median, putBenchSession, shapeBenchArgs } from './lib/shape-bench.js';

const REGION = 'ap-northeast-2';
type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

interface Shape {
  readonly name: string;
  /** The shape this one is compared with ("this − base"). */
  readonly base?: string;
  /** Unmeasured setup of one operation (e.g. the items an update changes). */
  prepare?(): Promise<unknown>;
  op(prepared: unknown): Promise<unknown>;
}

async function main(): Promise<number> {
  const { ops, rounds, clients, only } = shapeBenchArgs({ ops: 150, rounds: 6, clients: 8 });
  const local = await startDynamoLocal();
  try {
    const tables = tableNamesFor(`jvmshapes-${process.pid}`);
    await ensureTables(createDynamoClient({ region: REGION, endpoint: local.endpoint }), tables);
    const db = createDocumentClient({ region: REGION, endpoint: local.endpoint });
    const shapes = (await defineShapes(db, tables)).filter((s) => !only || only.test(s.name) || !s.base);
    const perRound = new Map(shapes.map((s) => [s.name, [] as number[]]));
    const failures: string[] = [];
    const runShape = async (shape: Shape, n: number): Promise<number> => {
      const prepared = await inParallel(n, clients, () => (shape.prepare ? shape.prepare() : Promise.resolve()));
      const before = processCpuMs(local.pid)!;
      await inParallel(n, clients, (i) =>
        shape.op(prepared[i]).catch((error: unknown) => failures.push(`${shape.name}: ${String(error)}`)),
      );
      return (processCpuMs(local.pid)! - before) / n;
    };
    for (const shape of shapes) await runShape(shape, Math.min(ops, 100)); // JIT warm-up, unmeasured
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < shapes.length; i++) {
        const shape = shapes[(i + round) % shapes.length]!;
        perRound.get(shape.name)!.push(await runShape(shape, ops));
      }
      console.error(`round ${round}/${rounds} done (load average ${(await loadAverage()).toFixed(2)})`);
    }
    console.log(
      `DynamoDB Local JVM CPU per operation: ${rounds} rounds × ${ops} ops per shape, ${clients} concurrent, ` +
        `load average at the end ${(await loadAverage()).toFixed(2)}`,
    );
    console.log(`| shape | JVM ms/op (mean of rounds) | − base, median of rounds | per-round range of − base |`);
    console.log(`| --- | ---: | ---: | --- |`);
    for (const shape of shapes) {
      const mine = perRound.get(shape.name)!;
      const base = shape.base ? perRound.get(shape.base) : undefined;
      const deltas = base ? mine.map((v, i) => v - base[i]!) : [];
      console.log(
        `| ${shape.name} | ${mean(mine).toFixed(2)} | ${base ? median(deltas).toFixed(2) : ''} | ${
          base ? `${Math.min(...deltas).toFixed(2)} … ${Math.max(...deltas).toFixed(2)}` : ''
        } |`,
      );
    }
    if (failures.length > 0)
      console.log(`${failures.length} operations failed, e.g. ${failures.slice(0, 3).join('; ')}`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    await local.stop();
  }
}

async function inParallel<T>(n: number, clients: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
async function loadAverage(): Promise<number> {
  const { loadavg } = await import('node:os');
  return loadavg()[0]!;
}

async function defineShapes(db: DynamoDBDocumentClient, tables: TableNames): Promise<Shape[]> {
  const now = Date.now();
  let slot = 0;
  /** 2 fresh seat keys of a fresh slot (never contested). */
  const twoSeats = () => {
    const scheduleId = `jvm-${process.pid}-${++slot}`;
    return ['1F-A-1-1', '1F-A-1-2'].map((seatId) => ({ scheduleId, seatId }));
  };
  const seatItem = (s: { scheduleId: string; seatId: string }, holdId: string): Item => ({
    ...keys.seat(s.scheduleId, s.seatId),
    seatId: s.seatId,
    status: 'HOLDING',
    holdId,
    userId: 'u-1',
    region: REGION,
    createdAt: Date.now(),
    expiresAt: Date.now() + 600_000,
    ttl: ttlSeconds(Date.now() + 600_000),
  });
  const seatPut = (s: { scheduleId: string; seatId: string }, holdId: string, condition = 'floor'): TransactItem => {
    if (condition === 'floor') {
      return {
        Put: {
          TableName: tables.bookings,
          Item: seatItem(s, holdId),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    }
    const takeable = takeableCondition(Date.now(), undefined);
    return {
      Put: {
        TableName: tables.bookings,
        Item: seatItem(s, holdId),
        ConditionExpression: takeable.expression,
        ExpressionAttributeNames: takeable.names,
        ExpressionAttributeValues: takeable.values,
      },
    };
  };
  /** A hold-like item of `attributes` scalar attributes (keys included), optionally with index keys and seats. */
  const extraItem = (id: string, opts: { attributes?: number; gsi?: 'gsi1' | 'gsi2'; seats?: boolean } = {}): Item => {
    const item: Item = { pk: `X#${id}`, sk: 'X' };
    for (let i = 2; i < (opts.attributes ?? 8); i++) item[`a${i}`] = i % 2 ? `value-${i}-${id.slice(0, 8)}` : now + i;
    if (opts.gsi === 'gsi1') Object.assign(item, { gsi1pk: `USER#${id}#RES`, gsi1sk: sortableInstant(now) });
    if (opts.gsi === 'gsi2')
      Object.assign(item, { gsi2pk: `LIVE#${id.charCodeAt(0) % 8}`, gsi2sk: sortableInstant(now) });
    if (opts.seats) {
      item.seats = ['1F-A-1-1', '1F-A-1-2', '1F-A-1-3'].map((seatId) => ({ seatId, grade: 'R', price: 140_000 }));
    }
    return item;
  };
  const put = (Item: Item, table = tables.bookings, condition = true): TransactItem => ({
    Put: { TableName: table, Item, ...(condition ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) },
  });
  const audit = (id: string, table = tables.audit): TransactItem => ({
    Put: {
      TableName: table,
      Item: {
        pk: keys.auditPartition(id),
        sk: `${sortableInstant(Date.now())}#HOLD_CREATED#${id.slice(0, 6)}`,
        entityId: id,
        action: 'HOLD_CREATED',
        actorUserId: 'u-1',
        at: Date.now(),
        region: REGION,
        to: 'HOLDING',
        details: { seatIds: ['1F-A-1-1', '1F-A-1-2'] },
      },
    },
  });
  const transact = (items: TransactItem[]) => db.send(new TransactWriteCommand({ TransactItems: items }));
  /** A hold of 2 seats plus `extra(id)`. */
  const holdShape = (name: string, extra: (id: string) => TransactItem[], condition = 'floor'): Shape => ({
    name,
    base: name === 'hold base: 2 seat puts' ? undefined : 'hold base: 2 seat puts',
    op: () => {
      const id = randomUUID();
      return transact([...twoSeats().map((s) => seatPut(s, id, condition)), ...extra(id)]);
    },
  });

  // Confirm-like shapes: 2 held seats and a hold-like item (with liveHolds keys) exist; the op updates them.
  const prepareHeld = async () => {
    const id = randomUUID();
    const seats = twoSeats();
    await transact([...seats.map((s) => seatPut(s, id)), put(extraItem(id, { gsi: 'gsi2', seats: true }))]);
    return { id, seats };
  };
  type Held = Awaited<ReturnType<typeof prepareHeld>>;
  const seatUpdate = (s: Held['seats'][number], id: string, condition = 'floor'): TransactItem => {
    const payable = payableCondition(id, 'u-1', Date.now(), undefined);
    return {
      Update: {
        TableName: tables.bookings,
        Key: keys.seat(s.scheduleId, s.seatId),
        UpdateExpression: 'SET #status = :sold, reservationId = :r REMOVE #ttl',
        ...(condition === 'floor'
          ? {
              ConditionExpression: 'holdId = :holdId AND #status = :holding',
              ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':sold': 'CONFIRMED',
                ':r': `R-${id}`,
                ':holdId': id,
                ':holding': 'HOLDING',
              },
            }
          : {
              ConditionExpression: payable.expression,
              ExpressionAttributeNames: { ...payable.names, '#ttl': 'ttl' },
              ExpressionAttributeValues: { ...payable.values, ':sold': 'CONFIRMED', ':r': `R-${id}` },
            }),
      },
    };
  };
  const holdUpdate = (id: string, remove: string): TransactItem => ({
    Update: {
      TableName: tables.bookings,
      Key: { pk: `X#${id}`, sk: 'X' },
      UpdateExpression: `SET #status = :confirmed, reservationId = :r${remove ? ` REMOVE ${remove}` : ''}`,
      ConditionExpression: 'a3 = :a3',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':confirmed': 'CONFIRMED', ':r': `R-${id}`, ':a3': `value-3-${id.slice(0, 8)}` },
    },
  });
  const confirmShape = (name: string, extra: (id: string) => TransactItem[], condition = 'floor'): Shape => ({
    name,
    base: name === 'confirm base: 2 seat updates' ? undefined : 'confirm base: 2 seat updates',
    prepare: prepareHeld,
    op: (h) => {
      const { id, seats } = h as Held;
      return transact([...seats.map((s) => seatUpdate(s, id, condition)), ...extra(id)]);
    },
  });

  const sessionId = await putBenchSession(db, tables.sessions);
  const single = (name: string, op: () => Promise<unknown>): Shape => ({ name, base: 'single: GetItem eventual', op });

  return [
    holdShape('hold base: 2 seat puts', () => []),
    holdShape('hold: + 1 item (8 attributes)', (id) => [put(extraItem(id))]),
    holdShape('hold: + 2 items (8 attributes each)', (id) => [put(extraItem(id)), put(extraItem(`${id}b`))]),
    holdShape('hold: + 1 item, no condition', (id) => [put(extraItem(id), tables.bookings, false)]),
    holdShape('hold: + 1 item (16 attributes)', (id) => [put(extraItem(id, { attributes: 16 }))]),
    holdShape('hold: + 1 item (8 attributes + 3-seat list)', (id) => [put(extraItem(id, { seats: true }))]),
    holdShape('hold: + 1 item with liveHolds keys (KEYS_ONLY)', (id) => [put(extraItem(id, { gsi: 'gsi2' }))]),
    holdShape('hold: + 1 item with byUser keys (ALL)', (id) => [put(extraItem(id, { gsi: 'gsi1' }))]),
    holdShape('hold: + 1 audit item (audit table)', (id) => [audit(id)]),
    holdShape('hold: + 1 audit-shaped item (bookings table)', (id) => [audit(id, tables.bookings)]),
    holdShape('hold: seats with the takeable condition', () => [], 'takeable'),
    confirmShape('confirm base: 2 seat updates', () => []),
    confirmShape('confirm: seats with the payable condition', () => [], 'payable'),
    confirmShape('confirm: + hold update, no REMOVE', (id) => [holdUpdate(id, '')]),
    confirmShape('confirm: + hold update REMOVE gsi2 (present)', (id) => [holdUpdate(id, 'gsi2pk, gsi2sk')]),
    confirmShape('confirm: + hold update REMOVE gsi1 (absent), gsi2', (id) => [
      holdUpdate(id, 'gsi1pk, gsi1sk, gsi2pk, gsi2sk'),
    ]),
    confirmShape('confirm: + hold update REMOVE gsi1 (absent) only', (id) => [holdUpdate(id, 'gsi1pk, gsi1sk')]),
    confirmShape('confirm: + 1 audit item (audit table)', (id) => [audit(`${id}c`)]),
    {
      name: 'single: GetItem eventual',
      op: () => db.send(new GetCommand({ TableName: tables.sessions, Key: keys.session(sessionId) })),
    },
    single('single: GetItem session, ConsistentRead', () =>
      db.send(new GetCommand({ TableName: tables.sessions, Key: keys.session(sessionId), ConsistentRead: true })),
    ),
    single('single: BatchGetItem session (1 key), ConsistentRead', () =>
      db.send(
        new BatchGetCommand({
          RequestItems: { [tables.sessions]: { Keys: [keys.session(sessionId)], ConsistentRead: true } },
        }),
      ),
    ),
  ];
}

run(main);
