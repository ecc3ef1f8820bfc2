import { z } from 'zod';
import type { DrState } from './dr.js';

/**
 * The persisted DR state document, identical in the SSM parameter and the local file:
 * `{"active": true, "since": "2026-11-22T03:00:00.000Z"}`. A malformed document is an error, never "inactive".
 */
const document = z.union([
  z.object({ active: z.literal(false), since: z.iso.datetime().optional() }),
  z.object({ active: z.literal(true), since: z.iso.datetime() }),
]);

export function parseDrState(text: string): DrState {
  const parsed = document.parse(JSON.parse(text));
  return parsed.active ? { active: true, since: Date.parse(parsed.since) } : { active: false };
}

export function serializeDrState(state: DrState): string {
  return JSON.stringify(
    state.active && state.since !== undefined
      ? { active: true, since: new Date(state.since).toISOString() }
      : { active: false },
  );
}
