import { z } from 'zod';
import type { EpochMs } from '../shared/time.js';
import type { QueueEntryRef } from './model.js';
import type { TokenSigner } from './signed-token.js';

/**
 * A signed copy of a waiter's place (event, account, epoch, number, lottery flag). A poll that presents it is answered
 * from the cached queue state alone, so 100,000 waiters polling cost no per-poll DynamoDB read. It grants nothing:
 * claiming an admission always reads the entry itself.
 */
const ticketSchema = z.strictObject({
  sub: z.string().min(1).max(100),
  evt: z.string().min(1).max(120),
  ep: z.number().int().positive(),
  n: z.number().int().positive(),
  lot: z.boolean(),
  iat: z.number().int(),
});

export function signTicket(signer: TokenSigner, entry: QueueEntryRef, now: EpochMs): string {
  return signer.sign('ticket', {
    sub: entry.userId,
    evt: entry.eventId,
    ep: entry.epoch,
    n: entry.number,
    lot: entry.lottery,
    iat: now,
  });
}

/** The place the ticket names, when it is genuine and belongs to this account and event. */
export function openTicket(
  signer: TokenSigner,
  ticket: string,
  userId: string,
  eventId: string,
): QueueEntryRef | undefined {
  const claims = signer.open('ticket', ticket, ticketSchema);
  if (!claims || claims.sub !== userId || claims.evt !== eventId) return undefined;
  return { eventId, userId, epoch: claims.ep, number: claims.n, lottery: claims.lot };
}
