import { expect } from 'chai';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Session } from '../../app/accounts/model.js';
import { DynamoSessionStore } from '../../app/adapters/dynamodb/account-stores.js';
import { createDocumentClient } from '../../app/adapters/dynamodb/client.js';
import { DynamoQueueStore, ENTRY_BATCH } from '../../app/adapters/dynamodb/queue-store.js';
import type { QueueEntry } from '../../app/queue/model.js';
import { MINUTE } from '../support/builders.js';
import { anotherInstance, createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent } from '../support/queue.js';

/** Long enough that everything submitted in one synchronous burst lands in one batch on a busy machine. */
const ONE_BATCH = { maxSize: 100, maxWaitMs: 50 };

interface Faults {
  /** Keys the next BatchGetItem answers as unprocessed (taken off the request), per call, in order. */
  unprocessed: number[];
  /** How many TransactWriteItems calls fail as a whole before reaching DynamoDB. */
  failTransactions: number;
}

/**
 * A document client over the fixture's DynamoDB Local that records the commands it sends and can inject what real
 * DynamoDB does under load (unprocessed keys, a failed call); everything else is DynamoDB Local's own answer.
 */
function faultyClient(fx: Fixture, faults: Faults): { db: DynamoDBDocumentClient; calls: string[] } {
  const db = createDocumentClient({ region: fx.config.aws.region, endpoint: fx.endpoint });
  const calls: string[] = [];
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      calls.push(name);
      if (name === 'TransactWriteItemsCommand' && faults.failTransactions > 0) {
        faults.failTransactions--;
        throw Object.assign(new Error('injected: the transaction call failed'), { name: 'InternalServerError' });
      }
      const input = args.input as { RequestItems?: Record<string, { Keys: unknown[] }> };
      const drop = name === 'BatchGetItemCommand' ? (faults.unprocessed.shift() ?? 0) : 0;
      if (drop === 0 || !input.RequestItems) return next(args);
      const [table, request] = Object.entries(input.RequestItems)[0]!;
      const kept = request.Keys.slice(0, request.Keys.length - drop);
      const left = request.Keys.slice(request.Keys.length - drop);
      // Every key unprocessed (DynamoDB answers so when throttled): DynamoDB Local refuses an empty key list, so the
      // answer is written here.
      const result =
        kept.length > 0
          ? await next({ ...args, input: { RequestItems: { [table]: { ...request, Keys: kept } } } })
          : { output: { Responses: { [table]: [] }, $metadata: {} }, response: {} };
      const output = result.output as { UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
      output.UnprocessedKeys = { [table]: { ...request, Keys: left } };
      return result;
    },
    { step: 'initialize', name: 'faults' },
  );
  return { db, calls };
}

let sessionCounter = 0;
function session(fx: Fixture): Session {
  sessionCounter++;
  const now = fx.clock.now();
  return {
    tokenHash: `batch-${process.pid}-${sessionCounter}`,
    userId: `user-${sessionCounter}`,
    email: `u${sessionCounter}@example.com`,
    displayName: `User ${sessionCounter}`,
    userCreatedAt: now,
    createdAt: now,
    expiresAt: now + 60 * MINUTE,
  };
}

/** An entry as read back (the store's reader names an absent admission; JSON drops it). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

let entryCounter = 0;
function entry(eventId: string, userId: string, number: number): QueueEntry {
  entryCounter++;
  return { eventId, userId, epoch: 1, number, lottery: false, joinedAt: 1_000 + entryCounter, state: 'WAITING' };
}

describe('batched session reads and join writes against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('batched-joins');
  });

  describe('session reads (BatchGetItem)', () => {
    it('150 concurrent reads, a third of them unknown tokens: each gets its own session or none, in 2 batch calls and no GetItem', async () => {
      const known = Array.from({ length: 100 }, () => session(fx));
      for (const s of known) await new DynamoSessionStore(fx.db, fx.tables).put(s);
      const { db, calls } = faultyClient(fx, { unprocessed: [], failTransactions: 0 });
      const store = new DynamoSessionStore(db, fx.tables, ONE_BATCH);
      const asked = [...known.map((s) => s.tokenHash), ...Array.from({ length: 50 }, (_, i) => `nobody-${i}`)];
      const answers = await Promise.all(asked.map((hash) => store.get(hash)));
      expect(answers.slice(0, 100)).to.deep.equal(known);
      expect(answers.slice(100).every((a) => a === undefined)).to.equal(true);
      expect(calls).to.deep.equal(['BatchGetItemCommand', 'BatchGetItemCommand']);
    });

    it('keys DynamoDB leaves unprocessed are asked again until answered; none is taken for a missing session', async () => {
      const known = Array.from({ length: 40 }, () => session(fx));
      for (const s of known) await new DynamoSessionStore(fx.db, fx.tables).put(s);
      const { db, calls } = faultyClient(fx, { unprocessed: [25, 10], failTransactions: 0 });
      const store = new DynamoSessionStore(db, fx.tables, ONE_BATCH);
      const answers = await Promise.all(known.map((s) => store.get(s.tokenHash)));
      expect(answers).to.deep.equal(known);
      expect(calls, '40 keys, then the 25 left over, then the 10 left over again').to.deep.equal([
        'BatchGetItemCommand',
        'BatchGetItemCommand',
        'BatchGetItemCommand',
      ]);
    });

    it('a key left unprocessed round after round: its read fails with an error (never left waiting); the other is answered', async () => {
      const [answered, starved] = [session(fx), session(fx)];
      for (const s of [answered!, starved!]) await new DynamoSessionStore(fx.db, fx.tables).put(s);
      const { db, calls } = faultyClient(fx, { unprocessed: [1, 1, 1, 1, 1, 1], failTransactions: 0 });
      const store = new DynamoSessionStore(db, fx.tables, ONE_BATCH);
      const [first, second] = await Promise.allSettled([store.get(answered!.tokenHash), store.get(starved!.tokenHash)]);
      expect(first).to.deep.equal({ status: 'fulfilled', value: answered });
      expect(second!.status === 'rejected' && (second!.reason as Error).message).to.match(/unprocessed/);
      expect(calls, 'bounded: six rounds, then the error').to.have.length(6);
    });
  });

  describe('join writes (one TransactWriteItems of conditional puts)', () => {
    it('one batch: 60 new accounts written in one call, each with its own place', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const { db, calls } = faultyClient(fx, { unprocessed: [], failTransactions: 0 });
      const store = new DynamoQueueStore(db, fx.tables, ONE_BATCH);
      const entries = Array.from({ length: 60 }, (_, i) => entry(performance.id, `one-batch-${i}`, i + 1));
      const results = await Promise.all(entries.map((e) => store.putEntry(e)));
      expect(results.every((r) => r.written)).to.equal(true);
      expect(calls).to.deep.equal(['TransactWriteItemsCommand']);
      for (const e of entries) expect(plain(await fx.queueStore.getEntry(performance.id, e.userId))).to.deep.equal(e);
    });

    it('a batch where some accounts already have places: those get their standing place back, the rest are written', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const standing = Array.from({ length: 5 }, (_, i) => entry(performance.id, `has-place-${i}`, 100 + i));
      for (const e of standing) expect((await fx.queueStore.putEntry(e)).written).to.equal(true);
      const { db, calls } = faultyClient(fx, { unprocessed: [], failTransactions: 0 });
      const store = new DynamoQueueStore(db, fx.tables, ONE_BATCH);
      const newcomers = Array.from({ length: 30 }, (_, i) => entry(performance.id, `newcomer-${i}`, 200 + i));
      const again = standing.map((e, i) => entry(performance.id, e.userId, 300 + i));
      const results = await Promise.all([...newcomers, ...again].map((e) => store.putEntry(e)));
      expect(results.slice(0, 30).every((r) => r.written)).to.equal(true);
      expect(plain(results.slice(30))).to.deep.equal(standing.map((e) => ({ written: false, existing: e })));
      expect(calls, 'cancelled once (naming the 5), then the 30 in one more call').to.deep.equal([
        'TransactWriteItemsCommand',
        'TransactWriteItemsCommand',
      ]);
      for (const e of [...newcomers, ...standing]) {
        expect(plain(await fx.queueStore.getEntry(performance.id, e.userId))).to.deep.equal(e);
      }
    });

    it('concurrent joins of one account, in one batch and from two instances: one place, and every loser is told it', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const storeA = new DynamoQueueStore(
        faultyClient(fx, { unprocessed: [], failTransactions: 0 }).db,
        fx.tables,
        ONE_BATCH,
      );
      const storeB = new DynamoQueueStore(
        faultyClient(fx, { unprocessed: [], failTransactions: 0 }).db,
        fx.tables,
        ONE_BATCH,
      );
      const accounts = Array.from({ length: 20 }, (_, i) => `contested-${i}`);
      let number = 0;
      const tries = accounts.flatMap((userId) =>
        [storeA, storeA, storeB, storeB].map((store) => {
          const e = entry(performance.id, userId, ++number);
          return store.putEntry(e).then((result) => ({ e, result }));
        }),
      );
      const outcomes = await Promise.all(tries);
      for (const userId of accounts) {
        const mine = outcomes.filter((o) => o.e.userId === userId);
        const stored = await fx.queueStore.getEntry(performance.id, userId);
        const winners = mine.filter((o) => o.result.written);
        expect(winners, `${userId}: one write wins`).to.have.length(1);
        expect(plain(stored)).to.deep.equal(winners[0]!.e);
        for (const loser of mine.filter((o) => !o.result.written)) {
          expect(loser.result, `${userId}: a loser gets the standing place`).to.deep.equal({
            written: false,
            existing: stored,
          });
        }
      }
    });

    it('a transaction call failing as a whole: every entry is still written (one by one) and answered', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const standing = entry(performance.id, 'failing-batch-standing', 1);
      await fx.queueStore.putEntry(standing);
      const { db, calls } = faultyClient(fx, { unprocessed: [], failTransactions: 1 });
      const store = new DynamoQueueStore(db, fx.tables, ONE_BATCH);
      const entries = Array.from({ length: 10 }, (_, i) => entry(performance.id, `failing-batch-${i}`, 10 + i));
      const results = await Promise.all(
        [...entries, entry(performance.id, standing.userId, 99)].map((e) => store.putEntry(e)),
      );
      expect(results.slice(0, 10).every((r) => r.written)).to.equal(true);
      expect(plain(results[10])).to.deep.equal({ written: false, existing: standing });
      expect(calls.filter((c) => c === 'PutItemCommand')).to.have.length(11);
      for (const e of entries) expect(plain(await fx.queueStore.getEntry(performance.id, e.userId))).to.deep.equal(e);
    });

    it('entry reads (claims, polls without a ticket): concurrent reads are one BatchGetItem, each answered with its own entry or none', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const standing = Array.from({ length: 20 }, (_, i) => entry(performance.id, `reader-${i}`, i + 1));
      for (const e of standing) await fx.queueStore.putEntry(e);
      const { db, calls } = faultyClient(fx, { unprocessed: [7], failTransactions: 0 });
      const store = new DynamoQueueStore(db, fx.tables, ONE_BATCH);
      const asked = [...standing.map((e) => e.userId), 'never-joined-1', 'never-joined-2'];
      const read = await Promise.all(asked.map((userId) => store.getEntry(performance.id, userId)));
      expect(plain(read.slice(0, 20))).to.deep.equal(standing);
      expect(read.slice(20)).to.deep.equal([undefined, undefined]);
      expect(calls, 'one batch, then the 7 keys left unprocessed').to.deep.equal([
        'BatchGetItemCommand',
        'BatchGetItemCommand',
      ]);
    });

    it('the waiting room over the batched store: 150 concurrent joins on two instances get 150 distinct places in a few calls', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      await fx.queue.tick(performance.id);
      await fx.queue.tick(performance.id);
      const other = anotherInstance(fx);
      expect(ENTRY_BATCH.maxSize).to.equal(100);
      const joins = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          (i % 2 === 0 ? fx.queue : other.queue).join(`served-${performance.id}-${i}`, performance.id),
        ),
      );
      const numbers = joins.map((j) => j.place.number);
      expect(new Set(numbers).size).to.equal(150);
      for (let i = 0; i < 150; i += 17) {
        const stored = await fx.queueStore.getEntry(performance.id, `served-${performance.id}-${i}`);
        expect(stored?.number).to.equal(numbers[i]);
      }
    });
  });
});
