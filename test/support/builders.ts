import { demoVenues } from '../../app/catalog/index.js';
import type { Schedule } from '../../app/catalog/types.js';
import { DEFAULT_CANCELLATION_POLICY } from '../../app/booking/cancellation-policy.js';
import type { BookingStore } from '../../app/booking/ports.js';
import { BookingService, type HoldView } from '../../app/booking/service.js';
import { hashToken } from '../../app/accounts/service.js';
import { kstDateOf, KST_OFFSET_MS } from '../../app/shared/time.js';
import type { Fixture } from './fixture.js';

export const MOONLIGHT = 'perf-moonlight-garden'; // reference theatre, sells OP
export const BOY = 'perf-boy-who-swallowed-stars'; // reference theatre, no OP
export const HAMLET = 'perf-hamlet'; // a play
export const THEATRE = demoVenues[0]!;

let slotCounter = 0;

/** Adds a show slot at an exact instant, so timing-sensitive tests do not depend on the demo calendar. */
/** A show slot of `performanceId` at `startsAt`, on sale: in a fixture, or in any composed API's catalog. */
export async function addSlot(
  fx: Pick<Fixture, 'dynamoCatalog'>,
  performanceId: string,
  startsAt: number,
): Promise<Schedule> {
  slotCounter++;
  const iso = new Date(startsAt + KST_OFFSET_MS).toISOString();
  const schedule: Schedule = {
    id: `${performanceId}-test-${slotCounter}-${process.pid}`,
    performanceId,
    startsAt,
    date: kstDateOf(startsAt),
    time: iso.slice(11, 16),
    casting: [],
    status: 'ON_SALE',
  };
  await fx.dynamoCatalog.put({ venues: [], performances: [], schedules: [schedule] });
  return schedule;
}

export const DAY = 24 * 60 * 60 * 1000;
export const MINUTE = 60 * 1000;

/** A user with a session, created directly through the account service. */
export async function signUp(fx: Fixture, name = 'user'): Promise<{ userId: string; token: string; email: string }> {
  const email = `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const { user, token } = await fx.accounts.signup({ email, password: 'correct horse battery' });
  return { userId: user.userId, token, email };
}

export { hashToken };

export type { HoldView };

/**
 * Another API instance's BookingService over the fixture's tables, clock and DR state: its own region (the Tokyo API
 * during a failover) and, optionally, a store a test wraps to step into the middle of an operation.
 */
export function bookingService(fx: Fixture, options: { region?: string; store?: BookingStore } = {}): BookingService {
  return new BookingService({
    catalog: fx.catalog,
    store: options.store ?? fx.store,
    payments: fx.payments,
    clock: fx.clock,
    drState: fx.drState,
    settings: {
      holdMs: fx.config.booking.holdSeconds * 1000,
      bookingFeePerTicket: fx.config.booking.bookingFeeKrw,
      drGraceMs: fx.config.booking.drGraceSeconds * 1000,
      region: options.region ?? fx.config.aws.region,
      primaryRegion: fx.config.aws.primaryRegion,
      cancellationPolicy: DEFAULT_CANCELLATION_POLICY,
    },
  });
}

/** The fixture's store with some methods replaced (to run something in the middle of an operation). */
export function storeWith(store: BookingStore, overrides: Partial<BookingStore>): BookingStore {
  return Object.assign(Object.create(store) as BookingStore, overrides);
}
