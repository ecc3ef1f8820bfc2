import type { EpochMs } from '../shared/time.js';
import type { ReservationStatus } from './model.js';

/**
 * Disaster-recovery rules. The DR state has exactly one persisted source (an SSM parameter in AWS, a file locally);
 * `since` is when the failover began and never moves, so restarts cannot reset a grace window.
 */
export interface DrState {
  readonly active: boolean;
  readonly since?: EpochMs;
}

export const DR_INACTIVE: DrState = { active: false };

/** The protection a DR activation grants to the primary region's holds that were live at `since`. */
export interface DrProtection {
  readonly since: EpochMs;
  readonly graceUntil: EpochMs;
  readonly primaryRegion: string;
}

export function drProtectionOf(state: DrState, graceMs: number, primaryRegion: string): DrProtection | undefined {
  if (!state.active || state.since === undefined) return undefined;
  return { since: state.since, graceUntil: state.since + graceMs, primaryRegion };
}

interface LiveWindow {
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly region: string;
}

/** A hold is recovered when it was created in the primary region and still live at the moment DR began. */
export function wasLiveAtFailover(hold: LiveWindow, protection: DrProtection): boolean {
  return (
    hold.region === protection.primaryRegion && hold.createdAt <= protection.since && hold.expiresAt > protection.since
  );
}

/** Protected = recovered and the grace has not run out yet (`now` may be past the hold's own 10 minutes). */
export function isDrProtected(hold: LiveWindow, protection: DrProtection | undefined, now: EpochMs): boolean {
  return protection !== undefined && now < protection.graceUntil && wasLiveAtFailover(hold, protection);
}

/** Any confirmation while DR is active is a DR reservation; earlier reservations keep CONFIRMED. */
export function confirmedStatusFor(state: DrState): Extract<ReservationStatus, 'CONFIRMED' | 'DR_RESERVED'> {
  return state.active ? 'DR_RESERVED' : 'CONFIRMED';
}
