import { Readable } from 'node:stream';
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { expect } from 'chai';
import {
  toAttributeMap,
  toAttributeValue,
  toWireTransactItem,
  type DocumentTransactItem,
} from '../../../app/adapters/dynamodb/attribute-values.js';
import {
  admissionConfirmUpdate,
  admissionConfirmWireItem,
  admissionHoldUpdate,
  admissionHoldWireItem,
} from '../../../app/adapters/dynamodb/queue-conditions.js';
import type { AdmissionUse } from '../../../app/booking/ports.js';

/** The document client's options in `createDocumentClient`, which the hand-written marshaller must match. */
const OPTIONS = Object.freeze({ removeUndefinedValues: true, convertClassInstanceToMap: false });

/** Every shape the hold and confirm transactions store: a hold item with its seats, an audit entry, a pointer. */
const holdLike = {
  pk: 'HOLD#h-1',
  sk: 'HOLD',
  holdId: 'h-1',
  userId: 'u-1',
  status: 'HOLDING',
  region: 'ap-northeast-2',
  createdAt: 1_764_400_000_000,
  expiresAt: 1_764_400_600_000,
  graceUntil: undefined,
  totalKrw: 154_000,
  feeKrw: 2_000,
  ratio: 0.25,
  negative: -3,
  zero: -0,
  largest: Number.MAX_SAFE_INTEGER,
  smallest: Number.MIN_SAFE_INTEGER,
  empty: '',
  unicode: '좌석 1F-B-5-7 ✓',
  paid: false,
  refunded: true,
  nothing: null,
  seats: [
    { seatId: '1F-B-5-7', grade: 'VIP', priceKrw: 150_000, label: undefined },
    { seatId: '1F-B-5-8', grade: 'R', priceKrw: 120_000 },
    undefined,
  ],
  details: { from: { status: 'HOLDING' }, to: {}, list: [], nested: [[1, 'a'], [{ b: null }]] },
  nullPrototype: Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 }),
};

describe('toAttributeValue / toAttributeMap (the hold path marshals without the document client)', () => {
  it('every stored shape equals @aws-sdk/util-dynamodb marshall with the document client options', () => {
    expect(toAttributeMap(holdLike)).to.deep.equal(marshall(holdLike, OPTIONS));
  });

  it('each scalar on its own equals marshall of it', () => {
    for (const value of ['x', '', 0, -0, 1.5, -42, 1e21 / 1e10, true, false, null]) {
      expect(toAttributeValue(value), String(value)).to.deep.equal(marshall({ v: value }, OPTIONS).v);
    }
  });

  it('undefined members of maps and lists are left out, as removeUndefinedValues does', () => {
    expect(toAttributeMap({ a: undefined, b: [undefined, 1] })).to.deep.equal({ b: { L: [{ N: '1' }] } });
  });

  it('values marshall refuses with these options are refused too (nothing half-marshalled is sent)', () => {
    const refused: unknown[] = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MAX_SAFE_INTEGER + 2,
      Number.MIN_SAFE_INTEGER - 2,
      new Date(0),
      new (class Point {
        x = 1;
      })(),
    ];
    for (const value of refused) {
      expect(() => marshall({ v: value }, OPTIONS), String(value)).to.throw();
      expect(() => toAttributeValue(value), String(value)).to.throw(/toAttributeValue/);
    }
  });

  it('shapes the app never stores (sets, binary, bigint) are refused rather than guessed', () => {
    for (const value of [new Set(['a']), Buffer.from('a'), 10n, new Map([['a', 1]])]) {
      expect(() => toAttributeValue(value), String(value)).to.throw(/unsupported value/);
    }
  });
});

/**
 * The JSON body a client sends for `command`, as DynamoDB would receive it (captured once the SDK has serialised it),
 * the request answered by a stub so nothing leaves the process.
 */
async function sentBody(send: (db: DynamoDBDocumentClient) => Promise<unknown>): Promise<unknown> {
  const client = new DynamoDBClient({
    region: 'ap-northeast-2',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  (client.config as { requestHandler: unknown }).requestHandler = {
    handle: async () => ({
      response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) },
    }),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { ...OPTIONS } });
  let body: unknown;
  db.middlewareStack.add(
    (next) => async (args) => {
      const raw = (args.request as { body?: unknown }).body;
      const bytes = raw as Uint8Array;
      body = JSON.parse(
        typeof raw === 'string' ? raw : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      );
      return next(args);
    },
    { step: 'build', name: 'captureBody' },
  );
  await send(db);
  return body;
}

const use = (fromOlderEpoch: boolean): AdmissionUse => ({
  eventId: 'perf-1',
  userId: 'u-1',
  tokenId: 'tid-1',
  cap: 4,
  now: 1_764_400_000_123,
  expiresAt: 1_764_400_600_000,
  epoch: 2,
  position: 1_234,
  fromOlderEpoch,
});

describe('toWireTransactItem (the hold and confirm transactions in wire form)', () => {
  it('Put, Update, Delete and ConditionCheck items put on the wire exactly what the document client sends for them', async () => {
    const items: DocumentTransactItem[] = [
      {
        Put: {
          TableName: 'bookings',
          Item: holdLike,
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': 5 },
        },
      },
      {
        Put: { TableName: 'bookings', Item: { pk: 'USER#u', sk: 'ACTIVE_HOLD' }, ExpressionAttributeValues: undefined },
      },
      {
        Update: {
          TableName: 'bookings',
          Key: { pk: 'SCHED#s', sk: 'SEAT#1F-B-5-7' },
          UpdateExpression: 'SET #status = :sold REMOVE #ttl',
          ConditionExpression: 'holdId = :h',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':sold': 'SOLD', ':h': 'h-1', ':c': { refundKrw: 0, reasons: ['x'] } },
        },
      },
      {
        Delete: {
          TableName: 'bookings',
          Key: { pk: 'SCHED#s', sk: 'SEAT#1F-B-5-8' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { ConditionCheck: { TableName: 'queue', Key: { pk: 'Q' }, ConditionExpression: 'attribute_exists(pk)' } },
      admissionHoldUpdate('queue', use(false)),
      admissionHoldUpdate('queue', use(true)),
      admissionConfirmUpdate('queue', use(false)),
    ];
    const ours = await sentBody((db) =>
      db.send(new TransactWriteItemsCommand({ TransactItems: items.map(toWireTransactItem) })),
    );
    const documentClients = await sentBody((db) => db.send(new TransactWriteCommand({ TransactItems: items })));
    // Each send gets its own idempotency token (the SDK fills ClientRequestToken in both ways); the rest is equal.
    type Body = { TransactItems: unknown; ClientRequestToken: string };
    expect((ours as Body).TransactItems).to.deep.equal((documentClients as Body).TransactItems);
    expect(Object.keys(ours as Body).sort()).to.deep.equal(Object.keys(documentClients as Body).sort());
    expect(JSON.stringify(ours)).to.include('"holdId":{"S":"h-1"}');
  });

  it('the admission items built in wire form equal their document form marshalled (strict and from an older epoch)', () => {
    for (const fromOlderEpoch of [false, true]) {
      expect(admissionHoldWireItem('queue', use(fromOlderEpoch))).to.deep.equal(
        toWireTransactItem(admissionHoldUpdate('queue', use(fromOlderEpoch))),
      );
      expect(admissionConfirmWireItem('queue', use(fromOlderEpoch))).to.deep.equal(
        toWireTransactItem(admissionConfirmUpdate('queue', use(fromOlderEpoch))),
      );
    }
    const strict = admissionHoldWireItem('queue', use(false)).Update!;
    expect(strict.ExpressionAttributeValues).to.deep.equal(
      marshall(admissionHoldUpdate('queue', use(false)).Update!.ExpressionAttributeValues!, OPTIONS),
    );
    expect(strict.Key).to.deep.equal({ pk: { S: 'QUEUE#perf-1#USER#u-1' }, sk: { S: 'ENTRY' } });
  });
});
