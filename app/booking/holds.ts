import type { EpochMs } from '../shared/time.js';
import { isDrProtected, type DrProtection } from './dr.js';
import type { Hold } from './model.js';

/** When the owner must have paid by: the hold's own expiry, or the DR grace deadline once recovered. */
export function holdDeadline(hold: Hold, now: EpochMs, protection: DrProtection | undefined): EpochMs {
  if (hold.status === 'DR_RECOVERED') return hold.graceUntil ?? hold.expiresAt;
  if (hold.status === 'HOLDING' && hold.expiresAt <= now && isDrProtected(hold, protection, now)) {
    return protection!.graceUntil;
  }
  return hold.expiresAt;
}

/** A hold can still be paid (and still protects its seats). */
export function isHoldLive(hold: Hold, now: EpochMs, protection: DrProtection | undefined): boolean {
  switch (hold.status) {
    case 'HOLDING':
      return hold.expiresAt > now || isDrProtected(hold, protection, now);
    case 'DR_RECOVERED':
      return (hold.graceUntil ?? 0) > now;
    default:
      return false;
  }
}
