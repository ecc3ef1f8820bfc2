import { z } from 'zod';
import type { DrState } from './dr.js';

/**
 * The persisted DR state document, identical in the `control` table item, the local file and the failover workflow's
 * write: `{"active": true, "since": "2026-11-22T03:00:00.000Z"}`, plus `failbackStartedAt` while a failback hands
 * writes back to the primary. A malformed document is an error, never "inactive".
 */
const instant = z.iso.datetime();
export const drStateDocument = z.union([
  z.object({ active: z.literal(false), since: instant.optional() }).strict(),
  z.object({ active: z.literal(true), since: instant, failbackStartedAt: instant.optional() }).strict(),
]);
export type DrStateDocument = z.input<typeof drStateDocument>;

export function drStateFromDocument(value: unknown): DrState {
  const parsed = drStateDocument.parse(value);
  if (!parsed.active) return { active: false };
  return {
    active: true,
    since: Date.parse(parsed.since),
    ...(parsed.failbackStartedAt ? { failbackStartedAt: Date.parse(parsed.failbackStartedAt) } : {}),
  };
}

export function drStateToDocument(state: DrState): DrStateDocument {
  if (!state.active || state.since === undefined) return { active: false };
  return {
    active: true,
    since: new Date(state.since).toISOString(),
    ...(state.failbackStartedAt !== undefined
      ? { failbackStartedAt: new Date(state.failbackStartedAt).toISOString() }
      : {}),
  };
}

export function parseDrState(text: string): DrState {
  return drStateFromDocument(JSON.parse(text));
}

export function serializeDrState(state: DrState): string {
  return JSON.stringify(drStateToDocument(state));
}
