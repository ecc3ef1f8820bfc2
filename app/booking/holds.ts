import type { EpochMs } from '../shared/time.js';
import { isDrProtected, type DrProtection } from './dr.js';
import type { Hold, HoldSummary } from './model.js';

/** What the liveness rules read of a hold: its status and its time window. */
type HoldWindow = Pick<Hold, 'status' | 'createdAt' | 'expiresAt' | 'region' | 'graceUntil'>;

/** When the owner must have paid by: the hold's own expiry, or the DR grace deadline once recovered. */
export function holdDeadline(hold: HoldWindow, now: EpochMs, protection: DrProtection | undefined): EpochMs {
  if (hold.status === 'DR_RECOVERED') return hold.graceUntil ?? hold.expiresAt;
  if (hold.status === 'HOLDING' && hold.expiresAt <= now && isDrProtected(hold, protection, now)) {
    return protection!.graceUntil;
  }
  return hold.expiresAt;
}

/** A hold can still be paid (and still protects its seats). */
export function isHoldLive(hold: HoldWindow, now: EpochMs, protection: DrProtection | undefined): boolean {
  switch (hold.status) {
    case 'HOLDING':
      return hold.expiresAt > now || isDrProtected(hold, protection, now);
    case 'DR_RECOVERED':
      return (hold.graceUntil ?? 0) > now;
    default:
      return false;
  }
}

/** The part of a hold that replacing it needs (kept in the user's active-hold pointer). */
export function summaryOf(hold: Hold): HoldSummary {
  return {
    holdId: hold.holdId,
    userId: hold.userId,
    scheduleId: hold.scheduleId,
    seatIds: hold.seats.map((s) => s.seatId),
    status: hold.status,
    createdAt: hold.createdAt,
    expiresAt: hold.expiresAt,
    region: hold.region,
    ...(hold.graceUntil === undefined ? {} : { graceUntil: hold.graceUntil }),
  };
}
