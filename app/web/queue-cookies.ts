import type { Request, Response } from 'express';

/**
 * The waiting room's two values in the browser, one pair per event, both HttpOnly and SameSite=Lax:
 * the queue ticket (the API's signed copy of the place, so a poll costs no DynamoDB read) and the admission token
 * (sent with the hold and pay forms of that event). Both are bound to the account by the API's signature; a stolen
 * one is worthless to another account. Event ids are `[A-Za-z0-9_.-]`, so they are safe in a cookie name.
 */
const ticketName = (eventId: string) => `mt_q_${eventId}`;
const admissionName = (eventId: string) => `mt_adm_${eventId}`;
const TICKET_MS = 24 * 60 * 60 * 1000;

function read(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, string> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 1024 ? value : undefined;
}

const options = (secure: boolean, expires: Date) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure,
  path: '/',
  expires,
});

export const queueTicket = (req: Request, eventId: string) => read(req, ticketName(eventId));

export function setQueueTicket(res: Response, eventId: string, ticket: string, secure: boolean): void {
  res.cookie(ticketName(eventId), ticket, options(secure, new Date(Date.now() + TICKET_MS)));
}

export function clearQueueTicket(res: Response, eventId: string, secure: boolean): void {
  res.clearCookie(ticketName(eventId), { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

export const admissionToken = (req: Request, eventId: string) => read(req, admissionName(eventId));

/** Kept until the admission ends plus the hold time, so a hold placed at the last minute can still be paid. */
export function setAdmissionToken(res: Response, eventId: string, token: string, until: number, secure: boolean): void {
  res.cookie(admissionName(eventId), token, options(secure, new Date(until)));
}
