import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { AdmissionGrant } from '../../app/queue/service.js';
import { ADMISSION_CLAIMS, signAdmission, unverifiedAdmissionClaims } from '../../app/queue/admission-token.js';
import { TOKEN_KINDS, TokenSigner } from '../../app/queue/signed-token.js';
import type { DomainError } from '../../app/shared/errors.js';
import { addSlot, DAY, MINUTE, MOONLIGHT, signUp } from '../support/builders.js';
import { anotherInstance, createFixture, TEST_ADMISSION_KEY, type Fixture } from '../support/fixture.js';
import { addQueuedEvent, countDynamoCalls } from '../support/queue.js';
import { refusal } from '../support/refusal.js';
import { request, serveApi } from '../support/servers.js';

const SEATS = ['1F-B-5-7', '1F-B-5-8'];
const signer = new TokenSigner(TEST_ADMISSION_KEY);
const claimsOf = (token: string) => unverifiedAdmissionClaims(token)!;

/**
 * The gate inside the hold and confirm transactions (DynamoDB Local): every way of using an admission token that
 * is not this account's live admission for this event is refused, and a refusal writes nothing — no seat, no hold,
 * no count against the admission, no payment.
 */
describe('admission gate on holds and confirms against DynamoDB Local', function () {
  this.timeout(180_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('admission-gate');
  });

  /** An open queued event (cap 2 holds per admission), its slot, and an account admitted with a token. */
  async function admitted(options: { cap?: number } = {}) {
    const event = await addQueuedEvent(fx, {
      opensAt: fx.clock.now() - MINUTE,
      admitPerMinute: 6_000,
      maxHoldsPerAdmission: options.cap ?? 2,
    });
    const user = await signUp(fx, 'gate');
    await fx.queue.join(user.userId, event.performance.id);
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(event.performance.id);
    }
    const grant = await fx.queue.claim(user.userId, event.performance.id);
    return { ...event, user, grant };
  }

  /** What a refused call must leave untouched: the slot's seats, the account's hold pointer, its admission item. */
  async function snapshot(scheduleId: string, userId: string, eventId: string) {
    const [seats, pointer, entry] = await Promise.all([
      fx.store.seatRecords(scheduleId),
      fx.store.activeHoldOf(userId),
      fx.queueStore.getEntry(eventId, userId),
    ]);
    return { seats, pointer, entry };
  }

  async function refusedWithNothingWritten(
    context: { scheduleId: string; userId: string; eventId: string },
    call: () => Promise<unknown>,
  ): Promise<DomainError> {
    const before = await snapshot(context.scheduleId, context.userId, context.eventId);
    const error = await refusal(call());
    expect(await snapshot(context.scheduleId, context.userId, context.eventId)).to.deep.equal(before);
    return error;
  }

  it('the admitted account holds with its token: the hold is written and counted on the admission in the same transaction', async () => {
    const { performance, scheduleId, user, grant } = await admitted();
    const hold = await fx.booking.hold(user.userId, scheduleId, SEATS, grant.token);
    expect(hold.seats.map((s) => s.seatId)).to.deep.equal(SEATS);
    expect((await fx.queueStore.getEntry(performance.id, user.userId))?.admission?.holdsUsed).to.equal(1);
  });

  describe('attack classes: refused, nothing written', () => {
    it('1. no token for a queued performance → ADMISSION_REQUIRED (MISSING)', async () => {
      const { performance, scheduleId, user } = await admitted();
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'MISSING']);
    });

    it('2. another account uses the token → ADMISSION_REQUIRED (WRONG_ACCOUNT)', async () => {
      const { performance, scheduleId, grant } = await admitted();
      const thief = await signUp(fx, 'thief');
      const error = await refusedWithNothingWritten({ scheduleId, userId: thief.userId, eventId: performance.id }, () =>
        fx.booking.hold(thief.userId, scheduleId, SEATS, grant.token),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'WRONG_ACCOUNT']);
    });

    it('3. the token of another event → ADMISSION_REQUIRED (WRONG_EVENT)', async () => {
      const first = await admitted();
      const other = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
      await fx.queue.arm(other.performance.id);
      const error = await refusedWithNothingWritten(
        { scheduleId: other.scheduleId, userId: first.user.userId, eventId: other.performance.id },
        () => fx.booking.hold(first.user.userId, other.scheduleId, SEATS, first.grant.token),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'WRONG_EVENT']);
    });

    it('4. after the token expired → ADMISSION_REQUIRED (EXPIRED)', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      fx.clock.set(grant.expiresAt);
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, grant.token),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'EXPIRED']);
    });

    it('5. replayed after confirm: confirm closed the admission, the transaction refuses → ADMISSION_EXHAUSTED (USED)', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const hold = await fx.booking.hold(user.userId, scheduleId, SEATS, grant.token);
      await fx.booking.confirm(user.userId, hold.holdId, grant.token);
      expect((await fx.queueStore.getEntry(performance.id, user.userId))?.state).to.equal('DONE');
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, ['1F-B-6-1'], grant.token),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_EXHAUSTED', 'USED']);
    });

    it('6. payload tampered (later expiry, kept MAC) → ADMISSION_REQUIRED (MALFORMED)', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const claims = claimsOf(grant.token);
      const mac = grant.token.slice(grant.token.lastIndexOf('.') + 1);
      const forged = `${TOKEN_KINDS.admission}.${ADMISSION_CLAIMS.encode({ ...claims, exp: claims.exp + DAY })}.${mac}`;
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, forged),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'MALFORMED']);
    });

    it('7. MAC tampered → ADMISSION_REQUIRED (MALFORMED)', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const forged = grant.token.slice(0, -4) + (grant.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, forged),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'MALFORMED']);
    });

    it('8. forged with another key (right claims, wrong signer) → ADMISSION_REQUIRED (MALFORMED)', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const forged = signAdmission(new TokenSigner(randomBytes(32)), claimsOf(grant.token));
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, forged),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'MALFORMED']);
    });

    it('9. the queue ticket passed off as an admission token → ADMISSION_REQUIRED (MALFORMED)', async () => {
      const { performance, scheduleId, user } = await admitted();
      const { ticket } = await fx.queue.join(user.userId, performance.id);
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, ticket),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'MALFORMED']);
    });

    it('10. from a closed queue (the operator closed the on-sale) → QUEUE_CLOSED', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      await fx.queue.setControl(performance.id, 'CLOSED');
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, grant.token),
      );
      expect(error.code).to.equal('QUEUE_CLOSED');
    });

    it('11. a genuinely signed token of a superseded admission (other token id) → the transaction refuses: ADMISSION_REQUIRED', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const stale = signAdmission(signer, { ...claimsOf(grant.token), tid: 'an-earlier-admission' });
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, SEATS, stale),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'NOT_ADMITTED']);
    });

    it('12. a genuinely signed token for an account still waiting (e.g. a leaked key) → the admission item refuses it', async () => {
      const { performance, scheduleId } = await admitted();
      const waiting = await signUp(fx, 'waiting');
      await fx.queue.join(waiting.userId, performance.id);
      const forged = signAdmission(signer, {
        sub: waiting.userId,
        evt: performance.id,
        pos: 1,
        ep: 1,
        iat: fx.clock.now(),
        exp: fx.clock.now() + 10 * MINUTE,
        tid: 'minted-by-an-attacker',
      });
      const error = await refusedWithNothingWritten(
        { scheduleId, userId: waiting.userId, eventId: performance.id },
        () => fx.booking.hold(waiting.userId, scheduleId, SEATS, forged),
      );
      expect([error.code, error.details?.reason]).to.deep.equal(['ADMISSION_REQUIRED', 'NOT_ADMITTED']);
    });

    it('13. the hold cap: with a cap of 2 the third hold is refused → ADMISSION_EXHAUSTED (HOLD_LIMIT)', async () => {
      const { performance, scheduleId, user, grant } = await admitted({ cap: 2 });
      await fx.booking.hold(user.userId, scheduleId, ['1F-B-7-1'], grant.token);
      await fx.booking.hold(user.userId, scheduleId, ['1F-B-7-2'], grant.token);
      const error = await refusedWithNothingWritten({ scheduleId, userId: user.userId, eventId: performance.id }, () =>
        fx.booking.hold(user.userId, scheduleId, ['1F-B-7-3'], grant.token),
      );
      expect([error.code, error.details?.reason, error.details?.cap]).to.deep.equal([
        'ADMISSION_EXHAUSTED',
        'HOLD_LIMIT',
        2,
      ]);
      expect((await fx.queueStore.getEntry(performance.id, user.userId))?.admission?.holdsUsed).to.equal(2);
    });

    it('14. a hold refused for a taken seat does not use up the admission (cap 1: the next hold still works)', async () => {
      const first = await admitted({ cap: 1 });
      await fx.booking.hold(first.user.userId, first.scheduleId, ['1F-B-9-1'], first.grant.token);
      const rival = await signUp(fx, 'rival');
      await fx.queue.join(rival.userId, first.performance.id);
      for (let i = 0; i < 2; i++) {
        fx.clock.advance(1_000);
        await fx.queue.tick(first.performance.id);
      }
      const rivalGrant = await fx.queue.claim(rival.userId, first.performance.id);
      const conflict = await refusal(fx.booking.hold(rival.userId, first.scheduleId, ['1F-B-9-1'], rivalGrant.token));
      expect(conflict.code).to.equal('SEATS_UNAVAILABLE');
      expect((await fx.queueStore.getEntry(first.performance.id, rival.userId))?.admission?.holdsUsed).to.equal(0);
      await fx.booking.hold(rival.userId, first.scheduleId, ['1F-B-9-2'], rivalGrant.token);
      expect((await fx.queueStore.getEntry(first.performance.id, rival.userId))?.admission?.holdsUsed).to.equal(1);
    });

    it('15. confirm without the token, or with another account’s: refused before any charge; the hold stays payable', async () => {
      const { performance, scheduleId, user, grant } = await admitted();
      const hold = await fx.booking.hold(user.userId, scheduleId, SEATS, grant.token);
      const other = await admitted();
      for (const token of [undefined, other.grant.token]) {
        const error = await refusedWithNothingWritten(
          { scheduleId, userId: user.userId, eventId: performance.id },
          () => fx.booking.confirm(user.userId, hold.holdId, token),
        );
        expect(error.code).to.equal('ADMISSION_REQUIRED');
      }
      expect((await fx.store.getHold(hold.holdId))?.status).to.equal('HOLDING');
      const reservation = await fx.booking.confirm(user.userId, hold.holdId, grant.token);
      expect(reservation.status).to.equal('CONFIRMED');
    });
  });

  it('no extra DynamoDB call: a gated hold makes exactly the calls of an ungated one (the gate rides in the transaction)', async () => {
    const { scheduleId, user, grant } = await admitted({ cap: 5 });
    // An API as deployed: the queue state is shared from a 1 s cache (the fixture's own API caches nothing).
    const deployed = anotherInstance(fx, { queueStateCacheMs: undefined });
    const plain = await signUp(fx, 'plain');
    const plainSlot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 25 * DAY);
    // Warm both paths (catalog and queue-state caches) so only the hold's own calls are counted.
    await deployed.booking.hold(user.userId, scheduleId, ['1F-A-1-1'], grant.token);
    await deployed.booking.hold(plain.userId, plainSlot.id, ['1F-A-1-1']);
    const counter = countDynamoCalls(deployed);
    await deployed.booking.hold(user.userId, scheduleId, ['1F-A-1-2'], grant.token);
    const gated = [...counter.calls];
    counter.reset();
    await deployed.booking.hold(plain.userId, plainSlot.id, ['1F-A-1-2']);
    const ungated = [...counter.calls];
    expect(gated.map((c) => c.split(':')[0])).to.deep.equal(ungated.map((c) => c.split(':')[0]));
    // Each measured hold replaces the warm-up hold: the no-live-hold try (refused, it returns the pointer), then the
    // replacing write. The gate adds neither.
    expect(gated.filter((c) => c.startsWith('TransactWriteItems'))).to.have.length(2);
  });

  it('over HTTP: the token travels in the hold and confirm bodies; a refusal is 403 with its code', async () => {
    const server = await serveApi(fx);
    try {
      const { scheduleId, user, grant } = await admitted();
      const missing = await request(server.url, 'POST', '/v1/holds', {
        token: user.token,
        body: { scheduleId, seatIds: SEATS },
      });
      expect([missing.status, missing.body.error.code]).to.deep.equal([403, 'ADMISSION_REQUIRED']);
      const held = await request(server.url, 'POST', '/v1/holds', {
        token: user.token,
        body: { scheduleId, seatIds: SEATS, admissionToken: grant.token },
      });
      expect(held.status).to.equal(201);
      const paid = await request(server.url, 'POST', `/v1/holds/${held.body.hold.holdId}/confirm`, {
        token: user.token,
        body: { admissionToken: (grant as AdmissionGrant).token },
      });
      expect([paid.status, paid.body.reservation.status]).to.deep.equal([201, 'CONFIRMED']);
    } finally {
      await server.close();
    }
  });
});
