import { z } from 'zod';
import { describeCancellationPolicy } from '../../booking/cancellation-policy.js';
import type { JsonObject } from '../model.js';
import { defineTool, idField } from './define.js';
import { performanceOf, requireUser, when } from './common.js';

export const getCancellationPolicy = defineTool({
  name: 'get_cancellation_policy',
  input: z
    .object({
      reservationId: z
        .string()
        .regex(/^MT[A-Z0-9]{10}$/, 'a reservation number such as MT3K9QZ2X7PA')
        .optional()
        .describe("Quote the refund for this reservation of the person's, as of now."),
      performanceId: idField.optional().describe('Without a reservation: the rules for this show’s genre.'),
    })
    .strict()
    .describe(
      'The cancellation policy, or with reservationId the exact refund if the person cancelled now (fee, refund, ' +
        'booking-fee refund, deadline). Quote these figures; never compute refunds yourself.',
    ),
  async run({ reservationId, performanceId }, ctx): Promise<JsonObject> {
    if (reservationId) {
      const { quote, deadlineText } = await ctx.booking.quote(requireUser(ctx), reservationId);
      const deadline = deadlineText[ctx.locale];
      if (!quote.cancellable) return { reservationId, cancellable: false, reason: quote.reason, deadline };
      return {
        reservationId,
        cancellable: true,
        tier: quote.tier,
        paidTotal: quote.paidTotal,
        cancellationFee: quote.cancellationFee,
        ticketRefund: quote.ticketRefund,
        bookingFeeRefund: quote.bookingFeeRefund,
        refundTotal: quote.refundTotal,
        deadline,
        note: 'Cancelling is done on the My Reservations page.',
      };
    }
    const genre = performanceId ? (await performanceOf(ctx.catalog, performanceId)).genre : 'musical';
    return {
      genre,
      rules: describeCancellationPolicy(ctx.cancellationPolicy, ctx.locale, genre),
      asOf: when(ctx.now, ctx.locale),
    };
  },
});
