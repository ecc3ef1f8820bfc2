import type { EpochMs } from '../shared/time.js';
import type { ReservationStatus } from './model.js';

/**
 * Disaster-recovery rules. The DR state has exactly one persisted source (in AWS an item of the replicated `control`
 * global table, so both regions read the same state; locally a file or the same item in DynamoDB Local); `since` is
 * when the failover began and never moves, so restarts cannot reset a grace window.
 */
export interface DrState {
  readonly active: boolean;
  readonly since?: EpochMs;
  /** Set by the failback command while it moves writes back to the primary: no region takes writes meanwhile. */
  readonly failbackStartedAt?: EpochMs;
}

export const DR_INACTIVE: DrState = { active: false };

/** Refused because the DR state is not what the caller saw (another operator or the workflow changed it). */
export class DrTransitionRefused extends Error {
  constructor(
    message: string,
    readonly current: DrState,
  ) {
    super(message);
    this.name = 'DrTransitionRefused';
  }
}

/**
 * Writes of the DR state, each a conditional transition, so two writers (the failover workflow, an operator) can never
 * interleave into a state neither meant: inactive → active(since) → failing back → inactive.
 */
export interface DrStateStore {
  current(): Promise<DrState>;
  /** DR active since `since`, unless it already is: then the first `since` is kept. Returns the resulting state. */
  activate(since: EpochMs): Promise<DrState>;
  /** Active → failing back (no region writes). Idempotent for the same failover; refused when DR is not active. */
  beginFailback(expected: DrState, at: EpochMs): Promise<DrState>;
  /** → inactive, only from the exact state the caller read (same `since`). */
  deactivate(expected: DrState): Promise<DrState>;
}

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
