import type { RequestHandler } from 'express';
import type { WriterGate } from '../booking/writer.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One writer at a time, at the API's front door: every state-changing request (holds, payment, cancellation, sign-up,
 * log-in, and whatever route is added later) is refused with REGION_READ_ONLY while this region is not the writer.
 * Reads keep working, so a user who reaches a read-only region still sees the catalog and their bookings. It runs
 * before any handler, so nothing is charged or written on refusal.
 */
export function writeGuard(writer: WriterGate): RequestHandler {
  return async (req, _res, next) => {
    if (!READS.has(req.method)) await writer.assertMayWrite();
    next();
  };
}
