import type { Log } from '../shared/log.js';
import type { QueueService } from './service.js';

/**
 * Runs the writer's tick for every queued event about once a second on every API instance. The ticks are
 * conditional writes, so however many instances run this, one advances each queue per tick; instances of a region
 * that is not the writer do nothing.
 */
export function startQueueAdmitter(queue: QueueService, intervalMs: number, log: Log): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const eventId of await queue.queuedEvents()) {
        await queue.tick(eventId).catch((error: unknown) => log(`waiting room ${eventId}: tick failed`, error));
      }
    } catch (error) {
      log('waiting room: listing queued events failed', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
