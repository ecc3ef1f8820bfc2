import type { AccountService } from '../accounts/service.js';
import type { Log } from '../shared/log.js';
import type { CancellationPolicy } from '../booking/cancellation-policy.js';
import type { CatalogReader, DrStateSource } from '../booking/ports.js';
import type { BookingService } from '../booking/service.js';
import type { WriterGate } from '../booking/writer.js';
import type { Clock } from '../shared/clock.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import type { OverloadGuard } from '../shared/overload-guard.js';
import type { QueueService } from '../queue/service.js';
import type { AssistantService } from '../assistant/service.js';

export interface ApiDeps {
  readonly region: string;
  readonly booking: BookingService;
  readonly accounts: AccountService;
  readonly catalog: CatalogReader;
  readonly drState: DrStateSource;
  /** One writer at a time: whether this region may take writes under the current DR state. */
  readonly writer: WriterGate;
  readonly drGraceMs: number;
  readonly cancellationPolicy: CancellationPolicy;
  readonly clock: Clock;
  /** Deep readiness (DynamoDB reachable); liveness never calls it. */
  readonly ready: () => Promise<void>;
  readonly limits: {
    readonly login: RateLimiter;
    readonly signup: RateLimiter;
    readonly holds: RateLimiter;
    readonly joins: RateLimiter;
    readonly chatUser: RateLimiter;
    readonly chatIp: RateLimiter;
  };
  readonly queue: QueueService;
  /** Sheds the waiting room's joins, polls and claims (in that order) when this instance is saturated. */
  readonly overload: OverloadGuard;
  readonly assistant: AssistantService;
  readonly assistantMessageMaxChars: number;
  /** At most one text event per this many ms after an answer's first words (0: every delta as it comes). */
  readonly assistantTextWindowMs: number;
  readonly log: Log;
}
