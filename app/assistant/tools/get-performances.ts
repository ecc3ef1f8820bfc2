import { z } from 'zod';
import { startingPrice } from '../../catalog/grades.js';
import { GENRE_LABELS } from '../../catalog/genres.js';
import { findPerformances } from '../../catalog/search.js';
import { GENRES } from '../../catalog/types.js';
import { dateField, defineTool } from './define.js';

export const getPerformances = defineTool({
  name: 'get_performances',
  input: z
    .object({
      query: z.string().max(100).optional().describe('Part of the Korean or English title.'),
      genre: z.enum(GENRES).optional(),
      date: dateField.optional().describe('Only shows with a slot on this KST date (YYYY-MM-DD).'),
    })
    .strict()
    .describe(
      'Search the performances on sale (the catalog snapshot in the instructions already lists them; use this for ' +
        'a date filter or when the snapshot is not enough). Returns ids, titles, genre, venue, run and lowest price.',
    ),
  async run(input, ctx) {
    const found = await findPerformances(
      ctx.catalog,
      { q: input.query, genre: input.genre, date: input.date },
      ctx.now,
    );
    return {
      performances: found.slice(0, 10).map((p) => ({
        performanceId: p.id,
        title: p.title[ctx.locale],
        genre: GENRE_LABELS[p.genre][ctx.locale],
        venueId: p.venueId,
        run: `${p.runStart} ~ ${p.runEnd}`,
        fromPrice: startingPrice(p) ?? null,
      })),
    };
  },
});
