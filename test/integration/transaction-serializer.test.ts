import type { TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { addSlot, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent } from '../support/queue.js';
import { expectSameRequest, sentBothWays } from '../support/serializer-equivalence.js';

/**
 * The hold path's transactions, serialised by `JSON.stringify` (transaction-serializer.ts), are what the SDK's schema
 * serialiser would have sent: every TransactWriteItems the booking flows send to DynamoDB Local — a hold, a hold that
 * replaces the account's previous one, a gated hold and its confirm (admission items), a plain confirm, a cancel — is
 * recorded, written by our serialiser (DynamoDB Local accepted it: the flows succeed), then sent again both ways
 * through a recording client and compared byte for byte in the SDK's member order, with every header.
 */
describe('the hold, confirm and gate transactions as our serialiser writes them (DynamoDB Local)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  const sent: TransactWriteItemsCommandInput[] = [];
  const RECORDER = 'serializerEquivalenceRecorder';

  before(async () => {
    fx = await createFixture('transaction-serializer');
    fx.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          sent.push(structuredClone(args.input as TransactWriteItemsCommandInput));
        }
        return next(args);
      },
      { step: 'initialize', name: RECORDER },
    );
  });
  after(() => void fx.db.middlewareStack.remove(RECORDER));

  it('every booking flow’s transaction: accepted by DynamoDB Local, and the same request the SDK would send', async () => {
    const user = await signUp(fx, '직렬화');
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
    const first = await fx.booking.hold(user.userId, slot.id, ['1F-B-5-7']);
    const replacing = await fx.booking.hold(user.userId, slot.id, ['1F-B-5-8', '1F-B-5-9', '1F-B-5-10']);
    expect(replacing.holdId).to.not.equal(first.holdId);
    const reservation = await fx.booking.confirm(user.userId, replacing.holdId);
    await fx.booking.cancel(user.userId, reservation.reservationId);

    const event = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE, admitPerMinute: 6_000 });
    const fan = await signUp(fx, 'gate');
    await fx.queue.join(fan.userId, event.performance.id);
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(event.performance.id);
    }
    const grant = await fx.queue.claim(fan.userId, event.performance.id);
    const gated = await fx.booking.hold(fan.userId, event.scheduleId, ['1F-A-1-1', '1F-A-1-2'], grant.token);
    await fx.booking.confirm(fan.userId, gated.holdId, grant.token);

    const wire = sent.filter((input) => JSON.stringify(input).includes('"S":"HOLD#'));
    expect(wire.length, 'hold, replacing hold, confirm, cancel, gated hold, gated confirm').to.be.at.least(6);
    const queueTable = fx.tables.queue;
    expect(
      wire.filter((input) => input.TransactItems?.some((item) => item.Update?.TableName === queueTable)).length,
      'the gated hold and confirm carry the admission item',
    ).to.equal(2);
    for (const input of wire) {
      const { sdk, own } = await sentBothWays(input.TransactItems ?? []);
      expectSameRequest(own, sdk);
    }
  });
});
