import type { EpochMs } from './time.js';

/** Time is injected so tests can move past expiries and grace windows without sleeping. */
export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: EpochMs) {}
  now(): EpochMs {
    return this.current;
  }
  set(at: EpochMs): void {
    this.current = at;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
