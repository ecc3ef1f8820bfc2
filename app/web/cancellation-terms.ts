import type { ScheduleResponse } from '../api/contracts.js';
import type { EpochMs } from '../shared/time.js';

export interface CancellationTerms {
  readonly closesAt: EpochMs;
  /** The window has closed: a booking paid now can no longer be cancelled. */
  readonly closed: boolean;
}

/** What the pay step says about cancelling (`partials/cancel-terms`), by the API's deadline and the web's clock. */
export function cancellationTerms({ cancellationClosesAt }: ScheduleResponse, now: EpochMs): CancellationTerms {
  return { closesAt: cancellationClosesAt, closed: cancellationClosesAt <= now };
}
