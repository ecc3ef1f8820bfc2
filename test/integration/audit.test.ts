import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';

describe('Audit trail against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('audit');
  });

  /** What the store reads back as an entity's trail (audit table entries and the record its item carries). */
  async function auditOf(entityId: string): Promise<Record<string, unknown>[]> {
    return (await fx.store.auditTrail(entityId)).map((entry) => ({ ...entry }));
  }

  async function auditItemsOf(entityId: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await fx.db.send(
      new QueryCommand({
        TableName: fx.tables.audit,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${entityId}` },
      }),
    );
    return Items;
  }

  it('hold → confirm → cancel leaves HOLD_CREATED, RESERVATION_CONFIRMED, RESERVATION_CANCELLED with actor, region and time', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 20 * DAY);
    const alice = await signUp(fx, 'audit');
    const heldAt = fx.clock.now();
    const hold = await fx.booking.hold(alice.userId, slot.id, ['1F-B-4-4']);
    fx.clock.advance(60_000);
    const confirmedAt = fx.clock.now();
    const reservation = await fx.booking.confirm(alice.userId, hold.holdId);
    fx.clock.advance(60_000);
    const cancelledAt = fx.clock.now();
    await fx.booking.cancel(alice.userId, reservation.reservationId);

    const holdTrail = await auditOf(hold.holdId);
    const reservationTrail = await auditOf(reservation.reservationId);

    const pick = (e: Record<string, unknown>) => [e.action, e.actorUserId, e.region, e.at, e.from ?? null, e.to];
    expect(holdTrail.map(pick)).to.deep.equal([
      ['HOLD_CREATED', alice.userId, 'ap-northeast-2', heldAt, null, 'HOLDING'],
    ]);
    expect(reservationTrail.map(pick)).to.deep.equal([
      ['RESERVATION_CONFIRMED', alice.userId, 'ap-northeast-2', confirmedAt, 'HOLDING', 'CONFIRMED'],
      ['RESERVATION_CANCELLED', alice.userId, 'ap-northeast-2', cancelledAt, 'CONFIRMED', 'CANCELLED'],
    ]);
    expect(reservationTrail[0]?.details).to.deep.equal({ holdId: hold.holdId, total: 142_000 });
    expect(reservationTrail[1]?.details).to.deep.equal({ refundTotal: 142_000 });
    expect(holdTrail[0]?.details).to.deep.equal({ seatIds: ['1F-B-4-4'] });
    // The two creation records ride on the hold and reservation items; every later change has its own audit item.
    expect((await auditItemsOf(hold.holdId)).map((e) => e.action)).to.deep.equal([]);
    expect((await auditItemsOf(reservation.reservationId)).map((e) => e.action)).to.deep.equal([
      'RESERVATION_CANCELLED',
    ]);
  });

  it('a creation record written to the audit table by an earlier version is read once, not twice', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 22 * DAY);
    const carol = await signUp(fx, 'audit-old');
    const hold = await fx.booking.hold(carol.userId, slot.id, ['1F-B-4-8']);
    const reservation = await fx.booking.confirm(carol.userId, hold.holdId);
    const [created] = await fx.store.auditTrail(hold.holdId);
    const [confirmed] = await fx.store.auditTrail(reservation.reservationId);
    for (const entry of [created!, confirmed!]) {
      await fx.db.send(
        new PutCommand({
          TableName: fx.tables.audit,
          Item: {
            pk: `AUDIT#${entry.entityId}`,
            sk: `${new Date(entry.at).toISOString()}#${entry.action}#old`,
            ...entry,
          },
        }),
      );
    }
    expect((await fx.store.auditTrail(hold.holdId)).map((e) => e.action)).to.deep.equal(['HOLD_CREATED']);
    expect((await fx.store.auditTrail(reservation.reservationId)).map((e) => e.action)).to.deep.equal([
      'RESERVATION_CONFIRMED',
    ]);
  });

  it('a hold item is kept (no TTL): it is its creation audit record', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 23 * DAY);
    const dan = await signUp(fx, 'audit-ttl');
    const hold = await fx.booking.hold(dan.userId, slot.id, ['1F-B-4-9']);
    const { Item } = await fx.db.send(
      new GetCommand({ TableName: fx.tables.bookings, Key: { pk: `HOLD#${hold.holdId}`, sk: 'HOLD' } }),
    );
    expect(Item).to.include({ holdId: hold.holdId, userId: dan.userId });
    expect(Item).not.to.have.property('ttl');
  });

  it('releasing a hold and replacing a hold are audited too (HOLD_RELEASED, HOLD_REPLACED)', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 21 * DAY);
    const bob = await signUp(fx, 'audit-rel');
    const first = await fx.booking.hold(bob.userId, slot.id, ['1F-B-4-6']);
    const second = await fx.booking.hold(bob.userId, slot.id, ['1F-B-4-7']);
    await fx.booking.release(bob.userId, second.holdId);

    const actions = async (id: string) => (await auditOf(id)).map((e) => [e.action, e.actorUserId, e.to]);
    expect(await actions(first.holdId)).to.have.deep.members([
      ['HOLD_CREATED', bob.userId, 'HOLDING'],
      ['HOLD_REPLACED', bob.userId, 'RELEASED'],
    ]);
    expect(await actions(second.holdId)).to.have.deep.members([
      ['HOLD_CREATED', bob.userId, 'HOLDING'],
      ['HOLD_RELEASED', bob.userId, 'RELEASED'],
    ]);
  });
});
