import { expect } from 'chai';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../app/adapters/dynamodb/keys.js';
import type { ComposedApi } from '../../app/compose.js';
import { QueueService } from '../../app/queue/service.js';
import { TokenSigner } from '../../app/queue/signed-token.js';
import { checkAdmission } from '../../app/queue/admission-token.js';
import { createFixture, TEST_ADMISSION_KEY, type Fixture } from '../support/fixture.js';
import { addQueuedEvent } from '../support/queue.js';
import { refusal } from '../support/refusal.js';

const SEOUL = 'ap-northeast-2';
const TOKYO = 'ap-northeast-1';

/**
 * The failover epoch rule, with Seoul and Tokyo as two API object graphs over one DynamoDB Local (the global
 * table). Replication lag is simulated by removing from the shared tables what Tokyo would not have received.
 */
describe('waiting room across a failover (epoch rule)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let tokyo: Pick<ComposedApi, 'queue' | 'queueStore'>;
  before(async () => {
    fx = await createFixture('queue-failover');
    // Tokyo's waiting room over the same tables (the global table), serving from ap-northeast-1.
    tokyo = {
      queueStore: fx.queueStore,
      queue: new QueueService({
        catalog: fx.catalog,
        store: fx.queueStore,
        clock: fx.clock,
        drState: fx.dr,
        signer: new TokenSigner(TEST_ADMISSION_KEY),
        settings: { region: TOKYO, primaryRegion: SEOUL },
        stateCacheMs: 0,
      }),
    };
  });

  const tick = async (api: Pick<ComposedApi, 'queue'>, eventId: string, seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      fx.clock.advance(1_000);
      await api.queue.tick(eventId);
    }
  };

  it('admissions pause in the impaired primary, resume in Tokyo under a new epoch; no (epoch, number) is issued twice; lost joins re-join behind', async () => {
    fx.dr.state = { active: false };
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 120 });
    const eventId = performance.id;
    const accounts = Array.from({ length: 30 }, (_, i) => `fo-${i}`);
    const tickets = new Map<string, string>();
    for (const userId of accounts) tickets.set(userId, (await fx.queue.join(userId, eventId)).ticket);
    await tick(fx, eventId, 5);
    const admitted = await fx.queue.claim('fo-0', eventId);
    const aheadInSeoul = (await fx.queue.place('fo-20', eventId)).place.ahead!;

    // Replication lag: the last five joins and fo-0's claim never reached Tokyo.
    for (const userId of accounts.slice(25)) {
      await fx.db.send(new DeleteCommand({ TableName: fx.tables.queue, Key: keys.queueEntry(eventId, userId) }));
    }
    await fx.db.send(
      new UpdateCommand({
        TableName: fx.tables.queue,
        Key: keys.queueCounter(eventId, 1),
        UpdateExpression: 'SET seq = :seen',
        ExpressionAttributeValues: { ':seen': 25 },
      }),
    );
    await fx.db.send(
      new UpdateCommand({
        TableName: fx.tables.queue,
        Key: keys.queueEntry(eventId, 'fo-0'),
        UpdateExpression:
          'SET #state = :waiting REMOVE tokenId, admissionPosition, admissionEpoch, admittedAt, admissionExpiresAt, holdsUsed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':waiting': 'WAITING' },
      }),
    );

    // The failover: Seoul is no longer the writer (it takes no joins and releases nothing) ...
    fx.dr.state = { active: true, since: fx.clock.now() };
    expect(await fx.queue.tick(eventId)).to.equal('NOT_WRITER');
    expect((await refusal(fx.queue.join('fo-new-seoul', eventId))).code).to.equal('UNAVAILABLE');
    expect((await refusal(fx.queue.claim('fo-1', eventId))).code).to.equal('UNAVAILABLE');

    // ... and Tokyo takes over with a new epoch starting after the highest number it has seen.
    expect(await tokyo.queue.tick(eventId)).to.equal('TOOK_OVER');
    const state = (await tokyo.queueStore.getState(eventId, true))!;
    expect(state).to.deep.include({ epoch: 2, writerRegion: TOKYO, epochBase: 25 });
    expect(state.epochEnds).to.deep.equal({ '1': 25 });

    // Waiters Tokyo knows keep their place (never further back); the lost ones are told to re-join, and do.
    expect((await tokyo.queue.place('fo-20', eventId)).place.ahead).to.be.at.most(aheadInSeoul);
    const issued = new Set<string>();
    for (const userId of accounts.slice(0, 25)) {
      const entry = (await tokyo.queueStore.getEntry(eventId, userId))!;
      issued.add(`${entry.epoch}:${entry.number}`);
    }
    for (const userId of accounts.slice(25)) {
      const lost = await refusal(tokyo.queue.place(userId, eventId, tickets.get(userId)));
      expect([lost.code, lost.details?.rejoin]).to.deep.equal(['NOT_IN_QUEUE', true]);
      const { place } = await tokyo.queue.join(userId, eventId);
      expect(place.epoch).to.equal(2);
      expect(place.number).to.be.greaterThan(25);
      issued.add(`${place.epoch}:${place.number}`);
    }
    // A ticket of a lost epoch-1 number (26..30) that did replicate late is refused, never honoured.
    const lateTicket = tickets.get('fo-29')!;
    expect(await tokyo.queue.placeByTicket(eventId, lateTicket)).to.equal(undefined);
    expect(issued.size).to.equal(30);
    // Numbers 26..30 exist in epoch 1 (Seoul's lost joins) and epoch 2 (Tokyo's re-joins): distinct places.
    expect([...issued].filter((p) => p.startsWith('2:'))).to.have.length(5);

    // The Seoul token still verifies in Tokyo (shared key), as a token of an older epoch.
    const use = await tokyo.queue.admissionFor(performance, 'fo-0', admitted.token);
    expect(use).to.deep.include({ fromOlderEpoch: true, epoch: 1, position: admitted.position });
    expect(
      checkAdmission(new TokenSigner(TEST_ADMISSION_KEY), admitted.token, {
        userId: 'fo-0',
        eventId,
        now: fx.clock.now(),
      }).ok,
    ).to.equal(true);

    // Tokyo resumes admitting, ramping up from a tenth of the rate (its capacity is still scaling out).
    await tick(tokyo, eventId, 10);
    const resumed = (await tokyo.queueStore.getState(eventId, true))!;
    expect(resumed.allowed - state.allowed).to.be.within(1, Math.ceil((120 / 60) * 10 * 0.2));
    expect((await tokyo.queue.claim('fo-1', eventId)).position).to.be.a('number');
  });

  it('an entry that never reached the new writer, though its number did, is restored from the account’s ticket: the place stands', async () => {
    fx.dr.state = { active: false };
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 600 });
    const eventId = performance.id;
    const first = await fx.queue.join('restore-0', eventId);
    await fx.queue.join('restore-1', eventId);
    await fx.db.send(new DeleteCommand({ TableName: fx.tables.queue, Key: keys.queueEntry(eventId, 'restore-0') }));
    await tick(fx, eventId, 3);
    // Without the ticket the account is simply not in line; with it, its place (number 1) is restored and admitted.
    expect((await refusal(fx.queue.claim('restore-0', eventId))).code).to.equal('NOT_IN_QUEUE');
    const grant = await fx.queue.claim('restore-0', eventId, first.ticket);
    expect(grant.position).to.equal(first.place.position);
    expect((await fx.queueStore.getEntry(eventId, 'restore-0'))?.state).to.equal('ADMITTED');
    // Someone else's ticket restores nothing for another account.
    await fx.db.send(new DeleteCommand({ TableName: fx.tables.queue, Key: keys.queueEntry(eventId, 'restore-1') }));
    expect((await refusal(fx.queue.claim('restore-1', eventId, first.ticket))).code).to.equal('NOT_IN_QUEUE');
  });
});
