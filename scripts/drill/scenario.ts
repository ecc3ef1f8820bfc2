import { DynamoDrStateStore } from '../../app/adapters/dr/dynamo-dr-state.js';
import { DynamoBookingStore } from '../../app/adapters/dynamodb/booking-store.js';
import { DynamoCatalog } from '../../app/adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../../app/adapters/dynamodb/client.js';
import { tableNamesFor } from '../../app/adapters/dynamodb/tables.js';
import { DEEP_HEALTH_PATH, HEALTH_PATH } from '../../app/shared/load-balancing.js';
import { FailbackRefused, failback, unrecoveredHoldsIn, type FailbackPort } from '../failback/procedure.js';
import { call, type Answer } from './http.js';
import { RegionDeployment } from './region.js';
import { DrillViolation, Timeline, expectThat, type TimelineEntry } from './timeline.js';
import { LocalTraffic } from './traffic.js';
import { DrillWaitingRoom } from './waiting-room.js';

/**
 * The failover drill on one machine. One DynamoDB Local started with -sharedDb stands in for the global tables
 * (replication is instant here; in AWS it is typically under a second); "seoul" and "tokyo" are the real app (web +
 * API) in child processes with their own region labels; the DR state is the replicated control-table item, written
 * by the same store and conditions the failover workflow and the failback command use; Route53's failover routing is
 * modelled with the infrastructure's gate thresholds (traffic.ts). A scripted user books through the JSON API.
 *
 *   seoul up → user A holds seats in seoul → seoul killed mid-booking → DR activated (once; since kept) → failback
 *   refused while seoul is down → tokyo up → A finds the hold DR_RECOVERED → B cannot take the seats during the grace
 *   (past A's own hold expiry) → A pays → DR_RESERVED → seoul restarted: refuses writes, traffic stays on tokyo →
 *   failback (hand-over, end of DR, unpin) → seoul writes again, tokyo refuses, A's reservation intact → tokyo down.
 * The waiting room rides along (waiting-room.ts): Q is admitted in seoul (epoch 1); while seoul is down and DR not yet
 * active nobody admits; tokyo takes over with epoch 2, Q holds and pays there with the seoul token (a replay is
 * refused), a new joiner is admitted under epoch 2; the restarted seoul admits nobody.
 *
 * Every expectation that fails is a violation and ends the drill.
 */
export const SEOUL = 'ap-northeast-2';
export const TOKYO = 'ap-northeast-1';

export interface DrillOptions {
  /** A DynamoDB Local started with -sharedDb. */
  readonly dynamoEndpoint: string;
  /** The hold's own lifetime; short so the drill can show protection lasting past it (the grace). */
  readonly holdSeconds?: number;
  readonly graceSeconds?: number;
  readonly log?: (line: string) => void;
}

export interface DrillResult {
  readonly timeline: readonly TimelineEntry[];
  readonly violation?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const CACHE_SECONDS = 1;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    expectThat(Date.now() < deadline, `${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const healthy = async (base: string) => (await call(base, 'GET', DEEP_HEALTH_PATH)).status === 200;
/** Like Route53's checkers: probes repeat (a cold or busy process may miss the deep probe's 1 s once). */
async function healthyWithin(base: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    if (await healthy(base)) return true;
    await sleep(200);
  } while (Date.now() < deadline);
  return false;
}
const becomesHealthy = async (name: string, base: string) =>
  expectThat(await healthyWithin(base, 30_000), `${name} ${DEEP_HEALTH_PATH} did not answer 200 within 30 s`);

export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const t = new Timeline(options.log);
  const holdSeconds = options.holdSeconds ?? 6;
  const graceSeconds = options.graceSeconds ?? 180;
  const prefix = `drill-${process.pid}-${Date.now().toString(36)}`;
  // One waiting-room key for both regions, as the operator stores it in SSM in each (Seoul's tokens verify in Tokyo).
  const admissionKey = DrillWaitingRoom.newKey();
  const tables = tableNamesFor(prefix);
  const env = (region: string, bootstrap: boolean): Record<string, string> => ({
    MEGATICKET_ROLE: 'all',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    WEB_PORT: '0',
    API_PORT: '0',
    AWS_REGION: region,
    PRIMARY_REGION: SEOUL,
    DYNAMODB_MODE: 'external',
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    TABLE_PREFIX: prefix,
    BOOTSTRAP_TABLES: String(bootstrap),
    DR_STATE_SOURCE: 'dynamodb',
    DR_STATE_CACHE_SECONDS: String(CACHE_SECONDS),
    HOLD_SECONDS: String(holdSeconds),
    DR_GRACE_SECONDS: String(graceSeconds),
    ASSISTANT_MODE: 'offline',
    ADMISSION_KEY: admissionKey,
    LOG_LEVEL: 'silent',
  });
  // The same item both regions read; the drill's "workflow" writes it from Tokyo, as the real one does.
  const standby = new DynamoDrStateStore(
    createDocumentClient({ region: TOKYO, endpoint: options.dynamoEndpoint }),
    tables.control,
    'drill:failover-workflow',
  );
  const seoulReplica = new DynamoDrStateStore(
    createDocumentClient({ region: SEOUL, endpoint: options.dynamoEndpoint }),
    tables.control,
    'drill:seoul',
  );
  const tokyoDb = createDocumentClient({ region: TOKYO, endpoint: options.dynamoEndpoint });
  const bookings = new DynamoBookingStore(tokyoDb, tables, new DynamoCatalog(tokyoDb, tables));
  const traffic = new LocalTraffic();
  const running: RegionDeployment[] = [];
  const start = async (name: string, region: string, bootstrap: boolean) => {
    const deployment = await RegionDeployment.start(name, env(region, bootstrap));
    running.push(deployment);
    return deployment;
  };
  let seoul: RegionDeployment | undefined;
  let tokyo: RegionDeployment | undefined;
  const port = (): FailbackPort => ({
    standby,
    primaryReplica: seoulReplica,
    primaryHealthy: async () => {
      const ok = seoul !== undefined && (await healthyWithin(seoul.webUrl, 3000));
      return { healthy: ok, detail: ok ? `${DEEP_HEALTH_PATH} 200` : `${DEEP_HEALTH_PATH} does not answer` };
    },
    failoverRunning: async () => false, // the drill's activation is synchronous
    unrecoveredHolds: (since) => unrecoveredHoldsIn(bookings, since, SEOUL),
    unpinTraffic: async () => traffic.unpin(),
  });

  try {
    seoul = await t.step('seoul (primary) starts: tables, catalog, web + API', () => start('seoul', SEOUL, true));
    await t.step('seoul healthy: /health, /health/deep; it is the writer', async () => {
      expectThat((await call(seoul!.webUrl, 'GET', HEALTH_PATH)).status === 200, 'seoul web /health is not 200');
      await becomesHealthy('seoul', seoul!.webUrl);
      const dr = (await call(seoul!.apiUrl, 'GET', '/v1/dr')).body;
      expectThat(dr?.writer === 'primary' && dr.acceptsWrites === true, `seoul /v1/dr: ${JSON.stringify(dr)}`);
      expectThat(traffic.route(true) === 'primary', 'traffic does not go to seoul while it is healthy');
    });

    // A booking starts in Seoul.
    const signup = async (base: string, name: string) => {
      const email = `${name}-${Date.now().toString(36)}@drill.example`;
      const answer = await call(base, 'POST', '/v1/auth/signup', { body: { email, password: 'drill password 1234' } });
      expectThat(answer.status === 201, `${name} sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.token as string;
    };
    const alice = await t.step('user A signs up in seoul', () => signup(seoul!.apiUrl, 'drill-a'));
    const room = await DrillWaitingRoom.create({
      dynamoEndpoint: options.dynamoEndpoint,
      tablePrefix: prefix,
      admissionKey,
      regions: { primary: SEOUL, standby: TOKYO },
    });
    const quinn = await t.step('user Q signs up in seoul', () => signup(seoul!.apiUrl, 'drill-q'));
    const seoulAdmission = await t.step(
      'waiting room: Q joins the on-sale in seoul and is admitted (epoch 1)',
      async () => {
        const admitted = await room.admit(seoul!.apiUrl, SEOUL, quinn);
        expectThat(admitted.epoch === 1, `Q's admission epoch ${admitted.epoch}`);
        return admitted;
      },
      (a) => `token of epoch ${a.epoch}`,
    );
    const { scheduleId, seatIds } = await t.step(
      'user A picks a show and two free seats',
      async () => {
        const performances = (await call(seoul!.apiUrl, 'GET', '/v1/performances')).body.performances as {
          id: string;
          onSale?: { queue: boolean };
        }[];
        // A show sold without a waiting room (the on-sale has its own steps).
        const show = performances.find((p) => !p.onSale?.queue);
        expectThat(show, 'no performance sold without a waiting room');
        const slots = (await call(seoul!.apiUrl, 'GET', `/v1/performances/${show.id}/schedules`)).body.schedules as {
          id: string;
          available: number;
        }[];
        const slot = slots.find((s) => s.available >= 4);
        expectThat(slot, 'no show slot with free seats');
        const seats = (await call(seoul!.apiUrl, 'GET', `/v1/schedules/${slot.id}/seats`)).body.seatMap.seats as {
          seatId: string;
          state: string;
        }[];
        const free = seats.filter((s) => s.state === 'available').map((s) => s.seatId);
        return { scheduleId: slot.id, seatIds: free.slice(0, 2) };
      },
      (r) => `${r.scheduleId} ${r.seatIds.join(', ')}`,
    );
    const hold: Answer = await t.step(
      'user A holds them in seoul (HOLDING)',
      async () => {
        const answer = await call(seoul!.apiUrl, 'POST', '/v1/holds', { token: alice, body: { scheduleId, seatIds } });
        expectThat(
          answer.status === 201 && answer.body.hold.status === 'HOLDING' && answer.body.hold.region === SEOUL,
          `hold in seoul: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
        return answer;
      },
      (a) => `hold ${a.body.hold.holdId}, expires in ${holdSeconds} s`,
    );
    const holdId = hold.body.hold.holdId as string;
    const holdExpiresAt = hold.body.hold.expiresAt as number;

    // The outage.
    await t.step('seoul is killed mid-booking (SIGKILL: web and API)', () => seoul!.kill());
    await t.step('detection: seoul’s deep health path stops answering', async () => {
      expectThat(!(await healthy(seoul!.webUrl)), 'seoul still answers after being killed');
      expectThat(traffic.route(false) === 'standby', 'DNS would not answer with tokyo while seoul is down');
    });
    await t.step('waiting room: seoul down, DR not yet active → tokyo admits nobody (no fail-open)', async () => {
      const tick = await room.tick(TOKYO);
      expectThat(tick === 'NOT_WRITER', `tokyo's admitter: ${tick}`);
    });
    const since = await t.step(
      'failover workflow: DR state written once, traffic pinned to tokyo',
      async () => {
        const state = await standby.activate(Date.now());
        traffic.pin();
        const again = await standby.activate(Date.now() + 60_000);
        expectThat(again.since === state.since, 'a second activation moved since (the grace would restart)');
        expectThat(state.since! < holdExpiresAt, 'setup: the hold had already expired when DR began');
        return state.since!;
      },
      (s) => `since ${new Date(s).toISOString()}; a re-run kept it`,
    );
    await t.step('failback while seoul is down is refused and changes nothing', async () => {
      let refused: FailbackRefused | undefined;
      await failback(port(), { settleMs: 0, replicationTimeoutMs: 1000 }).catch((e: unknown) => {
        if (!(e instanceof FailbackRefused)) throw e;
        refused = e;
      });
      expectThat(refused, 'failback ran while seoul was down');
      expectThat(
        refused.reasons.some((r) => r.includes('not healthy')),
        `refusal reasons: ${refused.reasons.join(' | ')}`,
      );
      expectThat((await standby.current()).since === since, 'a refused failback changed the DR state');
    });

    tokyo = await t.step('tokyo (standby) launches: web + API from the replicated tables', () =>
      start('tokyo', TOKYO, false),
    );
    await t.step('tokyo healthy and the writer; DNS answers with tokyo', async () => {
      await becomesHealthy('tokyo', tokyo!.webUrl);
      const dr = (await call(tokyo!.apiUrl, 'GET', '/v1/dr')).body;
      expectThat(
        dr?.active === true && dr.acceptsWrites === true && dr.since === since,
        `tokyo /v1/dr: ${JSON.stringify(dr)}`,
      );
      expectThat(traffic.route(false) === 'standby', 'traffic is not on tokyo');
    });
    await t.step(
      'user A finds the hold in tokyo as DR_RECOVERED with deadline since + grace',
      () =>
        until('the recovered hold in my reservations', async () => {
          const mine = await call(tokyo!.apiUrl, 'GET', '/v1/reservations', { token: alice });
          const recovered = (mine.body?.awaitingPayment ?? []).find((h: { holdId: string }) => h.holdId === holdId);
          if (!recovered) return undefined;
          expectThat(recovered.status === 'DR_RECOVERED', `recovered hold status ${recovered.status}`);
          expectThat(recovered.deadline === since + graceSeconds * 1000, `deadline ${recovered.deadline}`);
          return recovered;
        }),
      () => `grace ${graceSeconds} s`,
    );

    await t.step(
      'waiting room: tokyo takes over with epoch 2; Q holds and pays there with the seoul token; a replay is refused',
      async () => {
        await until('tokyo’s writer takes over', async () => {
          await room.tick(TOKYO);
          const status = (await call(tokyo!.apiUrl, 'GET', `/v1/queues/${room.eventId}`)).body?.queue;
          return status?.epoch === 2 ? status : undefined;
        });
        const seats = await room.freeSeats(tokyo!.apiUrl, 2);
        const body = { scheduleId: room.scheduleId, seatIds: seats, admissionToken: seoulAdmission.admission };
        const held = await call(tokyo!.apiUrl, 'POST', '/v1/holds', { token: quinn, body });
        expectThat(held.status === 201, `Q's hold in tokyo: ${held.status} ${JSON.stringify(held.body)}`);
        const paid = await call(tokyo!.apiUrl, 'POST', `/v1/holds/${held.body.hold.holdId}/confirm`, {
          token: quinn,
          body: { admissionToken: seoulAdmission.admission },
        });
        expectThat(
          paid.status === 201 && paid.body.reservation.status === 'DR_RESERVED',
          `Q's payment in tokyo: ${paid.status} ${JSON.stringify(paid.body)}`,
        );
        const replay = await call(tokyo!.apiUrl, 'POST', '/v1/holds', {
          token: quinn,
          body: { ...body, seatIds: await room.freeSeats(tokyo!.apiUrl, 1) },
        });
        expectThat(
          replay.status === 409 && replay.body.error.code === 'ADMISSION_EXHAUSTED',
          `replayed token: ${replay.status} ${JSON.stringify(replay.body)}`,
        );
      },
      () => 'DR_RESERVED; replay ADMISSION_EXHAUSTED',
    );
    const bob = await t.step('user B signs up in tokyo', () => signup(tokyo!.apiUrl, 'drill-b'));
    await t.step('waiting room: a new joiner in tokyo is admitted under epoch 2', async () => {
      const admitted = await room.admit(tokyo!.apiUrl, TOKYO, bob);
      expectThat(admitted.epoch === 2, `B's admission epoch ${admitted.epoch}`);
    });
    await t.step(
      'user B cannot take A’s seats during the grace (past A’s own hold expiry)',
      async () => {
        const wait = holdExpiresAt - Date.now() + 200;
        if (wait > 0) await sleep(wait);
        const answer = await call(tokyo!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds } });
        expectThat(
          answer.status === 409 && answer.body.error.code === 'SEATS_UNAVAILABLE',
          `B's hold of A's seats: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
        const seats = (await call(tokyo!.apiUrl, 'GET', `/v1/schedules/${scheduleId}/seats`, { token: bob })).body
          .seatMap.seats as { seatId: string; state: string }[];
        const states = seatIds.map((id) => seats.find((s) => s.seatId === id)?.state);
        expectThat(
          states.every((s) => s === 'held'),
          `B's seat map shows A's seats as ${states.join(', ')}`,
        );
      },
      () => 'SEATS_UNAVAILABLE; seat map shows them held',
    );
    const reservation = await t.step(
      'user A pays in tokyo → DR_RESERVED (paying twice yields the same reservation)',
      async () => {
        const paid = await call(tokyo!.apiUrl, 'POST', `/v1/holds/${holdId}/confirm`, { token: alice });
        expectThat(
          paid.status === 201 &&
            paid.body.reservation.status === 'DR_RESERVED' &&
            paid.body.reservation.region === TOKYO,
          `confirm in tokyo: ${paid.status} ${JSON.stringify(paid.body)}`,
        );
        const again = await call(tokyo!.apiUrl, 'POST', `/v1/holds/${holdId}/confirm`, { token: alice });
        expectThat(
          again.body?.reservation?.reservationId === paid.body.reservation.reservationId,
          'a second confirm differed',
        );
        return paid.body.reservation as { reservationId: string; total: number };
      },
      (r) => `${r.reservationId}, ${r.total} KRW`,
    );
    await t.step('user B still cannot take them (sold)', async () => {
      const answer = await call(tokyo!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds } });
      expectThat(answer.status === 409, `B's hold after A paid: ${answer.status}`);
    });

    // Seoul comes back while DR is active.
    seoul = await t.step('seoul is restarted while DR is active', () => start('seoul-restarted', SEOUL, false));
    await t.step('seoul is healthy, yet refuses writes; traffic stays pinned to tokyo', async () => {
      await becomesHealthy('restarted seoul', seoul!.webUrl);
      expectThat(traffic.route(true) === 'standby', 'traffic went back to seoul while DR is active');
      const dr = (await call(seoul!.apiUrl, 'GET', '/v1/dr')).body;
      expectThat(dr?.writer === 'standby' && dr.acceptsWrites === false, `seoul /v1/dr: ${JSON.stringify(dr)}`);
      const attempts = [
        await call(seoul!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds } }),
        await call(seoul!.apiUrl, 'POST', `/v1/reservations/${reservation.reservationId}/cancel`, { token: alice }),
        await call(seoul!.apiUrl, 'POST', '/v1/auth/signup', {
          body: { email: 'x@drill.example', password: 'drill password 1234' },
        }),
      ];
      for (const a of attempts) {
        expectThat(
          a.status === 503 && a.body.error.code === 'REGION_READ_ONLY',
          `seoul write: ${a.status} ${JSON.stringify(a.body)}`,
        );
      }
      const join = await call(seoul!.apiUrl, 'PUT', `/v1/queues/${room.eventId}/entry`, { token: alice });
      expectThat(
        join.status === 503 && join.body.error.code === 'REGION_READ_ONLY',
        `join in the restarted seoul: ${join.status} ${JSON.stringify(join.body)}`,
      );
      const tick = await room.tick(SEOUL);
      expectThat(tick === 'NOT_WRITER', `the restarted seoul's admitter: ${tick}`);
      const still = await call(seoul!.apiUrl, 'GET', `/v1/reservations/${reservation.reservationId}`, { token: alice });
      expectThat(
        still.body?.reservation?.status === 'DR_RESERVED',
        `A's reservation in seoul: ${JSON.stringify(still.body)}`,
      );
    });

    // The operator fails back.
    const steps = await t.step(
      'failback: preconditions, hand-over, end of DR, traffic unpinned',
      () =>
        failback(port(), {
          settleMs: CACHE_SECONDS * 1000 + 500,
          replicationTimeoutMs: 10_000,
          log: options.log && ((line) => options.log!(`          ${line}`)),
        }),
      (s) => s.map((x) => `${x.step.split(':')[0]} ${x.ms.toFixed(0)} ms`).join('; '),
    );
    expectThat(steps.length === 6, 'failback did not run every step');
    await t.step('after failback: seoul writes, tokyo refuses, DNS follows seoul, A’s reservation intact', async () => {
      await sleep(CACHE_SECONDS * 1000 + 200);
      expectThat(
        traffic.route(await healthyWithin(seoul!.webUrl, 5000)) === 'primary',
        'traffic did not return to seoul',
      );
      const dr = (await call(seoul!.apiUrl, 'GET', '/v1/dr')).body;
      expectThat(
        dr?.active === false && dr.acceptsWrites === true,
        `seoul /v1/dr after failback: ${JSON.stringify(dr)}`,
      );
      const inTokyo = await call(tokyo!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds } });
      expectThat(
        inTokyo.status === 503 && inTokyo.body.error.code === 'REGION_READ_ONLY',
        `tokyo write after failback: ${inTokyo.status}`,
      );
      const kept = await call(seoul!.apiUrl, 'GET', `/v1/reservations/${reservation.reservationId}`, { token: alice });
      expectThat(
        kept.body?.reservation?.status === 'DR_RESERVED',
        `A's reservation after failback: ${JSON.stringify(kept.body)}`,
      );
      const sold = await call(seoul!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds } });
      expectThat(sold.status === 409, `B took A's sold seats after failback: ${sold.status}`);
      const seats = (await call(seoul!.apiUrl, 'GET', `/v1/schedules/${scheduleId}/seats`, { token: bob })).body.seatMap
        .seats as { seatId: string; state: string }[];
      const free = seats
        .filter((s) => s.state === 'available')
        .map((s) => s.seatId)
        .slice(0, 2);
      const fresh = await call(seoul!.apiUrl, 'POST', '/v1/holds', { token: bob, body: { scheduleId, seatIds: free } });
      expectThat(fresh.status === 201 && fresh.body.hold.region === SEOUL, `B's new hold in seoul: ${fresh.status}`);
    });
    await t.step('tokyo scaled back to pilot light', () => tokyo!.stop());
    return { timeline: t.entries };
  } catch (error) {
    if (!(error instanceof DrillViolation)) throw error;
    return { timeline: t.entries, violation: error.message };
  } finally {
    for (const deployment of running) await deployment.stop();
  }
}
