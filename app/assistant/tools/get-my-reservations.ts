import { z } from 'zod';
import { defineTool } from './define.js';
import { requireUser, seatsLabel, when } from './common.js';

export const getMyReservations = defineTool({
  name: 'get_my_reservations',
  input: z
    .object({})
    .strict()
    .describe(
      "The logged-in person's reservations, newest first (number, show, KST time, seats, total, status), and any " +
        'held seats that still await payment (a live hold, or one recovered after a regional failover).',
    ),
  async run(_input, ctx) {
    const userId = requireUser(ctx);
    const { reservations, awaitingPayment } = await ctx.booking.myReservations(userId, { limit: 5 });
    const title = async (performanceId: string) =>
      (await ctx.catalog.getPerformance(performanceId))?.title[ctx.locale] ?? performanceId;
    return {
      reservations: await Promise.all(
        reservations.items.map(async (r) => ({
          reservationId: r.reservationId,
          show: await title(r.performanceId),
          when: when(r.showStartsAt, ctx.locale),
          seats: seatsLabel(
            r.seats.map((s) => s.seatId),
            ctx.locale,
          ),
          total: r.total,
          status: r.status,
        })),
      ),
      awaitingPayment: await Promise.all(
        awaitingPayment.map(async (h) => ({
          holdId: h.holdId,
          status: h.status,
          show: await title(h.performanceId),
          seats: seatsLabel(
            h.seats.map((s) => s.seatId),
            ctx.locale,
          ),
          total: h.total,
          payBefore: when(h.deadline, ctx.locale),
        })),
      ),
    };
  },
});
