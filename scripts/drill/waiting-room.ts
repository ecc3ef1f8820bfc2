import { randomBytes } from 'node:crypto';
import { composeApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { demoPerformances, type Performance, type Schedule } from '../../app/catalog/index.js';
import { unverifiedAdmissionClaims } from '../../app/queue/admission-token.js';
import type { QueueService } from '../../app/queue/service.js';
import { systemClock } from '../../app/shared/clock.js';
import { kstDateOf } from '../../app/shared/time.js';
import { call } from './http.js';
import { expectThat } from './timeline.js';

/**
 * The waiting room's failover epoch rule in the drill (issue 10): an on-sale of its own in the drill's tables, and
 * one in-process writer instance per region (the admitter each API instance runs, ticked here on demand so the drill
 * does not wait for the catalog cache to list the new event). Joins, claims, holds and payments go through the
 * regions' real APIs over HTTP.
 */
export class DrillWaitingRoom {
  private constructor(
    readonly eventId: string,
    readonly scheduleId: string,
    private readonly writers: Readonly<Record<string, QueueService>>,
  ) {}

  /** A copy of the demo on-sale, open now, 600 admissions a minute, 2 holds per admission; one show slot. */
  static async create(options: {
    dynamoEndpoint: string;
    tablePrefix: string;
    admissionKey: string;
    regions: { primary: string; standby: string };
  }): Promise<DrillWaitingRoom> {
    const writer = (region: string) =>
      composeApi({
        config: loadConfig({
          AWS_REGION: region,
          PRIMARY_REGION: options.regions.primary,
          DYNAMODB_MODE: 'external',
          TABLE_PREFIX: options.tablePrefix,
          DR_STATE_SOURCE: 'dynamodb',
          DR_STATE_CACHE_SECONDS: '0',
          LOG_LEVEL: 'silent',
        }),
        clock: systemClock,
        dynamoEndpoint: options.dynamoEndpoint,
        admissionKey: Buffer.from(options.admissionKey, 'base64url'),
        queueStateCacheMs: 0,
        log: () => {},
      });
    const primary = writer(options.regions.primary);
    const now = Date.now();
    const template = demoPerformances(kstDateOf(now), now).find((p) => p.onSale?.queue)!;
    const performance: Performance = {
      ...template,
      id: `perf-drill-onsale-${now.toString(36)}`,
      onSale: {
        ...template.onSale!,
        preQueueOpensAt: now - 60_000,
        opensAt: now,
        admitPerMinute: 600,
        maxHoldsPerAdmission: 2,
      },
    };
    const startsAt = now + 30 * 24 * 3_600_000;
    const schedule: Schedule = {
      id: `${performance.id}-slot`,
      performanceId: performance.id,
      startsAt,
      date: kstDateOf(startsAt),
      time: '19:30',
      casting: [],
      status: 'ON_SALE',
    };
    await primary.dynamoCatalog.put({ venues: [], performances: [performance], schedules: [schedule] });
    return new DrillWaitingRoom(performance.id, schedule.id, {
      [options.regions.primary]: primary.queue,
      [options.regions.standby]: writer(options.regions.standby).queue,
    });
  }

  tick(region: string) {
    return this.writers[region]!.tick(this.eventId);
  }

  /** Joins through `api`, lets the region's writer release the place, claims the admission: the token and epoch. */
  async admit(api: string, region: string, token: string): Promise<{ admission: string; epoch: number }> {
    const joined = await call(api, 'PUT', `/v1/queues/${this.eventId}/entry`, { token });
    expectThat(joined.status === 200, `join: ${joined.status} ${JSON.stringify(joined.body)}`);
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.tick(region);
      const claimed = await call(api, 'POST', `/v1/queues/${this.eventId}/admission`, { token });
      if (claimed.status === 201) {
        const admission = claimed.body.admission.token as string;
        return { admission, epoch: unverifiedAdmissionClaims(admission)!.ep };
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error('never admitted');
  }

  async freeSeats(api: string, count: number): Promise<string[]> {
    const seats = (await call(api, 'GET', `/v1/schedules/${this.scheduleId}/seats`)).body.seatMap.seats as {
      seatId: string;
      state: string;
    }[];
    return seats
      .filter((s) => s.state === 'available')
      .slice(0, count)
      .map((s) => s.seatId);
  }

  static newKey(): string {
    return randomBytes(32).toString('base64url');
  }
}
