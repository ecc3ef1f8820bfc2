import { createHash } from 'node:crypto';

/**
 * Every partition/sort key format in one place. Prefixes keep item kinds apart inside a table and make items
 * readable in the console.
 */
export const LIVE_HOLD_SHARDS = 8;

export const keys = {
  performance: (id: string) => ({ pk: `PERF#${id}` }),
  venue: (id: string) => ({ pk: `VENUE#${id}` }),
  schedule: (id: string) => ({ pk: `SCHED#${id}` }),
  /** byPerformance GSI: a performance's slots in start order. */
  schedulesOf: (performanceId: string) => `PERF#${performanceId}`,

  seatPartition: (scheduleId: string) => `SCHED#${scheduleId}`,
  seatSortPrefix: 'SEAT#',
  seat: (scheduleId: string, seatId: string) => ({ pk: `SCHED#${scheduleId}`, sk: `SEAT#${seatId}` }),
  hold: (holdId: string) => ({ pk: `HOLD#${holdId}`, sk: 'HOLD' }),
  activeHold: (userId: string) => ({ pk: `USER#${userId}`, sk: 'ACTIVE_HOLD' }),
  reservation: (reservationId: string) => ({ pk: `RES#${reservationId}`, sk: 'RES' }),
  /** byUser GSI partitions: reservations, and DR-recovered holds awaiting payment. */
  reservationsOf: (userId: string) => `USER#${userId}#RES`,
  recoveredHoldsOf: (userId: string) => `USER#${userId}#RECOVERED`,
  /**
   * liveHolds GSI: HOLDING holds, sharded so that a burst of holds does not write one hot index partition.
   * The sort key is the expiry, so DR recovery reads only holds still live at `since`.
   */
  liveHoldShard: (holdId: string) =>
    `LIVEHOLD#${parseInt(createHash('sha256').update(holdId).digest('hex').slice(0, 4), 16) % LIVE_HOLD_SHARDS}`,
  allLiveHoldShards: () => Array.from({ length: LIVE_HOLD_SHARDS }, (_, i) => `LIVEHOLD#${i}`),

  emailClaim: (normalizedEmail: string) => ({ pk: `EMAIL#${normalizedEmail}` }),
  user: (userId: string) => ({ pk: `USER#${userId}` }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}` }),
  conversation: (conversationKey: string) => ({ pk: `CONV#${conversationKey}` }),

  auditPartition: (entityId: string) => `AUDIT#${entityId}`,

  /** Waiting room: the event's control state and per-epoch counters share a partition; entries get one each. */
  queueState: (eventId: string) => ({ pk: `QUEUE#${eventId}`, sk: 'STATE' }),
  queueCounter: (eventId: string, epoch: number) => ({ pk: `QUEUE#${eventId}`, sk: `SEQ#${epoch}` }),
  queueEntry: (eventId: string, userId: string) => ({ pk: `QUEUE#${eventId}#USER#${userId}`, sk: 'ENTRY' }),
} as const;

/** ISO-8601 UTC sorts lexicographically in time order, so it serves as a sort key for instants. */
export const sortableInstant = (at: number): string => new Date(at).toISOString();

/** DynamoDB TTL wants epoch seconds. */
export const ttlSeconds = (at: number): number => Math.ceil(at / 1000);
