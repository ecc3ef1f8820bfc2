import { z } from 'zod';
import { totalSeats } from '../../catalog/seats.js';
import { defineTool, idField, ToolError } from './define.js';
import { performanceOf } from './common.js';

export const getVenueInfo = defineTool({
  name: 'get_venue_info',
  input: z
    .object({
      venueId: idField.optional(),
      performanceId: idField.optional().describe('Instead of venueId: the venue this performance plays in.'),
    })
    .strict()
    .describe(
      'A venue: name, address, total seats and its layout (floors → sections with their rows and seats per row). ' +
        'Give venueId or performanceId.',
    ),
  async run(input, ctx) {
    const venueId =
      input.venueId ?? (input.performanceId && (await performanceOf(ctx.catalog, input.performanceId)).venueId);
    if (!venueId) throw new ToolError('INVALID_INPUT', 'Give venueId or performanceId.');
    const venue = await ctx.catalog.getVenue(venueId);
    if (!venue) throw new ToolError('NOT_FOUND', `No venue has the id "${venueId}".`);
    return {
      venueId: venue.id,
      name: venue.name[ctx.locale],
      address: venue.address[ctx.locale],
      totalSeats: totalSeats(venue),
      floors: venue.floors.map((f) => ({
        floor: f.floor,
        sections: f.sections.map((s) => ({
          section: s.id,
          centre: s.centrality === 0,
          rows: s.rows.map((r) => `${r.row}:${r.seats}`).join(' '),
        })),
      })),
    };
  },
});
