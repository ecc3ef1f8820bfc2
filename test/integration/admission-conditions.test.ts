import { expect } from 'chai';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { keys } from '../../app/adapters/dynamodb/keys.js';
import { admissionConfirmUpdate, admissionHoldUpdate } from '../../app/adapters/dynamodb/queue-conditions.js';
import { admissionServesConfirm, admissionServesHold, type AdmissionRecord } from '../../app/queue/rules.js';
import type { AdmissionUse } from '../../app/booking/ports.js';
import { createFixture, type Fixture } from '../support/fixture.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const MIN = 60_000;

const records: Record<string, AdmissionRecord | undefined> = {
  missing: undefined,
  waiting: { state: 'WAITING' },
  'admitted, t1, 0 used': { state: 'ADMITTED', tokenId: 't1', holdsUsed: 0, admissionExpiresAt: T0 + 5 * MIN },
  'admitted, t1, 2 used': { state: 'ADMITTED', tokenId: 't1', holdsUsed: 2, admissionExpiresAt: T0 + 5 * MIN },
  'admitted, t1, at the cap': { state: 'ADMITTED', tokenId: 't1', holdsUsed: 3, admissionExpiresAt: T0 + 5 * MIN },
  'admitted, t1, window over': { state: 'ADMITTED', tokenId: 't1', holdsUsed: 0, admissionExpiresAt: T0 },
  'admitted under another token': { state: 'ADMITTED', tokenId: 't0', holdsUsed: 0, admissionExpiresAt: T0 + MIN },
  'done (confirmed)': { state: 'DONE', tokenId: 't1', holdsUsed: 1, admissionExpiresAt: T0 + 5 * MIN },
  expired: { state: 'EXPIRED' },
};

/**
 * The DynamoDB condition and the pure rule must agree on every case: the same record and the same use either both
 * allow the write or both refuse it, and a refusal writes nothing.
 */
describe('admission gate: the DynamoDB conditions mirror queue/rules.ts', function () {
  this.timeout(60_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('admission-conditions');
  });

  const eventId = 'perf-mirror';
  let userCounter = 0;
  async function seed(record: AdmissionRecord | undefined): Promise<string> {
    const userId = `mirror-${++userCounter}`;
    const key = keys.queueEntry(eventId, userId);
    await fx.db.send(new DeleteCommand({ TableName: fx.tables.queue, Key: key }));
    if (record) {
      await fx.db.send(
        new PutCommand({
          TableName: fx.tables.queue,
          Item: {
            ...key,
            eventId,
            userId,
            epoch: 1,
            number: 7,
            lottery: false,
            joinedAt: T0 - MIN,
            ...(record.tokenId ? { admissionPosition: 7, admissionEpoch: 1, admittedAt: T0 } : {}),
            ...record,
          },
        }),
      );
    }
    return userId;
  }
  const read = async (userId: string) =>
    (await fx.db.send(new GetCommand({ TableName: fx.tables.queue, Key: keys.queueEntry(eventId, userId) }))).Item;
  const attempt = async (item: ReturnType<typeof admissionHoldUpdate>[]) => {
    try {
      await fx.db.send(new TransactWriteCommand({ TransactItems: item }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  };
  const use = (userId: string, fromOlderEpoch: boolean): AdmissionUse => ({
    eventId,
    userId,
    tokenId: 't1',
    cap: 3,
    now: T0 + MIN,
    expiresAt: T0 + 9 * MIN,
    epoch: 1,
    position: 42,
    fromOlderEpoch,
  });

  for (const fromOlderEpoch of [false, true]) {
    for (const [name, record] of Object.entries(records)) {
      const label = `${fromOlderEpoch ? 'older-epoch token' : 'token'} vs ${name}`;

      it(`hold: ${label} — same verdict; allowed counts exactly one hold, refused writes nothing`, async () => {
        const userId = await seed(record);
        const before = await read(userId);
        const expected = admissionServesHold(record, { ...use(userId, fromOlderEpoch) });
        expect(await attempt([admissionHoldUpdate(fx.tables.queue, use(userId, fromOlderEpoch))])).to.equal(expected);
        const after = await read(userId);
        if (!expected) return expect(after).to.deep.equal(before);
        expect(after?.holdsUsed).to.equal(((before?.holdsUsed as number | undefined) ?? 0) + 1);
        expect(after?.state).to.equal('ADMITTED');
        // An admission that already stood changes by its count, nothing else.
        if (before?.state === 'ADMITTED') {
          expect(after).to.deep.equal({ ...before, holdsUsed: (before.holdsUsed as number) + 1 });
        }
        // A recreated admission is a readable entry for the waiting room, with the token's place and expiry.
        const entry = await fx.queueStore.getEntry(eventId, userId);
        expect(entry?.admission?.tokenId).to.equal('t1');
        if (!before) expect(entry).to.deep.include({ number: 42, epoch: 1 });
      });

      it(`confirm: ${label} — same verdict; allowed closes the admission (DONE), refused writes nothing`, async () => {
        const userId = await seed(record);
        const before = await read(userId);
        const expected = admissionServesConfirm(record, use(userId, fromOlderEpoch));
        expect(await attempt([admissionConfirmUpdate(fx.tables.queue, use(userId, fromOlderEpoch))])).to.equal(
          expected,
        );
        const after = await read(userId);
        if (!expected) return expect(after).to.deep.equal(before);
        expect(after?.state).to.equal('DONE');
        expect(await attempt([admissionHoldUpdate(fx.tables.queue, use(userId, fromOlderEpoch))])).to.equal(false);
      });
    }
  }
});
