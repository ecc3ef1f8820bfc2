import { z } from 'zod';
import { priceTable } from '../../catalog/grades.js';
import { defineTool, idField, ToolError } from './define.js';
import { performanceOf, scheduleOf, venueOf } from './common.js';

export const getSeatGrades = defineTool({
  name: 'get_seat_grades',
  input: z
    .object({
      performanceId: idField,
      scheduleId: idField.optional().describe('With a show slot, each grade also says how many seats are free.'),
    })
    .strict()
    .describe('The seat grades of a performance with their prices (KRW) and, for a show slot, the free seats.'),
  async run({ performanceId, scheduleId }, ctx) {
    const performance = await performanceOf(ctx.catalog, performanceId);
    const venue = await venueOf(ctx.catalog, performance);
    let free: Map<string, number> | undefined;
    if (scheduleId) {
      const schedule = await scheduleOf(ctx.catalog, scheduleId);
      if (schedule.performanceId !== performance.id) {
        throw new ToolError('MISMATCH', `Show slot ${scheduleId} belongs to another performance.`);
      }
      const map = await ctx.booking.seatMap(scheduleId);
      free = new Map(map.grades.map((g) => [g.grade, g.available]));
    }
    ctx.update((s) => ({ ...s, performanceId, ...(scheduleId ? { scheduleId } : {}) }));
    return {
      performanceId,
      ...(scheduleId ? { scheduleId } : {}),
      grades: priceTable(performance, venue).map((row) => ({
        grade: row.grade.code,
        name: row.grade.name[ctx.locale],
        price: row.grade.price,
        seats: row.seats ?? 0,
        ...(free ? { free: free.get(row.grade.code) ?? 0 } : {}),
      })),
    };
  },
});
