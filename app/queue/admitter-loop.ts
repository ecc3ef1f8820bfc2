import type { Log } from '../shared/log.js';
import { startPeriodicTask } from '../shared/periodic-task.js';
import type { QueueService } from './service.js';

/**
 * Runs the writer's tick for every queued event about once a second on every API instance. The ticks are
 * conditional writes, so however many instances run this, one advances each queue per tick; instances of a region
 * that is not the writer do nothing.
 */
export function startQueueAdmitter(queue: QueueService, intervalMs: number, log: Log): () => void {
  return startPeriodicTask(
    intervalMs,
    async () => {
      for (const eventId of await queue.queuedEvents()) {
        await queue.tick(eventId).catch((error: unknown) => log(`waiting room ${eventId}: tick failed`, error));
      }
    },
    (error) => log('waiting room: listing queued events failed', error),
  );
}
