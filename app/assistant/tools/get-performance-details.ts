import { z } from 'zod';
import { priceTable } from '../../catalog/grades.js';
import { GENRE_LABELS } from '../../catalog/genres.js';
import { totalSeats } from '../../catalog/seats.js';
import { defineTool, idField } from './define.js';
import { performanceOf, venueOf } from './common.js';

export const getPerformanceDetails = defineTool({
  name: 'get_performance_details',
  input: z
    .object({ performanceId: idField })
    .strict()
    .describe(
      'Full details of one performance: description, cast (role → actors), venue and address, run, runtime, age ' +
        'rating and the price of every grade on sale.',
    ),
  async run({ performanceId }, ctx) {
    const performance = await performanceOf(ctx.catalog, performanceId);
    const venue = await venueOf(ctx.catalog, performance);
    const { locale } = ctx;
    ctx.update((s) => ({ ...s, performanceId }));
    return {
      performanceId,
      title: performance.title[locale],
      genre: GENRE_LABELS[performance.genre][locale],
      description: performance.description[locale],
      venue: { venueId: venue.id, name: venue.name[locale], address: venue.address[locale], seats: totalSeats(venue) },
      run: `${performance.runStart} ~ ${performance.runEnd}`,
      runtimeMinutes: performance.runtimeMinutes,
      minimumAge: performance.minAge,
      cast: performance.cast.map((c) => ({ role: c.role[locale], actors: c.actors.join(', ') })),
      grades: priceTable(performance, venue).map((r) => ({
        grade: r.grade.code,
        name: r.grade.name[locale],
        price: r.grade.price,
        seats: r.seats ?? null,
      })),
      sellsOrchestraPit: performance.sellsOp,
    };
  },
});
