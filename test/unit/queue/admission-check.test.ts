import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { CatalogReader, DrStateSource } from '../../../app/booking/ports.js';
import { demoPerformances } from '../../../app/catalog/index.js';
import type { Performance } from '../../../app/catalog/types.js';
import { signAdmission } from '../../../app/queue/admission-token.js';
import { armedQueueState, type QueueState } from '../../../app/queue/model.js';
import type { QueueStore } from '../../../app/queue/ports.js';
import { QueueService } from '../../../app/queue/service.js';
import { TokenSigner } from '../../../app/queue/signed-token.js';
import { ManualClock } from '../../../app/shared/clock.js';
import { DomainError } from '../../../app/shared/errors.js';
import { kstDateOf } from '../../../app/shared/time.js';

const T0 = Date.parse('2026-12-01T11:00:00Z');
const MIN = 60_000;
const SEOUL = 'ap-northeast-2';

/**
 * The gate's check runs on every hold and confirm of a queued performance, so it must stay what the issue asks: a
 * token verified without I/O, against the instance's cached queue state and nothing else (no catalog read, no DR
 * read), whatever the phase asks of it.
 */
describe('QueueService.admissionFor (the hold gate’s check, no I/O beyond the cached queue state)', () => {
  const template = demoPerformances(kstDateOf(T0), T0).find((p) => p.onSale?.queue)!;
  const performance: Performance = {
    ...template,
    id: 'perf-gate-check',
    status: 'ACTIVE',
    onSale: { ...template.onSale!, preQueueOpensAt: T0 - 10 * MIN, opensAt: T0 - 5 * MIN, maxHoldsPerAdmission: 2 },
  };
  const signer = new TokenSigner(randomBytes(32));
  const token = (userId = 'user-a', exp = T0 + 10 * MIN) =>
    signAdmission(signer, { sub: userId, evt: performance.id, pos: 7, ep: 1, iat: T0, exp, tid: 'tid-1' });

  /** `null`: the queue was never armed (no state item). */
  function gate(stateOverrides: Partial<QueueState> | null = {}) {
    const clock = new ManualClock(T0);
    const reads = { state: 0 };
    const state: QueueState | undefined =
      stateOverrides === null
        ? undefined
        : {
            ...armedQueueState({
              eventId: performance.id,
              writerRegion: SEOUL,
              seed: 's',
              seedHash: 'h',
              committedAt: T0 - MIN,
            }),
            draw: { at: T0 - 5 * MIN, size: 0 },
            ...stateOverrides,
          };
    const refuse = () => Promise.reject(new Error('the gate must not read this'));
    const catalog: CatalogReader = {
      listPerformances: refuse,
      getPerformance: refuse,
      getVenue: refuse,
      getSchedule: refuse,
      listSchedules: refuse,
    };
    const drState: DrStateSource = { current: refuse };
    const store = {
      getState: async () => {
        reads.state++;
        return state;
      },
    } as unknown as QueueStore;
    const queue = new QueueService({
      catalog,
      store,
      clock,
      drState,
      signer,
      settings: { region: SEOUL, primaryRegion: SEOUL },
      stateCacheMs: 1_000,
    });
    return { queue, clock, reads };
  }

  it('verifies a genuine token with no catalog or DR read and one queue-state read per cache interval', async () => {
    const { queue, clock, reads } = gate();
    for (let i = 0; i < 5; i++) {
      const use = await queue.admissionFor(performance, 'user-a', token());
      expect(use).to.deep.include({ eventId: performance.id, userId: 'user-a', tokenId: 'tid-1', cap: 2, now: T0 });
    }
    expect(reads.state).to.equal(1);
    clock.advance(1_000);
    await queue.admissionFor(performance, 'user-a', token());
    expect(reads.state).to.equal(2);
  });

  it('a performance sold without a queue needs no token and reads nothing', async () => {
    const { queue, reads } = gate();
    expect(await queue.admissionFor({ ...performance, onSale: undefined }, 'user-a', undefined)).to.equal(undefined);
    expect(reads.state).to.equal(0);
  });

  it('a paused queue still honours an admitted token (admitted users finish); a closed one refuses: QUEUE_CLOSED', async () => {
    expect(await gate({ control: 'PAUSED' }).queue.admissionFor(performance, 'user-a', token())).to.not.equal(
      undefined,
    );
    const closed = await gate({ control: 'CLOSED' })
      .queue.admissionFor(performance, 'user-a', token())
      .catch((e: unknown) => e);
    expect(closed).to.be.instanceOf(DomainError).and.to.have.property('code', 'QUEUE_CLOSED');
  });

  const refusals: [string, () => Promise<unknown>, string, string?][] = [
    [
      'the performance is no longer active',
      () => gate().queue.admissionFor({ ...performance, status: 'INACTIVE' }, 'user-a', token()),
      'NOT_FOUND',
    ],
    ['the queue is not armed yet', () => gate(null).queue.admissionFor(performance, 'user-a', token()), 'NOT_ON_SALE'],
    ['no token', () => gate().queue.admissionFor(performance, 'user-a', undefined), 'ADMISSION_REQUIRED', 'MISSING'],
    [
      'another account’s token',
      () => gate().queue.admissionFor(performance, 'user-b', token()),
      'ADMISSION_REQUIRED',
      'WRONG_ACCOUNT',
    ],
    [
      'an expired token',
      () => gate().queue.admissionFor(performance, 'user-a', token('user-a', T0)),
      'ADMISSION_REQUIRED',
      'EXPIRED',
    ],
  ];
  for (const [name, call, code, reason] of refusals) {
    it(`refused when ${name}: ${code}${reason ? ` (${reason})` : ''}`, async () => {
      const error = await call().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DomainError).and.to.have.property('code', code);
      if (reason) expect((error as DomainError).details?.reason).to.equal(reason);
    });
  }
});
