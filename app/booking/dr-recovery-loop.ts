import type { BookingService } from './service.js';
import type { Log } from '../shared/log.js';

/**
 * While DR is active, converts the primary region's live holds to DR_RECOVERED. It repeats (cheaply) because
 * global-table replication can deliver a Seoul hold to Tokyo after the failover began.
 */
export function startDrRecoveryLoop(booking: BookingService, intervalMs: number, log: Log): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const recovered = await booking.recoverHoldsForDr();
      if (recovered > 0) log(`DR: recovered ${recovered} hold(s) as DR_RECOVERED`);
    } catch (error) {
      log('DR recovery pass failed', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
