import { isDeepStrictEqual } from 'node:util';
import type { AuditEntry, HoldStatus, ReservationStatus } from '../../booking/model.js';
import type { StoredSeat } from '../../booking/stored-seats.js';

/**
 * The two audit records that ride inside the item whose creation they record, instead of an item of their own in the
 * audit table (docs/architecture.md, hold path, point 8): a hold's `HOLD_CREATED` is its hold item, a reservation's
 * `RESERVATION_CONFIRMED` is its reservation item. Each record is a function of attributes that no update of the item
 * ever changes (owner, creation time, region, seats; for a reservation also the hold, the total and the status change
 * it was written with, `confirmedFrom`/`confirmedTo`), so it reads back exactly as it would have been written.
 * `DynamoBookingStore` writes an entry to the audit table unless it equals the record its item carries
 * (`ridesOn`), and `auditTrail` puts both together again. Every later change (release, replace, DR recovery, cancel)
 * keeps its own append-only audit item.
 */

interface HoldCreation {
  readonly holdId: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly region: string;
  readonly seats: readonly Pick<StoredSeat, 'seatId'>[];
}

interface ReservationConfirmation {
  readonly reservationId: string;
  readonly holdId: string;
  readonly userId: string;
  readonly bookedAt: number;
  readonly region: string;
  readonly total: number;
  readonly confirmedFrom: HoldStatus;
  readonly confirmedTo: ReservationStatus;
}

/** The `HOLD_CREATED` record a hold item carries. */
export function holdCreatedRecord(hold: HoldCreation): AuditEntry {
  return {
    entityId: hold.holdId,
    action: 'HOLD_CREATED',
    actorUserId: hold.userId,
    at: hold.createdAt,
    region: hold.region,
    from: undefined,
    to: 'HOLDING',
    details: { seatIds: hold.seats.map((s) => s.seatId) },
  };
}

/** The `RESERVATION_CONFIRMED` record a reservation item carries (only items written with `confirmedFrom`). */
export function reservationConfirmedRecord(reservation: ReservationConfirmation): AuditEntry {
  return {
    entityId: reservation.reservationId,
    action: 'RESERVATION_CONFIRMED',
    actorUserId: reservation.userId,
    at: reservation.bookedAt,
    region: reservation.region,
    from: reservation.confirmedFrom,
    to: reservation.confirmedTo,
    details: { holdId: reservation.holdId, total: reservation.total },
  };
}

/** True when `entry` is exactly the record its item carries: then it needs no audit item of its own. */
export function ridesOn(entry: AuditEntry, record: AuditEntry): boolean {
  return isDeepStrictEqual(normalised(entry), normalised(record));
}

/** Absent and undefined optional fields compare equal (an entry built with `from: undefined` is one without it). */
function normalised(entry: AuditEntry): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/**
 * An entity's whole trail: the audit table's entries plus the record its item carries, oldest first. Items written
 * before records rode on them have that record in the audit table already, so a carried record whose action the table
 * has for this entity is left out.
 */
export function trailOf(tableEntries: readonly AuditEntry[], carried: AuditEntry | undefined): AuditEntry[] {
  const all =
    carried && !tableEntries.some((e) => e.action === carried.action) ? [carried, ...tableEntries] : [...tableEntries];
  return all.sort((a, b) => a.at - b.at);
}
