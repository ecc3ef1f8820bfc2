import { z } from 'zod';
import { ENTRY_STATES, QUEUE_CONTROLS } from '../../queue/model.js';
import type { QueueEntry, QueueState, ReleaseBucket } from '../../queue/model.js';
import type { QueueCounter } from '../../queue/ports.js';

/** Runtime shapes of waiting-room items; a malformed item is an error naming it, never a wrong place in line. */
const bucket = z.object({
  at: z.number(),
  from: z.number().int(),
  to: z.number().int(),
  claims: z.number().int(),
  expiresAt: z.number(),
});

const stateItem = z.object({
  eventId: z.string(),
  control: z.enum(QUEUE_CONTROLS),
  epoch: z.number().int().positive(),
  writerRegion: z.string(),
  epochBase: z.number().int().nonnegative(),
  epochEnds: z.record(z.string(), z.number().int()),
  seedHash: z.string(),
  committedAt: z.number(),
  seed: z.string(),
  draw: z.object({ at: z.number(), size: z.number().int().nonnegative() }).optional(),
  serving: z.number().int().nonnegative(),
  allowed: z.number().int().nonnegative(),
  allowedCarry: z.number().nonnegative(),
  claimed: z.number().int().nonnegative(),
  // Absent on a state stored before claims counted per minute: the writer's next tick adds the empty map.
  minuteClaims: z.record(z.string(), z.number().int().nonnegative()).default({}),
  issued: z.number().int().nonnegative(),
  /** Stored as a map keyed by the bucket's start, so a claim can count itself into one bucket. */
  buckets: z.record(z.string(), bucket),
  expiredReleased: z.number().int().nonnegative(),
  expiredClaims: z.number().int().nonnegative(),
  history: z.array(z.object({ at: z.number(), serving: z.number().int(), claimed: z.number().int() })),
  tickAt: z.number(),
  rampFrom: z.number().optional(),
});

const counterItem = z.object({
  seq: z.number().int().nonnegative().default(0),
  drawnAt: z.number().optional(),
  drawSize: z.number().int().nonnegative().optional(),
});

const entryItem = z.object({
  eventId: z.string(),
  userId: z.string(),
  epoch: z.number().int().positive(),
  number: z.number().int().positive(),
  lottery: z.boolean(),
  joinedAt: z.number(),
  state: z.enum(ENTRY_STATES),
  tokenId: z.string().optional(),
  admissionPosition: z.number().int().optional(),
  admissionEpoch: z.number().int().optional(),
  admittedAt: z.number().optional(),
  admissionExpiresAt: z.number().optional(),
  holdsUsed: z.number().int().nonnegative().optional(),
});

function parse<S extends z.ZodType>(schema: S, kind: string, item: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(item);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Malformed ${kind} item ${String(item.pk)}/${String(item.sk)}: ${fields}`);
  }
  return result.data;
}

export function toQueueState(item: Record<string, unknown>): QueueState {
  const { buckets, ...rest } = parse(stateItem, 'queue state', item);
  return { ...rest, buckets: Object.values(buckets).sort((a, b) => a.at - b.at) };
}

export function fromQueueState(state: QueueState): Record<string, unknown> {
  return {
    ...state,
    buckets: Object.fromEntries(state.buckets.map((b): [string, ReleaseBucket] => [String(b.at), b])),
  };
}

export function toQueueCounter(item: Record<string, unknown>): QueueCounter {
  const { seq, drawnAt, drawSize } = parse(counterItem, 'queue counter', item);
  return {
    issued: seq,
    draw: drawnAt !== undefined && drawSize !== undefined ? { at: drawnAt, size: drawSize } : undefined,
  };
}

export function toQueueEntry(item: Record<string, unknown>): QueueEntry {
  const e = parse(entryItem, 'queue entry', item);
  const admitted =
    e.tokenId !== undefined &&
    e.admissionPosition !== undefined &&
    e.admissionEpoch !== undefined &&
    e.admittedAt !== undefined &&
    e.admissionExpiresAt !== undefined;
  return {
    eventId: e.eventId,
    userId: e.userId,
    epoch: e.epoch,
    number: e.number,
    lottery: e.lottery,
    joinedAt: e.joinedAt,
    state: e.state,
    admission: admitted
      ? {
          tokenId: e.tokenId!,
          position: e.admissionPosition!,
          epoch: e.admissionEpoch!,
          admittedAt: e.admittedAt!,
          expiresAt: e.admissionExpiresAt!,
          holdsUsed: e.holdsUsed ?? 0,
        }
      : undefined,
  };
}
