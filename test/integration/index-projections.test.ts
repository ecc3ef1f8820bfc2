import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createDynamoClient } from '../../app/adapters/dynamodb/client.js';
import { itemsNamedBy } from '../../app/adapters/dynamodb/index-items.js';
import { addSlot, DAY, MOONLIGHT, signUp } from '../support/builders.js';
import { anotherInstance, createFixture, type Fixture } from '../support/fixture.js';

/**
 * liveHolds projects keys only (a whole copy of every hold was a write on the hold path; its reader, DR recovery, is
 * rare and fetches the items); byUser projects ALL ("my reservations" in one round trip). Whichever the table
 * definition says, the readers must answer what the items say, in the index's order.
 */
describe('bookings index projections, against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let day = 40;
  const slot = () => addSlot(fx, MOONLIGHT, fx.clock.now() + day++ * DAY);

  before(async () => {
    fx = await createFixture('index-projections');
  });

  it('the local bootstrap creates byUser projecting ALL and liveHolds projecting KEYS_ONLY', async () => {
    const client = createDynamoClient({ region: fx.config.aws.region, endpoint: fx.endpoint });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: fx.tables.bookings }));
    const projections = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection?.ProjectionType]),
    );
    expect(projections).to.deep.equal({ byUser: 'ALL', liveHolds: 'KEYS_ONLY' });
  });

  it('my reservations lists full reservations newest first across pages, and a cancelled one lists as cancelled', async () => {
    const user = await signUp(fx, 'index-list');
    const made = [];
    for (const seat of ['1F-A-1-1', '1F-A-1-2', '1F-A-1-3']) {
      const hold = await fx.booking.hold(user.userId, (await slot()).id, [seat]);
      made.push(await fx.booking.confirm(user.userId, hold.holdId));
      fx.clock.advance(1000);
    }
    const other = anotherInstance(fx).booking;
    const first = await other.myReservations(user.userId, { limit: 2 });
    const second = await other.myReservations(user.userId, { limit: 2, cursor: first.reservations.nextCursor });
    const listed = [...first.reservations.items, ...second.reservations.items];
    expect(listed).to.deep.equal([...made].reverse());

    await fx.booking.cancel(user.userId, made[0]!.reservationId);
    const after = await other.myReservations(user.userId, { limit: 10 });
    expect(after.reservations.items.map((r) => [r.reservationId, r.status])).to.deep.equal([
      [made[2]!.reservationId, 'CONFIRMED'],
      [made[1]!.reservationId, 'CONFIRMED'],
      [made[0]!.reservationId, 'CANCELLED'],
    ]);
  });

  it('itemsNamedBy reads more than one BatchGetItem of keys, keeps the index order and leaves out items gone since', async () => {
    const entries = Array.from({ length: 230 }, (_, i) => ({ pk: `IDXTEST#${String(i).padStart(3, '0')}`, sk: 'X' }));
    const order = [...entries].reverse();
    await Promise.all(
      entries
        .filter((_, i) => i % 7 !== 0) // every 7th item is "gone"
        .map((key, i) => fx.db.send(new PutCommand({ TableName: fx.tables.bookings, Item: { ...key, n: i } }))),
    );
    const items = await itemsNamedBy(fx.db, fx.tables.bookings, order);
    const expected = order.filter((e) => Number(e.pk.slice(-3)) % 7 !== 0).map((e) => e.pk);
    expect(items.map((i) => i.pk)).to.deep.equal(expected);
    expect(items.every((i) => typeof i.n === 'number')).to.equal(true);
  });
});
