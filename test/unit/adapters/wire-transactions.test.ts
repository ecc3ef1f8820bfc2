import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createDocumentClient } from '../../../app/adapters/dynamodb/client.js';
import { sendWire, sendWireBatchGet, sendWireTransaction } from '../../../app/adapters/dynamodb/wire-transactions.js';
import { recordingHandler } from '../../support/serializer-equivalence.js';

const ITEMS = [
  {
    Put: {
      TableName: 't',
      Item: { pk: { S: 'a' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
];

/** A recording request handler (the equivalence tests' own) with each request's body parsed. */
function stubHandler(answer?: () => { status: number; body: object }) {
  const { handler, sent } = recordingHandler(answer);
  return {
    handler,
    get bodies(): unknown[] {
      return sent.map((request) => JSON.parse(request.body) as unknown);
    },
  };
}

function stubbedClient(db: DynamoDBDocumentClient, stub: ReturnType<typeof stubHandler>): DynamoDBDocumentClient {
  (db.config as { requestHandler: unknown }).requestHandler = stub.handler;
  return db;
}

/** Counts how often a command of `type` (TransactWriteItems by default) resolves a middleware stack while `run` runs. */
async function resolutionsDuring(
  run: () => Promise<void>,
  type:
    typeof TransactWriteItemsCommand | typeof BatchGetItemCommand | typeof PutItemCommand = TransactWriteItemsCommand,
): Promise<number> {
  const prototype = type.prototype as { resolveMiddleware: (...args: unknown[]) => unknown };
  const original = prototype.resolveMiddleware;
  let count = 0;
  prototype.resolveMiddleware = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    prototype.resolveMiddleware = original;
  }
  return count;
}

describe('sendWireTransaction (the hold path reuses its resolved middleware stack)', () => {
  it('our client: sends each transaction, resolving the stack once for many sends', async () => {
    const stub = stubHandler();
    const db = stubbedClient(createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }), stub);
    const resolutions = await resolutionsDuring(async () => {
      for (let i = 0; i < 5; i++) await sendWireTransaction(db, ITEMS);
    });
    expect(resolutions).to.equal(1);
    expect(stub.bodies).to.have.length(5);
    for (const body of stub.bodies) expect(body).to.deep.include({ TransactItems: ITEMS });
    const tokens = stub.bodies.map((body) => (body as { ClientRequestToken: string }).ClientRequestToken);
    expect(new Set(tokens).size, 'each send its own idempotency token').to.equal(5);
  });

  it('our client: batch reads interleaved with transactions each resolve their own stack once, and answer in wire form', async () => {
    const found = { pk: { S: 'a' }, n: { N: '7' } };
    const stub = stubHandler(() => ({ status: 200, body: { Responses: { t: [found] } } }));
    const db = stubbedClient(createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }), stub);
    const request = { RequestItems: { t: { Keys: [{ pk: { S: 'a' } }], ConsistentRead: true } } };
    const answers: unknown[] = [];
    const batchResolutions = await resolutionsDuring(async () => {
      const transactionResolutions = await resolutionsDuring(async () => {
        for (let i = 0; i < 3; i++) {
          answers.push((await sendWireBatchGet(db, request)).Responses);
          await sendWireTransaction(db, ITEMS);
        }
      });
      expect(transactionResolutions).to.equal(1);
    }, BatchGetItemCommand);
    expect(batchResolutions).to.equal(1);
    expect(stub.bodies.filter((body) => 'RequestItems' in (body as object))).to.deep.equal([request, request, request]);
    expect(answers).to.deep.equal([{ t: [found] }, { t: [found] }, { t: [found] }]);
  });

  it('a middleware added or removed after a send sees (or no longer sees) the next send: the stack is resolved again', async () => {
    const db = stubbedClient(
      createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }),
      stubHandler(),
    );
    await sendWireTransaction(db, ITEMS);
    const seen: string[] = [];
    db.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'lateObserver' },
    );
    await sendWireTransaction(db, ITEMS);
    expect(seen).to.deep.equal(['TransactWriteItemsCommand']);
    db.middlewareStack.remove('lateObserver');
    await sendWireTransaction(db, ITEMS);
    expect(seen).to.have.length(1);
  });

  it('a request handler replaced after a send answers the next send', async () => {
    const first = stubHandler();
    const db = stubbedClient(createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }), first);
    await sendWireTransaction(db, ITEMS);
    const second = stubHandler();
    stubbedClient(db, second);
    await sendWireTransaction(db, ITEMS);
    expect([first.bodies.length, second.bodies.length]).to.deep.equal([1, 1]);
  });

  it('a cancelled transaction rejects with TransactionCanceledException and its CancellationReasons, as the document client did', async () => {
    const db = stubbedClient(
      createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }),
      stubHandler(() => ({
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: 'Transaction cancelled',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { pk: { S: 'a' } } }, { Code: 'None' }],
        },
      })),
    );
    const error = await sendWireTransaction(db, ITEMS).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).to.deep.equal([
      { Code: 'ConditionalCheckFailed', Item: { pk: { S: 'a' } } },
      { Code: 'None' },
    ]);
  });

  it('a document client our factory did not make: sent as a plain send, its stack resolved every time', async () => {
    const stub = stubHandler();
    const client = new DynamoDBClient({
      region: 'ap-northeast-2',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const db = stubbedClient(DynamoDBDocumentClient.from(client), stub);
    const resolutions = await resolutionsDuring(async () => {
      for (let i = 0; i < 3; i++) await sendWireTransaction(db, ITEMS);
    });
    expect(resolutions).to.equal(3);
    expect(stub.bodies).to.have.length(3);
  });

  it('a PutItem and a transaction on one client: each command class resolves its own stack once and sends its own body', async () => {
    const stub = stubHandler();
    const db = stubbedClient(createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }), stub);
    const put = () =>
      new PutItemCommand({ TableName: 't', Item: { pk: { S: 'CONV#1' }, turn: { N: '3' } }, ConditionExpression: 'x' });
    let transactions = 0;
    const puts = await resolutionsDuring(async () => {
      transactions = await resolutionsDuring(async () => {
        for (let i = 0; i < 3; i++) {
          await sendWire(db, put());
          await sendWireTransaction(db, ITEMS);
        }
      });
    }, PutItemCommand);
    expect([puts, transactions]).to.deep.equal([1, 1]);
    expect(stub.bodies).to.have.length(6);
    expect(stub.bodies[0]).to.deep.equal({
      TableName: 't',
      Item: { pk: { S: 'CONV#1' }, turn: { N: '3' } },
      ConditionExpression: 'x',
    });
    expect(stub.bodies[1]).to.deep.include({ TransactItems: ITEMS });
  });

  it('a PutItem whose condition fails rejects with ConditionalCheckFailedException, as the document client did', async () => {
    const db = stubbedClient(
      createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }),
      stubHandler(() => ({
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
        },
      })),
    );
    const error = await sendWire(db, new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConditionalCheckFailedException);
  });
});
