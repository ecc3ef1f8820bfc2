import type { BookingService } from './service.js';
import type { WriterGate } from './writer.js';
import type { Log } from '../shared/log.js';
import { startPeriodicTask } from '../shared/periodic-task.js';

/**
 * While DR is active, converts the primary region's live holds to DR_RECOVERED. It repeats (cheaply) because
 * global-table replication can deliver a Seoul hold to Tokyo after the failover began. Only the region that may write
 * runs it: a Seoul that comes back during DR must not write recoveries of its own (one writer at a time).
 */
export function startDrRecoveryLoop(
  booking: BookingService,
  writer: WriterGate,
  intervalMs: number,
  log: Log,
): () => void {
  return startPeriodicTask(
    intervalMs,
    async () => {
      if (!(await writer.status()).acceptsWrites) return;
      const recovered = await booking.recoverHoldsForDr();
      if (recovered > 0) log(`DR: recovered ${recovered} hold(s) as DR_RECOVERED`);
    },
    (error) => log('DR recovery pass failed', error),
  );
}
