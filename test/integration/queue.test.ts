import { expect } from 'chai';
import { lotteryPlaces, seedMatches } from '../../app/queue/lottery.js';
import { admissionMinuteAt, minuteClaimsOf } from '../../app/queue/release.js';
import { bucketOf } from '../../app/queue/rules.js';
import type { QueueService } from '../../app/queue/service.js';
import { MINUTE } from '../support/builders.js';
import { anotherInstance, createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent, countDynamoCalls } from '../support/queue.js';
import { refusal } from '../support/refusal.js';
import { seededRandom } from '../support/statistics.js';

/** Account ids: the queue takes the API's authenticated user id as given, so these tests need no sign-ups. */
let accountCounter = 0;
function users(_fx: Fixture, n: number, name: string): { userId: string }[] {
  accountCounter++;
  return Array.from({ length: n }, (_, i) => ({ userId: `${name}-${accountCounter}-${i}` }));
}

/** Moves the clock one second and lets the writer tick, `seconds` times. */
async function run(fx: Fixture, eventId: string, seconds: number, queue: QueueService = fx.queue) {
  for (let i = 0; i < seconds; i++) {
    fx.clock.advance(1_000);
    await queue.tick(eventId);
  }
}

describe('waiting room against DynamoDB Local', function () {
  this.timeout(180_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('queue');
  });
  beforeEach(() => {
    fx.dr.state = { active: false };
  });

  describe('join', () => {
    it('one place per account: 20 concurrent joins (tabs), a reload with its ticket and a join on another instance give one place', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const [user] = users(fx, 1, 'tabs');
      const joins = await Promise.all(Array.from({ length: 20 }, () => fx.queue.join(user!.userId, performance.id)));
      expect(new Set(joins.map((j) => j.place.number)).size).to.equal(1);
      const issued = async () => (await fx.queueStore.getCounter(performance.id, 1))?.issued;
      expect(await issued(), 'tabs on one instance share one join').to.equal(1);
      const counter = countDynamoCalls(fx);
      const reload = await fx.queue.join(user!.userId, performance.id, joins[0]!.ticket);
      expect(reload.place.number).to.equal(joins[0]!.place.number);
      expect(
        counter.calls.filter((c) => !c.endsWith(':STATE')),
        'a reload with its ticket writes nothing',
      ).to.deep.equal([]);
      // Another instance (no shared flight, no ticket): the conditional write refuses and returns the standing place.
      const elsewhere = anotherInstance(fx);
      expect((await elsewhere.queue.join(user!.userId, performance.id)).place.number).to.equal(joins[0]!.place.number);
      expect(await issued(), 'the number it took stays unused (a hole)').to.equal(2);
      expect((await fx.queueStore.getEntry(performance.id, user!.userId))?.number).to.equal(joins[0]!.place.number);
    });

    it('joins before the pre-queue time are refused with the opening time and Retry-After, nothing written', async () => {
      const now = fx.clock.now();
      const { performance } = await addQueuedEvent(fx, {
        preQueueOpensAt: now + 5 * MINUTE,
        opensAt: now + 9 * MINUTE,
      });
      await fx.queue.arm(performance.id);
      const [user] = users(fx, 1, 'early');
      const error = await refusal(fx.queue.join(user!.userId, performance.id));
      expect(error.code).to.equal('QUEUE_NOT_OPEN');
      expect(error.details?.retryAfter).to.equal(300);
      expect(await fx.queueStore.getEntry(performance.id, user!.userId)).to.equal(undefined);
      expect((await fx.queueStore.getCounter(performance.id, 1))?.issued).to.equal(0);
    });

    it('an unknown or unqueued event has no waiting room (NOT_FOUND)', async () => {
      const [user] = users(fx, 1, 'nowhere');
      expect((await refusal(fx.queue.join(user!.userId, 'perf-moonlight-garden'))).code).to.equal('NOT_FOUND');
      expect((await refusal(fx.queue.join(user!.userId, 'perf-nope'))).code).to.equal('NOT_FOUND');
    });
  });

  describe('the pre-queue lottery', () => {
    it('recorded join set: tickets in join order, drawn at opening by the committed seed; anyone can recompute every place', async () => {
      const now = fx.clock.now();
      const { performance } = await addQueuedEvent(fx, { preQueueOpensAt: now, opensAt: now + 5 * MINUTE });
      const armed = await fx.queue.arm(performance.id);
      const before = await fx.queue.status(performance.id);
      expect(before).to.deep.include({ phase: 'PRE_QUEUE', seedHash: armed.seedHash, committedAt: now });
      expect(before.seed).to.equal(undefined);

      const joiners = users(fx, 60, 'lot');
      const tickets: number[] = [];
      for (const user of joiners) {
        const { place } = await fx.queue.join(user.userId, performance.id);
        expect(place).to.deep.include({ status: 'PENDING_DRAW', lottery: true });
        tickets.push(place.number);
      }
      expect(tickets).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));

      fx.clock.set(now + 5 * MINUTE);
      await fx.queue.tick(performance.id);
      const after = await fx.queue.status(performance.id);
      expect(after).to.deep.include({ phase: 'OPEN', preQueueSize: 60, seedHash: armed.seedHash });
      expect(seedMatches(after.seed!, after.seedHash!)).to.equal(true);

      const expected = lotteryPlaces(after.seed!, 60);
      const positions = await Promise.all(
        joiners.map(async (user, i) => {
          const { place } = await fx.queue.place(user.userId, performance.id);
          expect(place.position, `ticket ${i + 1}`).to.equal(expected[i + 1]);
          return place.position!;
        }),
      );
      expect([...positions].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));

      const [late] = users(fx, 1, 'lot-late');
      const { place } = await fx.queue.join(late!.userId, performance.id);
      expect(place).to.deep.include({ lottery: false, position: 61, status: 'WAITING' });
    });

    it('a join that reads "pre-queue" after the draw already closed it becomes first come, first served (never a late ticket)', async () => {
      const now = fx.clock.now();
      const { performance } = await addQueuedEvent(fx, { preQueueOpensAt: now, opensAt: now + 5 * MINUTE });
      await fx.queue.arm(performance.id);
      const [a, b] = users(fx, 2, 'edge');
      await fx.queue.join(a!.userId, performance.id);
      // The draw happens (another instance's clock is ahead); this instance still believes it is the pre-queue.
      const draw = await fx.queueStore.draw(performance.id, 1, now + 1_000);
      expect(draw.size).to.equal(1);
      const { place } = await fx.queue.join(b!.userId, performance.id);
      expect(place).to.deep.include({ lottery: false, number: 2 });
      expect((await fx.queueStore.draw(performance.id, 1, now + 9_000)).at, 'the first draw stands').to.equal(
        now + 1_000,
      );
    });
  });

  describe('numbers in blocks', () => {
    it('three instances joining 150 accounts at once: every place unique, never above the counter, and later joins behind earlier ones', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      const instance = () => anotherInstance(fx).queue;
      const instances = [fx.queue, instance(), instance()];
      const joiners = users(fx, 150, 'blocks');
      const places = await Promise.all(
        joiners.map((user, i) => instances[i % 3]!.join(user.userId, performance.id).then((j) => j.place.number)),
      );
      expect(new Set(places).size, 'unique').to.equal(150);
      const issued = (await fx.queueStore.getCounter(performance.id, 1))!.issued;
      expect(Math.max(...places)).to.be.at.most(issued);
      // Blocks are handed out for at most a second: a join after that is behind every place taken before.
      fx.clock.advance(1_000);
      const [late] = users(fx, 1, 'blocks-late');
      const after = await instances[1]!.join(late!.userId, performance.id);
      expect(after.place.number).to.be.greaterThan(issued);
    });
  });

  describe('admission', () => {
    it('released strictly in line order at the set rate; a claim is admitted only once its place is released; budget never exceeded', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 60 });
      const joiners = users(fx, 20, 'fifo');
      for (const user of joiners) await fx.queue.join(user.userId, performance.id);
      const random = seededRandom(42);
      const admitted = new Map<string, number>();
      const aheadSeen = new Map<string, number>();
      const start = fx.clock.now();
      for (let second = 0; second < 15; second++) {
        await run(fx, performance.id, 1);
        const state = (await fx.queueStore.getState(performance.id, true))!;
        for (const user of [...joiners].sort(() => random() - 0.5)) {
          if (admitted.has(user.userId)) continue;
          const { place } = await fx.queue.place(user.userId, performance.id);
          if (place.ahead !== undefined) {
            expect(place.ahead, 'ahead never grows').to.be.at.most(aheadSeen.get(user.userId) ?? Infinity);
            aheadSeen.set(user.userId, place.ahead);
          }
          try {
            const grant = await fx.queue.claim(user.userId, performance.id);
            expect(grant.position, 'admitted only once released').to.be.at.most(state.serving);
            admitted.set(user.userId, grant.position);
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (place.position! > state.serving) expect(code).to.equal('NOT_YOUR_TURN');
            else expect(code).to.equal('RATE_LIMITED');
          }
        }
        const after = (await fx.queueStore.getState(performance.id, true))!;
        expect(after.claimed, 'claims ≤ budget').to.be.at.most(after.allowed);
        expect(after.claimed).to.equal(admitted.size);
      }
      const elapsedMinutes = (fx.clock.now() - start) / 60_000;
      expect(admitted.size).to.be.within(12, Math.floor(60 * elapsedMinutes));
      // Every admitted place lies within the released prefix, which only ever grew in line order.
      const state = (await fx.queueStore.getState(performance.id, true))!;
      for (const position of admitted.values()) expect(position).to.be.at.most(state.serving);
    });

    it('claiming is idempotent: 10 concurrent claims and a repeat give one token and count one admission', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 600 });
      const [user] = users(fx, 1, 'claim');
      await fx.queue.join(user!.userId, performance.id);
      await run(fx, performance.id, 2);
      const grants = await Promise.all(Array.from({ length: 10 }, () => fx.queue.claim(user!.userId, performance.id)));
      expect(new Set(grants.map((g) => g.token)).size).to.equal(1);
      expect((await fx.queue.claim(user!.userId, performance.id)).token).to.equal(grants[0]!.token);
      expect((await fx.queueStore.getState(performance.id, true))!.claimed).to.equal(1);
      expect((await fx.queueStore.getEntry(performance.id, user!.userId))?.state).to.equal('ADMITTED');
    });

    it('a released place never claimed expires after the window: TURN_EXPIRED, counted as a no-show; re-joining goes to the back', async () => {
      const { performance } = await addQueuedEvent(fx, {
        opensAt: fx.clock.now(),
        admitPerMinute: 600,
        admissionWindowMinutes: 1,
      });
      const [sleeper, other] = users(fx, 2, 'sleep');
      const first = await fx.queue.join(sleeper!.userId, performance.id);
      await fx.queue.join(other!.userId, performance.id);
      await run(fx, performance.id, 2);
      expect((await fx.queue.place(sleeper!.userId, performance.id)).place.status).to.equal('YOUR_TURN');
      await run(fx, performance.id, 90);
      const error = await refusal(fx.queue.claim(sleeper!.userId, performance.id));
      expect(error.code).to.equal('TURN_EXPIRED');
      expect((await fx.queue.place(sleeper!.userId, performance.id)).place.status).to.equal('TURN_EXPIRED');
      expect((await fx.queue.stats(performance.id)).noShows).to.equal(2);
      const again = await fx.queue.join(sleeper!.userId, performance.id);
      expect(again.place.number).to.be.greaterThan(first.place.number);
      expect(again.place.status).to.be.oneOf(['WAITING', 'YOUR_TURN']);
    });

    it('admission minutes counted from the opening, each claim in the minute of its own clock: held-up claims leave no extra budget to the next minutes, which admit exactly the rate; a claim on a new minute is counted before the writer ticks; a claim in a full minute is refused with nothing written', async () => {
      const opensAt = fx.clock.now();
      const { performance } = await addQueuedEvent(fx, { opensAt, admitPerMinute: 60 });
      const joiners = users(fx, 200, 'minute');
      for (const user of joiners) await fx.queue.join(user.userId, performance.id);
      // Minute 1: the writer releases and grants budget, but no claim gets through (held up in front of the API).
      await run(fx, performance.id, 59);
      let state = (await fx.queueStore.getState(performance.id, true))!;
      expect(state.claimed).to.equal(0);
      expect(state.minuteClaims).to.deep.equal({});
      expect(state.allowed, 'unused budget carried (the burst)').to.be.greaterThan(0);
      const directClaim = async (userId: string, tokenId: string) => {
        const entry = (await fx.queueStore.getEntry(performance.id, userId))!;
        return fx.queueStore.claim({
          entry,
          position: entry.number,
          bucketAt: bucketOf(state, entry.number)!.at,
          region: state.writerRegion,
          epoch: state.epoch,
          tokenId,
          now: fx.clock.now(),
          expiresAt: fx.clock.now() + MINUTE,
          minute: admissionMinuteAt(opensAt, fx.clock.now()),
          perMinute: 60,
        });
      };

      // The first millisecond of minute 2, the writer not ticked since minute 1: counted, in minute 2 (key "1").
      fx.clock.advance(1_000);
      expect(await directClaim(joiners[0]!.userId, 'on-the-minute')).to.equal('ADMITTED');
      state = (await fx.queueStore.getState(performance.id, true))!;
      expect([state.claimed, state.minuteClaims]).to.deep.equal([1, { 1: 1 }]);

      // Minutes 2 and 3: every released waiter claims every second (the held-up claims arriving at once).
      const admitted = new Set<string>([joiners[0]!.userId]);
      const perMinute = [1, 0];
      let refusedInFullMinute = false;
      for (let second = 0; second < 120; second++) {
        await fx.queue.tick(performance.id);
        const minute = admissionMinuteAt(opensAt, fx.clock.now()) - 1;
        state = (await fx.queueStore.getState(performance.id, true))!;
        // Joined one by one, so the i-th joiner holds place i + 1: only released waiters come to the door.
        const waiting = joiners.slice(0, state.serving).filter((user) => !admitted.has(user.userId));
        if (!refusedInFullMinute && minuteClaimsOf(state, minute + 1) === 60 && state.claimed < state.allowed) {
          // Budget left, but this minute holds the rate: the store refuses and writes nothing.
          expect(await directClaim(waiting[0]!.userId, 'full-minute')).to.equal('NO_BUDGET');
          const after = (await fx.queueStore.getState(performance.id, true))!;
          expect([after.claimed, after.minuteClaims, after.buckets]).to.deep.equal([
            state.claimed,
            state.minuteClaims,
            state.buckets,
          ]);
          expect((await fx.queueStore.getEntry(performance.id, waiting[0]!.userId))!.state).to.equal('WAITING');
          refusedInFullMinute = true;
        }
        for (const user of waiting) {
          try {
            await fx.queue.claim(user.userId, performance.id);
            admitted.add(user.userId);
            perMinute[minute]!++;
          } catch (error) {
            expect((error as { code?: string }).code).to.equal('RATE_LIMITED');
          }
        }
        fx.clock.advance(1_000);
      }
      state = (await fx.queueStore.getState(performance.id, true))!;
      expect(state.claimed).to.equal(admitted.size);
      expect(refusedInFullMinute, 'a minute filled while budget was left').to.equal(true);
      // Without the minute bound the unused budget of minute 1 (up to 10 s of the rate) was admitted on top; with the
      // minute kept by the writer's ticks, each minute lost the claims of its first second or so.
      expect(perMinute[0], 'minute 2').to.equal(60);
      expect(perMinute[1], 'minute 3').to.equal(60);
    });

    it('budget used up: the refused claim write returns why (no read) and changes nothing; later claims are refused RATE_LIMITED without I/O until the next tick', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 60 });
      const joiners = users(fx, 10, 'budget');
      const tickets = new Map<string, string>();
      for (const user of joiners) tickets.set(user.userId, (await fx.queue.join(user.userId, performance.id)).ticket);
      await run(fx, performance.id, 3);
      let state = (await fx.queueStore.getState(performance.id, true))!;
      const released = joiners.filter((_, i) => i + 1 <= state.serving);
      expect(released.length, 'the lead releases more than the budget').to.be.greaterThan(state.allowed + 1);
      for (const user of released.slice(0, state.allowed)) await fx.queue.claim(user.userId, performance.id);
      state = (await fx.queueStore.getState(performance.id, true))!;
      expect(state.claimed).to.equal(state.allowed);

      // The store's own refusal: one conditional write, refused, and its returned item says why.
      const late = released[state.allowed]!;
      const entry = (await fx.queueStore.getEntry(performance.id, late.userId))!;
      const bucket = bucketOf(state, entry.number)!;
      const counter = countDynamoCalls(fx);
      const outcome = await fx.queueStore.claim({
        entry,
        position: entry.number,
        bucketAt: bucket.at,
        region: state.writerRegion,
        epoch: state.epoch,
        tokenId: 'refused-token',
        now: fx.clock.now(),
        expiresAt: fx.clock.now() + MINUTE,
        minute: 0,
        perMinute: 60,
      });
      expect(outcome).to.equal('NO_BUDGET');
      expect(counter.calls).to.deep.equal(['UpdateItemCommand:STATE']);
      const after = (await fx.queueStore.getState(performance.id, true))!;
      expect([after.claimed, after.buckets.find((b) => b.at === bucket.at)!.claims]).to.deep.equal([
        state.claimed,
        bucket.claims,
      ]);
      expect((await fx.queueStore.getEntry(performance.id, late.userId))!.state).to.equal('WAITING');

      // The service: refused with a Retry-After within 1–8 s, reading nothing but the (here uncached) queue state.
      counter.reset();
      const refused = await refusal(fx.queue.claim(late.userId, performance.id, tickets.get(late.userId)));
      expect(refused.code).to.equal('RATE_LIMITED');
      expect(refused.details).to.deep.include({ reason: 'ADMISSION_BUDGET' });
      expect(refused.details?.retryAfter).to.be.within(1, 8);
      expect(counter.calls.filter((c) => !c.startsWith('GetItemCommand:STATE'))).to.deep.equal([]);
      expect((await fx.queueStore.getEntry(performance.id, late.userId))!.state).to.equal('WAITING');

      await run(fx, performance.id, 1);
      expect((await fx.queue.claim(late.userId, performance.id, tickets.get(late.userId))).position).to.equal(
        entry.number,
      );
    });

    it('pause keeps joins but releases and admits nobody; resume continues; close refuses joins and claims', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 600 });
      const [a, b, c] = users(fx, 3, 'pause');
      await fx.queue.join(a!.userId, performance.id);
      await run(fx, performance.id, 1);
      await fx.queue.setControl(performance.id, 'PAUSED');
      const paused = (await fx.queueStore.getState(performance.id, true))!;
      await fx.queue.join(b!.userId, performance.id);
      await run(fx, performance.id, 10);
      const still = (await fx.queueStore.getState(performance.id, true))!;
      expect([still.serving, still.allowed]).to.deep.equal([paused.serving, paused.allowed]);
      expect((await refusal(fx.queue.claim(a!.userId, performance.id))).details).to.deep.include({ paused: true });
      expect((await fx.queue.status(performance.id)).phase).to.equal('PAUSED');

      await fx.queue.setControl(performance.id, 'ACTIVE');
      await run(fx, performance.id, 2);
      expect((await fx.queue.claim(b!.userId, performance.id)).position).to.equal(2);

      await fx.queue.setControl(performance.id, 'CLOSED');
      expect((await refusal(fx.queue.join(c!.userId, performance.id))).code).to.equal('QUEUE_CLOSED');
      expect((await refusal(fx.queue.claim(a!.userId, performance.id))).code).to.equal('QUEUE_CLOSED');
      expect(await fx.queueStore.getEntry(performance.id, c!.userId)).to.equal(undefined);
    });
  });

  describe('the writer', () => {
    it('two instances ticking at the same instant: one tick wins, the budget grows once', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 600 });
      const second = anotherInstance(fx);
      await fx.queue.tick(performance.id);
      await fx.queue.tick(performance.id);
      const before = (await fx.queueStore.getState(performance.id, true))!;
      fx.clock.advance(1_000);
      const outcomes = await Promise.all([fx.queue.tick(performance.id), second.queue.tick(performance.id)]);
      expect(outcomes.filter((o) => o === 'TICKED')).to.have.length(1);
      const after = (await fx.queueStore.getState(performance.id, true))!;
      expect(after.allowed - before.allowed).to.equal(10);
      expect(after.tickAt).to.equal(fx.clock.now());
    });

    it('a region that is not the writer takes no joins and does not tick (no fail-open into the standby)', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() });
      await fx.queue.arm(performance.id);
      const [user] = users(fx, 1, 'standby');
      fx.dr.state = { active: true, since: fx.clock.now() };
      expect(await fx.queue.tick(performance.id)).to.equal('NOT_WRITER');
      const error = await refusal(fx.queue.join(user!.userId, performance.id));
      expect(error.code).to.equal('UNAVAILABLE');
      expect(await fx.queueStore.getEntry(performance.id, user!.userId)).to.equal(undefined);
    });

    it('the state item stays small: buckets older than the window and samples older than 80 s are dropped', async () => {
      const { performance } = await addQueuedEvent(fx, {
        opensAt: fx.clock.now(),
        admitPerMinute: 300,
        admissionWindowMinutes: 1,
      });
      const joiners = users(fx, 1_000, 'size');
      for (let i = 0; i < joiners.length; i += 50) {
        await Promise.all(joiners.slice(i, i + 50).map((user) => fx.queue.join(user.userId, performance.id)));
      }
      await run(fx, performance.id, 150);
      const state = (await fx.queueStore.getState(performance.id, true))!;
      expect(state.serving).to.be.greaterThan(700);
      expect(state.buckets.length).to.be.at.most(8);
      expect(state.history.length).to.be.at.most(17);
      const { Item } = await fx.db.send(
        new (await import('@aws-sdk/lib-dynamodb')).GetCommand({
          TableName: fx.tables.queue,
          Key: { pk: `QUEUE#${performance.id}`, sk: 'STATE' },
        }),
      );
      expect(JSON.stringify(Item).length).to.be.below(4_000);
    });
  });

  describe('polling', () => {
    it('a poll with a genuine ticket reads no entry from DynamoDB; without one it reads the entry and returns a ticket', async () => {
      const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() });
      const [user, stranger] = users(fx, 2, 'poll');
      const { ticket } = await fx.queue.join(user!.userId, performance.id);
      const counter = countDynamoCalls(fx);
      const withTicket = await fx.queue.place(user!.userId, performance.id, ticket);
      const entryReads = () => counter.calls.filter((c) => c.includes('ENTRY'));
      expect(entryReads()).to.deep.equal([]);
      expect(withTicket.place.status).to.be.oneOf(['WAITING', 'YOUR_TURN']);
      const without = await fx.queue.place(user!.userId, performance.id);
      expect(entryReads()).to.have.length(1);
      expect(without.ticket).to.be.a('string');
      // Someone else's ticket is worthless: the stranger is answered from their own (missing) entry.
      expect((await refusal(fx.queue.place(stranger!.userId, performance.id, ticket))).code).to.equal('NOT_IN_QUEUE');
    });
  });
});
