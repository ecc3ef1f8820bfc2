import { z } from 'zod';
import { GENRES, PERFORMANCE_STATUSES, SCHEDULE_STATUSES } from '../../catalog/types.js';
import type { Performance, Schedule, Venue } from '../../catalog/types.js';

/** Runtime shapes of catalog items; unknown attributes (keys, index attributes) are stripped. */
const localized = z.object({ ko: z.string(), en: z.string() });
const row = z.object({ row: z.string(), seats: z.number().int().positive() });
const section = z.object({ id: z.string(), name: localized, centrality: z.number().int(), rows: z.array(row) });

const venue = z.object({
  id: z.string(),
  name: localized,
  address: localized,
  floors: z.array(z.object({ floor: z.number().int().positive(), sections: z.array(section) })),
});

const performance = z.object({
  id: z.string(),
  title: localized,
  genre: z.enum(GENRES),
  description: localized,
  venueId: z.string(),
  runStart: z.string(),
  runEnd: z.string(),
  runtimeMinutes: z.number().int().positive(),
  minAge: z.number().int().nonnegative(),
  cast: z.array(z.object({ role: localized, actors: z.array(z.string()) })),
  grades: z
    .array(
      z.object({
        code: z.string(),
        name: localized,
        price: z.number().int().nonnegative(),
        color: z.string(),
        pattern: z.enum(['solid', 'striped', 'dotted', 'cross', 'ring', 'diagonal']),
      }),
    )
    .min(1),
  gradeRules: z.array(
    z.object({
      floor: z.number().int(),
      section: z.string().optional(),
      rows: z.union([z.literal('OP'), z.object({ from: z.number().int(), to: z.number().int() })]),
      grade: z.string(),
    }),
  ),
  sellsOp: z.boolean(),
  status: z.enum(PERFORMANCE_STATUSES),
  weeklyPattern: z.record(z.string(), z.array(z.string())),
  posterPalette: z.tuple([z.string(), z.string()]),
  onSale: z
    .object({
      queue: z.boolean(),
      preQueueOpensAt: z.number(),
      opensAt: z.number(),
      admitPerMinute: z.number().int().positive(),
      admissionWindowMinutes: z.number().int().positive(),
      maxHoldsPerAdmission: z.number().int().positive(),
    })
    .optional(),
});

const schedule = z.object({
  id: z.string(),
  performanceId: z.string(),
  startsAt: z.number(),
  date: z.string(),
  time: z.string(),
  casting: z.array(z.object({ role: localized, actor: z.string() })),
  status: z.enum(SCHEDULE_STATUSES),
});

function parse<T>(schema: z.ZodType, kind: string, item: Record<string, unknown>): T {
  const result = schema.safeParse(item);
  if (!result.success) {
    throw new Error(
      `Malformed ${kind} item ${String(item.pk)}: ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return result.data as T;
}

export const toVenue = (item: Record<string, unknown>) => parse<Venue>(venue, 'venue', item);
export const toPerformance = (item: Record<string, unknown>) => parse<Performance>(performance, 'performance', item);
export const toSchedule = (item: Record<string, unknown>) => parse<Schedule>(schedule, 'schedule', item);
