import { DomainError } from './errors.js';

/**
 * Thrown by a store when a conditional write lost a race that says nothing about the request itself (a
 * transaction conflict with a concurrent writer, or a pointer that moved): the caller re-reads and tries again.
 */
export class WriteRaced extends Error {
  constructor(what: string) {
    super(`concurrent change: ${what}`);
    this.name = 'WriteRaced';
  }
}

/**
 * Runs `attempt` again (after a short jittered backoff) each time it loses a race, up to `maxAttempts`. It is told
 * which attempt it is (1, 2, …), so a retry can read more carefully than the fast first try.
 */
export async function retryOnRace<T>(attempt: (n: number) => Promise<T>, maxAttempts = 6): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof WriteRaced)) throw error;
      if (n >= maxAttempts) {
        throw new DomainError('CONCURRENT_UPDATE', 'Too many simultaneous changes; please try again.');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 15 * 2 ** n));
    }
  }
}
