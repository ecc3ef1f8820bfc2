import { z } from 'zod';
import { defineTool, idField, ToolError } from './define.js';
import { requireUser } from './common.js';

export const cancelHold = defineTool({
  name: 'cancel_hold',
  input: z
    .object({ holdId: idField.optional().describe("Default: this conversation's hold.") })
    .strict()
    .describe(
      "Releases the person's unpaid hold so the seats are free again. It cannot cancel a paid reservation " +
        '(that is done on the My Reservations page, where the refund is shown first).',
    ),
  async run(input, ctx) {
    const userId = requireUser(ctx);
    const holdId = input.holdId ?? ctx.state().holdId;
    if (!holdId) throw new ToolError('NO_HOLD', 'There is no hold in this conversation to release.');
    await ctx.booking.release(userId, holdId);
    ctx.update((s) => (s.holdId === holdId ? { ...s, holdId: undefined } : s));
    ctx.holdReleased(holdId);
    return { released: true, holdId };
  },
});
