import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ComposedApi } from '../../app/compose.js';
import type { ApiTally } from './api-scenario.js';

export interface DoubleBookingReport {
  readonly slots: number;
  /** Seats claimed by more than one paid reservation or live hold. SPEC §3.1: must be 0. */
  readonly doubleBooked: number;
  readonly confirmedSeatItems: number;
  readonly expectedConfirmedSeats: number;
  readonly reservations: number;
  readonly expectedReservations: number;
  /** CONFIRMED seat items whose reservationId is not a reservation holding that seat. */
  readonly orphanSeatItems: number;
  /** Confirms the clients got no answer to, and how many of them the store shows paid (counted in the expectations). */
  readonly unanswered: number;
  readonly unansweredPaid: number;
  readonly ok: boolean;
}

interface Claim {
  readonly kind: 'reservation' | 'hold';
  /** The reservation or hold id. */
  readonly id: string;
  readonly scheduleId: string;
  readonly seats: readonly { seatId: string }[];
  readonly status: string;
  readonly expiresAt?: number;
}

const PAID = new Set(['CONFIRMED', 'DR_RESERVED']);

/**
 * Reads back what scenario A left in DynamoDB, independently of what the clients were told: every seat item of
 * every slot used (via the app's own store) and every reservation and hold (a scan of the bookings table). A seat
 * claimed by two paid reservations or live holds is a double booking; seat items and reservations must also agree
 * with the clients' tally of successful confirms.
 */
export async function checkDoubleBookings(
  api: ComposedApi,
  slotIds: readonly string[],
  tally: ApiTally,
): Promise<DoubleBookingReport> {
  const slots = new Set(slotIds);
  const claims = (await scanClaims(api)).filter((c) => slots.has(c.scheduleId));
  const now = Date.now();
  const claimants = new Map<string, Set<string>>();
  const reservationOf = new Map<string, string>(); // slot#seat → reservation id claiming it
  let reservations = 0;
  for (const claim of claims) {
    const paid = claim.kind === 'reservation' && PAID.has(claim.status);
    const liveHold = claim.kind === 'hold' && claim.status === 'HOLDING' && (claim.expiresAt ?? 0) > now;
    if (!paid && !liveHold) continue;
    if (paid) reservations++;
    for (const { seatId } of claim.seats) {
      const key = `${claim.scheduleId}#${seatId}`;
      const set = claimants.get(key) ?? new Set<string>();
      set.add(`${claim.kind}:${claim.id}`);
      claimants.set(key, set);
      if (paid) reservationOf.set(key, claim.id);
    }
  }
  let confirmedSeatItems = 0;
  let orphanSeatItems = 0;
  for (const slotId of slots) {
    for (const record of await api.store.seatRecords(slotId)) {
      if (record.status !== 'CONFIRMED') continue;
      confirmedSeatItems++;
      if (reservationOf.get(`${slotId}#${record.seatId}`) !== record.reservationId) orphanSeatItems++;
    }
  }
  const doubleBooked = [...claimants.values()].filter((set) => set.size > 1).length;
  // A confirm the client got no answer to either committed or not; its hold item says which, so the tally stays exact
  // (a client timeout is not a mismatch, and a committed confirm nobody counted still is one unless settled here).
  const paid = await settleUnanswered(api, tally.unanswered);
  const expectedConfirmedSeats = tally.confirmedSeats + paid.reduce((s, u) => s + u.seats, 0);
  const expectedReservations = tally.confirms + paid.length;
  return {
    slots: slots.size,
    doubleBooked,
    confirmedSeatItems,
    expectedConfirmedSeats,
    reservations,
    expectedReservations,
    orphanSeatItems,
    unanswered: tally.unanswered.length,
    unansweredPaid: paid.length,
    ok:
      doubleBooked === 0 &&
      orphanSeatItems === 0 &&
      confirmedSeatItems === expectedConfirmedSeats &&
      reservations === expectedReservations,
  };
}

/** The unanswered confirms whose hold the store shows paid (`CONFIRMED`, naming its reservation). */
async function settleUnanswered(api: ComposedApi, unanswered: ApiTally['unanswered']): Promise<ApiTally['unanswered']> {
  const paid: ApiTally['unanswered'][number][] = [];
  for (const u of unanswered) {
    const hold = await api.store.getHold(u.holdId);
    if (hold?.status === 'CONFIRMED' && hold.reservationId) paid.push(u);
  }
  return paid;
}

/**
 * Reservations (RES#…) and holds (HOLD#…) of the whole bookings table. A hold item carries its seats too, but a
 * confirmed hold's seats are already claimed by its reservation, so only still-HOLDING holds count as claims.
 */
async function scanClaims(api: ComposedApi): Promise<Claim[]> {
  const claims: Claim[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await api.db.send(
      new ScanCommand({
        TableName: api.tables.bookings,
        FilterExpression: 'begins_with(pk, :res) OR begins_with(pk, :hold)',
        ExpressionAttributeValues: { ':res': 'RES#', ':hold': 'HOLD#' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const isReservation = String(item.pk).startsWith('RES#');
      claims.push({
        kind: isReservation ? 'reservation' : 'hold',
        id: String(isReservation ? item.reservationId : item.holdId),
        scheduleId: String(item.scheduleId),
        seats: (item.seats ?? []) as { seatId: string }[],
        status: String(item.status),
        expiresAt: typeof item.expiresAt === 'number' ? item.expiresAt : undefined,
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return claims;
}
