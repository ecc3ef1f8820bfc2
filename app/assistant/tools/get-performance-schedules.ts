import { z } from 'zod';
import { addDays, kstDateOf } from '../../shared/time.js';
import { dateField, defineTool, idField } from './define.js';
import { performanceOf, when } from './common.js';

const MAX_SLOTS = 8;

export const getPerformanceSchedules = defineTool({
  name: 'get_performance_schedules',
  input: z
    .object({
      performanceId: idField,
      from: dateField.optional().describe('First KST date (YYYY-MM-DD); default today.'),
      to: dateField.optional().describe('Last KST date; default 14 days after `from`.'),
    })
    .strict()
    .describe(
      `Upcoming show slots of a performance between two KST dates (at most ${MAX_SLOTS}, earliest first) with ` +
        'their scheduleId, KST date and time, casting and seats still available. Use the scheduleId it returns.',
    ),
  async run(input, ctx) {
    const performance = await performanceOf(ctx.catalog, input.performanceId);
    const from = input.from ?? kstDateOf(ctx.now);
    const to = input.to ?? addDays(from, 14);
    const slots = (await ctx.catalog.listSchedules(performance.id))
      .filter((s) => s.startsAt > ctx.now && s.date >= from && s.date <= to && s.status === 'ON_SALE')
      .sort((a, b) => a.startsAt - b.startsAt)
      .slice(0, MAX_SLOTS);
    const listed = await Promise.all(
      slots.map(async (s) => {
        const map = await ctx.booking.seatMap(s.id);
        return { schedule: s, available: map.available };
      }),
    );
    ctx.update((state) => ({
      ...state,
      performanceId: performance.id,
      shownSlots: listed.map(({ schedule: s }) => ({
        scheduleId: s.id,
        date: s.date,
        time: s.time,
        when: { ko: when(s.startsAt, 'ko'), en: when(s.startsAt, 'en') },
      })),
    }));
    return {
      performanceId: performance.id,
      from,
      to,
      slots: listed.map(({ schedule: s, available }) => ({
        scheduleId: s.id,
        when: when(s.startsAt, ctx.locale),
        available,
        casting: s.casting.map((c) => `${c.role[ctx.locale]}: ${c.actor}`).join(', '),
      })),
      ...(listed.length === 0 ? { note: 'No slots on sale in this range; try other dates.' } : {}),
    };
  },
});
