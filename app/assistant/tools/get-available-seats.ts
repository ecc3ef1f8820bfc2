import { z } from 'zod';
import { MAX_SEATS_PER_HOLD } from '../../booking/pricing.js';
import { offer } from '../conversation.js';
import { defineTool, idField, ToolError } from './define.js';
import { performanceOf, scheduleOf, seatsLabel, when } from './common.js';

export const getAvailableSeats = defineTool({
  name: 'get_available_seats',
  input: z
    .object({
      scheduleId: idField,
      count: z.number().int().min(1).max(MAX_SEATS_PER_HOLD).describe('How many people (1–4).'),
      grade: z
        .string()
        .regex(/^[A-Z]{1,4}$/, 'a grade code such as VIP, R, S, A or OP')
        .optional()
        .describe('Only this grade; omit for the best seats of any grade.'),
    })
    .strict()
    .describe(
      'Recommends up to 3 options of `count` adjacent free seats in one row for a show slot (centre sections and ' +
        'front rows first, never leaving a single stranded seat), with server prices. Present the options and ask ' +
        'the person to confirm one; hold_seats accepts only seats offered here, in a later reply.',
    ),
  async run({ scheduleId, count, grade }, ctx) {
    const schedule = await scheduleOf(ctx.catalog, scheduleId);
    const performance = await performanceOf(ctx.catalog, schedule.performanceId);
    if (schedule.status !== 'ON_SALE' || schedule.startsAt <= ctx.now) {
      throw new ToolError('NOT_ON_SALE', 'This show slot is not on sale any more; suggest another slot.');
    }
    if (grade && !performance.grades.some((g) => g.code === grade)) {
      const codes = performance.grades.map((g) => g.code).join(', ');
      throw new ToolError('UNKNOWN_GRADE', `This performance has no grade "${grade}". Its grades: ${codes}.`);
    }
    // The same recommender as the seat-map page's "best available" (held, sold and DR-protected seats are taken).
    const options = await ctx.booking.recommend(scheduleId, count, grade);
    const fee = ctx.bookingFeePerTicket * count;
    let numbered: { option: number }[] = [];
    ctx.update((state) => {
      const result = offer(
        { ...state, performanceId: performance.id, scheduleId, headCount: count, grade: grade ?? state.grade },
        options.map((o) => ({ scheduleId, seatIds: [...o.seatIds], grade: o.grade, total: o.total + fee })),
      );
      numbered = result.offered;
      return result.state;
    });
    return {
      scheduleId,
      when: when(schedule.startsAt, ctx.locale),
      options: options.map((o, i) => ({
        option: numbered[i]!.option,
        seatIds: [...o.seatIds],
        seats: seatsLabel(o.seatIds, ctx.locale),
        grade: o.grade,
        pricePerSeat: o.price,
        ticketsTotal: o.total,
        bookingFee: fee,
        total: o.total + fee,
      })),
      note:
        options.length === 0
          ? `No ${count} adjacent free seats${grade ? ` of grade ${grade}` : ''}: suggest another grade, slot or head count.`
          : 'Present these options and ask which one to hold. Call hold_seats only after the person confirms.',
    };
  },
});
