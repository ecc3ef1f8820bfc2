import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { toAttributeMap, toWireTransactItem } from '../../../app/adapters/dynamodb/attribute-values.js';
import type { AdmissionUse } from '../../../app/booking/ports.js';
import { admissionHoldWireItem } from '../../../app/adapters/dynamodb/queue-conditions.js';
import { sendWireTransaction, useOwnTransactionSerializer } from '../../../app/adapters/dynamodb/wire-transactions.js';
import { expectSameRequest, recordingClient, sentBothWays } from '../../support/serializer-equivalence.js';

/** Texts whose escapes and encodings a hand-made JSON writer could get wrong. */
const AWKWARD_TEXTS = [
  '',
  '1층 B열 5번 — 문라이트 가든',
  'emoji 🎫 and a lone high \ud83c and low \udfab surrogate',
  'quote " backslash \\ slash / tab \t newline \n return \r feed \f backspace \b',
  'controls \u0000 \u0001 \u001f, DEL \u007f, C1 \u0085, separators \u2028 \u2029, BOM \ufeff',
  'x'.repeat(5_000),
];

const EVERY_SHAPE = {
  s: AWKWARD_TEXTS[1],
  n: [0, -0.5, 1234567890123, 2 ** 53 - 1, -(2 ** 53 - 1), 1e-7, 3.14159],
  t: true,
  f: false,
  nothing: null,
  emptyList: [],
  emptyMap: {},
  emptyText: '',
  nested: { list: [{ deep: ['a', 1, null, { deeper: [] }] }], map: { '한글 키': 'v', 'key "quoted"': 'w' } },
  texts: AWKWARD_TEXTS,
  skipped: undefined,
};

/** The gate's admission use, as the hold path passes it to `admissionHoldWireItem`. */
const ADMISSION: AdmissionUse = {
  eventId: 'perf-queued-1',
  userId: 'user-한글',
  tokenId: 'tok_abc.DEF:123-x',
  cap: 2,
  now: 1_764_000_000_000,
  expiresAt: 1_764_000_600_000,
  epoch: 3,
  position: 41_207,
  fromOlderEpoch: false,
};

describe('our TransactWriteItems serialiser (JSON.stringify) against the SDK schema serialiser', () => {
  it('every kind of item and every stored value shape: the same JSON, the same bytes in the SDK order, the same headers', async () => {
    const items: TransactWriteItem[] = [
      toWireTransactItem({
        Put: {
          TableName: 'bookings',
          Item: { pk: 'SEAT#s1', sk: 'SEAT', ...EVERY_SHAPE },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :free',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':free': 'FREE' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      }),
      toWireTransactItem({
        Update: {
          TableName: 'bookings',
          Key: { pk: 'HOLD#h1', sk: 'HOLD' },
          UpdateExpression: 'SET #status = :to, payload = :p REMOVE gsi1pk',
          ConditionExpression: 'userId = :u',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': 'CONFIRMED', ':p': EVERY_SHAPE, ':u': '사용자-1' },
        },
      }),
      toWireTransactItem({ Delete: { TableName: 'bookings', Key: { pk: 'PTR#u1', sk: 'PTR' } } }),
      toWireTransactItem({
        ConditionCheck: {
          TableName: 'bookings',
          Key: { pk: 'SLOT#1', sk: 'SLOT' },
          ConditionExpression: '#s = :on',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':on': 'ON_SALE' },
          ReturnValuesOnConditionCheckFailure: undefined,
        },
      }),
      admissionHoldWireItem('queue', ADMISSION),
      admissionHoldWireItem('queue', { ...ADMISSION, fromOlderEpoch: true }),
    ];
    const { sdk, own } = await sentBothWays(items);
    expectSameRequest(own, sdk);
  });

  for (const [index, text] of AWKWARD_TEXTS.entries()) {
    it(`a seat put whose every text is awkward text #${index}: byte for byte the SDK body`, async () => {
      const item = toWireTransactItem({
        Put: { TableName: text || 't', Item: { pk: text, sk: text, [text || 'k']: [text, { [text]: text }] } },
      });
      const { sdk, own } = await sentBothWays([item]);
      expectSameRequest(own, sdk);
    });
  }

  it('a transaction of 100 items (DynamoDB’s limit): the same request', async () => {
    const items = Array.from({ length: 100 }, (_, i) =>
      toWireTransactItem({
        Put: {
          TableName: 'bookings',
          Item: { pk: `SEAT#${i}`, sk: 'SEAT', status: 'HELD', at: i * 1000, label: `${i}번` },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
    );
    const { sdk, own } = await sentBothWays(items);
    expectSameRequest(own, sdk);
  });

  it('a caller’s own ClientRequestToken is sent as given, by both', async () => {
    const { db, sent } = recordingClient();
    const { TransactWriteItemsCommand } = await import('@aws-sdk/client-dynamodb');
    const { sendWire } = await import('../../../app/adapters/dynamodb/wire-transactions.js');
    await sendWire(
      db,
      new TransactWriteItemsCommand({
        TransactItems: [{ Delete: { TableName: 't', Key: toAttributeMap({ pk: 'a' }) } }],
        ClientRequestToken: 'my-token-1',
      }),
    );
    expect(JSON.parse(sent[0]!.body)).to.deep.equal({
      TransactItems: [{ Delete: { TableName: 't', Key: { pk: { S: 'a' } } } }],
      ClientRequestToken: 'my-token-1',
    });
  });

  it('a retried send (a 500, then accepted) resends the same body with the same idempotency token, as the SDK does', async () => {
    const bodies: Record<'own' | 'sdk', string[]> = { own: [], sdk: [] };
    const attempts: Record<'own' | 'sdk', string[]> = { own: [], sdk: [] };
    for (const mode of ['sdk', 'own'] as const) {
      let calls = 0;
      const { db, sent } = recordingClient(() =>
        ++calls === 1
          ? { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' } }
          : { status: 200, body: {} },
      );
      useOwnTransactionSerializer(mode === 'own');
      try {
        await sendWireTransaction(db, [toWireTransactItem({ Delete: { TableName: 't', Key: { pk: 'a' } } })]);
      } finally {
        useOwnTransactionSerializer(true);
      }
      bodies[mode] = sent.map((r) => r.body);
      attempts[mode] = sent.map((r) => r.headers['amz-sdk-request']!.split(';')[0]!);
    }
    for (const mode of ['sdk', 'own'] as const) {
      expect(bodies[mode], mode).to.have.length(2);
      expect(bodies[mode][1], `${mode}: the retry is the same bytes, the same token`).to.equal(bodies[mode][0]);
      expect(attempts[mode]).to.deep.equal(['attempt=1', 'attempt=2']);
    }
  });

  it('each send gets its own token: two sends of the same items differ only in ClientRequestToken', async () => {
    const { db, sent } = recordingClient();
    const items = [toWireTransactItem({ Delete: { TableName: 't', Key: { pk: 'a' } } })];
    await sendWireTransaction(db, items);
    await sendWireTransaction(db, items);
    const [a, b] = sent.map((r) => JSON.parse(r.body) as { ClientRequestToken: string });
    expect(a!.ClientRequestToken).to.not.equal(b!.ClientRequestToken);
    expect({ ...a, ClientRequestToken: '' }).to.deep.equal({ ...b, ClientRequestToken: '' });
  });

  it('a cancelled transaction still rejects with the SDK’s TransactionCanceledException and its CancellationReasons', async () => {
    const reasons = [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Item: { pk: { S: 'SEAT#1' }, n: { N: '2' } } },
    ];
    const { db } = recordingClient(() => ({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        CancellationReasons: reasons,
      },
    }));
    const error = await sendWireTransaction(db, [
      toWireTransactItem({ Delete: { TableName: 't', Key: { pk: 'a' } } }),
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).to.deep.equal(reasons);
    expect((error as TransactionCanceledException).$metadata.httpStatusCode).to.equal(400);
  });
});
