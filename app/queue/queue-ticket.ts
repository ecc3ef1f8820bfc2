import type { EpochMs } from '../shared/time.js';
import type { QueueEntryRef } from './model.js';
import type { TokenSigner } from './signed-token.js';
import { claimsCodec, flag, id, int } from './compact-claims.js';

/**
 * A signed copy of a waiter's place (event, account, epoch, number, lottery flag). A poll that presents it is answered
 * from the cached queue state alone — no session lookup, no entry read — so 100,000 waiters polling cost no
 * per-poll DynamoDB read. The API issued it to the authenticated account; it only ever reveals that account's place
 * and grants nothing: claiming an admission always authenticates the session and reads the entry.
 */
export const TICKET_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const TICKET_CLAIMS = claimsCodec({ sub: id(100), evt: id(120), ep: int(1), n: int(1), lot: flag, iat: int() });

export function signTicket(signer: TokenSigner, entry: QueueEntryRef, now: EpochMs): string {
  return signer.sign(
    'ticket',
    {
      sub: entry.userId,
      evt: entry.eventId,
      ep: entry.epoch,
      n: entry.number,
      lot: entry.lottery,
      iat: now,
    },
    TICKET_CLAIMS,
  );
}

/**
 * The place the ticket names, when it is genuine, for this event, at most a day old, and (when `userId` is given)
 * this account's.
 */
export function openTicket(
  signer: TokenSigner,
  ticket: string,
  expected: { readonly eventId: string; readonly now: EpochMs; readonly userId?: string },
): QueueEntryRef | undefined {
  const claims = signer.open('ticket', ticket, TICKET_CLAIMS);
  if (!claims || claims.evt !== expected.eventId) return undefined;
  if (expected.userId !== undefined && claims.sub !== expected.userId) return undefined;
  if (expected.now - claims.iat > TICKET_MAX_AGE_MS || claims.iat > expected.now + 60_000) return undefined;
  return { eventId: claims.evt, userId: claims.sub, epoch: claims.ep, number: claims.n, lottery: claims.lot };
}
