import { z } from 'zod';
import { MAX_SEATS_PER_HOLD } from '../../booking/pricing.js';
import type { HoldView } from '../../booking/service.js';
import { parseSeatId } from '../../catalog/seats.js';
import { isDomainError } from '../../shared/errors.js';
import { sameSeats, type OfferedOption } from '../conversation.js';
import { defineTool, idField, ToolError, type ToolContext } from './define.js';
import { requireUser, seatsLabel, when, won } from './common.js';

export const holdSeats = defineTool({
  name: 'hold_seats',
  input: z
    .object({
      scheduleId: idField,
      seatIds: z
        .array(z.string().max(20))
        .min(1)
        .max(MAX_SEATS_PER_HOLD)
        .describe('Exactly the seatIds of one option get_available_seats returned, e.g. ["1F-B-7-13","1F-B-7-14"].'),
    })
    .strict()
    .describe(
      'Holds the seats of one offered option for the logged-in person for 10 minutes. Only after they explicitly ' +
        'confirmed that option in their latest message. The page then shows a hold card with the countdown, total, ' +
        'pay and release buttons; payment happens there, not in the chat.',
    ),
  async run({ scheduleId, seatIds }, ctx) {
    const userId = requireUser(ctx);
    const malformed = seatIds.filter((id) => !parseSeatId(id));
    if (malformed.length > 0) {
      throw new ToolError(
        'INVALID_SEAT_ID',
        `${malformed.map((id) => JSON.stringify(id)).join(', ')} is not a seat id (seat ids look like 1F-B-7-14). ` +
          'Nothing was held. Use the seatIds exactly as get_available_seats returned them.',
      );
    }
    const option = confirmedOption(ctx, scheduleId, seatIds);
    const existing = await currentHold(ctx, userId);
    if (
      existing &&
      existing.scheduleId === scheduleId &&
      sameSeats(
        existing.seats.map((s) => s.seatId),
        seatIds,
      )
    ) {
      return describeHold(existing, ctx, 'These seats are already held for the person.');
    }
    let hold: HoldView;
    try {
      hold = await ctx.booking.hold(userId, scheduleId, option.seatIds);
    } catch (error) {
      if (isDomainError(error) && error.code === 'SEATS_UNAVAILABLE') {
        ctx.update((s) => ({ ...s, offered: s.offered.filter((o) => o !== option && !sameSeats(o.seatIds, seatIds)) }));
        throw new ToolError(
          'SEATS_TAKEN',
          `Someone else took ${seatsLabel(seatIds, ctx.locale)} a moment ago. Nothing was held. ` +
            'Say so, and offer to look for other seats with get_available_seats.',
        );
      }
      throw error;
    }
    ctx.update((s) => ({ ...s, holdId: hold.holdId, scheduleId }));
    ctx.holdCreated(hold);
    return describeHold(hold, ctx, 'Held.');
  },
});

/**
 * SPEC §5 grounding, enforced here and not only in the prompt: the seats must be an option a recommendation offered
 * in an earlier reply of this conversation, and the person's latest message must confirm (yes / that option).
 */
function confirmedOption(ctx: ToolContext, scheduleId: string, seatIds: readonly string[]): OfferedOption {
  const state = ctx.state();
  const matches = state.offered.filter((o) => o.scheduleId === scheduleId && sameSeats(o.seatIds, seatIds));
  const option = matches.at(-1);
  if (!option) {
    throw new ToolError(
      'NOT_OFFERED',
      'These seats were not offered in this conversation. Nothing was held. Call get_available_seats, present ' +
        'its options and hold only the one the person confirms.',
    );
  }
  if (option.turn >= state.turn) {
    throw new ToolError(
      'CONFIRMATION_REQUIRED',
      'These options were found in this same reply. Nothing was held. Present them and wait for the person to ' +
        'confirm one.',
    );
  }
  const { affirmative, negative, option: chosen } = ctx.understanding;
  if (negative || (!affirmative && chosen === undefined)) {
    throw new ToolError(
      'CONFIRMATION_REQUIRED',
      `The person has not confirmed. Nothing was held. Ask whether to hold option ${option.option} ` +
        `(${seatsLabel(option.seatIds, ctx.locale)}, total ${won(option.total)}) and wait for their yes.`,
    );
  }
  const newest = Math.max(...state.offered.map((o) => o.turn));
  const named = chosen === undefined ? undefined : state.offered.find((o) => o.turn === newest && o.option === chosen);
  if (named && !sameSeats(named.seatIds, seatIds)) {
    throw new ToolError(
      'NOT_CHOSEN',
      `The person chose option ${chosen} (${seatsLabel(named.seatIds, ctx.locale)}), not these seats. Nothing was held.`,
    );
  }
  return option;
}

async function currentHold(ctx: ToolContext, userId: string): Promise<HoldView | undefined> {
  const holdId = ctx.state().holdId;
  if (!holdId) return undefined;
  const hold = await ctx.booking.getHold(userId, holdId).catch(() => undefined);
  return hold?.live && hold.status !== 'CONFIRMED' ? hold : undefined;
}

function describeHold(hold: HoldView, ctx: ToolContext, status: string) {
  return {
    status,
    holdId: hold.holdId,
    seats: seatsLabel(
      hold.seats.map((s) => s.seatId),
      ctx.locale,
    ),
    ticketsTotal: hold.ticketTotal,
    bookingFee: hold.bookingFee,
    total: hold.total,
    payBefore: when(hold.deadline, ctx.locale),
    note: 'The page shows the hold card with pay and release buttons. Ask the person to pay there before it expires.',
  };
}
