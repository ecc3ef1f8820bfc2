import { describeCancellationPolicy, type CancellationPolicy } from '../../booking/cancellation-policy.js';
import { priceTable } from '../../catalog/grades.js';
import { GENRE_LABELS } from '../../catalog/genres.js';
import { totalSeats } from '../../catalog/seats.js';
import type { Genre, Performance, Venue, WeeklyPattern } from '../../catalog/types.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * The compact catalog the model reads before any tool call: every performance on sale (titles in both languages,
 * venue, run, weekly pattern, grades and prices, cast, what it is about), the venues' shapes and the
 * cancellation rules, all generated from data. It changes only when the catalog does (run dates are relative to the
 * demo's start day, not to the clock), so it belongs to the cached prompt prefix. Slots, free seats and refunds for a
 * reservation are never here: they come from tools.
 */
export function catalogSnapshot(
  performances: readonly Performance[],
  venues: readonly Venue[],
  policy: CancellationPolicy,
): string {
  const venueById = new Map(venues.map((v) => [v.id, v]));
  const onSale = performances.filter((p) => p.status === 'ACTIVE').sort((a, b) => a.id.localeCompare(b.id));
  const shows = onSale.map((p) => performanceEntry(p, venueById.get(p.venueId)));
  const usedVenues = [...new Set(onSale.map((p) => p.venueId))]
    .sort()
    .map((id) => venueById.get(id))
    .filter((v): v is Venue => v !== undefined);
  // Genres whose rules read the same are listed once (the flat fee is the usual difference).
  const byText = new Map<string, Genre[]>();
  for (const genre of [...new Set(onSale.map((p) => p.genre))].sort()) {
    const text = describeCancellationPolicy(policy, 'en', genre)
      .map((l) => `- ${l}`)
      .join('\n');
    byText.set(text, [...(byText.get(text) ?? []), genre]);
  }
  const policyLines = [...byText].map(
    ([text, genres]) => `## ${genres.map((g) => GENRE_LABELS[g].en).join(', ')}\n${text}`,
  );
  return [
    '# Catalog snapshot (performances on sale)',
    ...shows,
    '# Venues',
    ...usedVenues.map(venueEntry),
    '# Cancellation and refund rules (quote a reservation’s exact refund from get_cancellation_policy)',
    ...policyLines,
  ].join('\n\n');
}

function performanceEntry(p: Performance, venue: Venue | undefined): string {
  const grades = priceTable(p, venue)
    .map((row) => `${row.grade.code} ${row.grade.price.toLocaleString('en-US')}`)
    .join(' · ');
  const cast = p.cast.map((c) => `${c.role.ko} (${c.role.en}): ${c.actors.join(', ')}`).join('; ');
  return [
    `## ${p.title.ko} / ${p.title.en}`,
    `id ${p.id} · ${GENRE_LABELS[p.genre].en} (${GENRE_LABELS[p.genre].ko}) · venue ${p.venueId}` +
      (venue ? ` (${venue.name.ko})` : ''),
    `run ${p.runStart} ~ ${p.runEnd} · ${p.runtimeMinutes} min · ${p.minAge > 0 ? `age ${p.minAge}+` : 'all ages'}`,
    `weekly (KST) ${weekly(p.weeklyPattern)}`,
    `grades KRW ${grades}${p.sellsOp ? ' (orchestra-pit row OP on sale)' : ''}`,
    `cast ${cast}`,
    `about ${firstSentence(p.description.en)}`,
  ].join('\n');
}

function firstSentence(text: string): string {
  const end = text.search(/[.!?](\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}

function venueEntry(v: Venue): string {
  const floors = v.floors
    .map((f) => {
      const sections = f.sections
        .map((s) => {
          const rows = s.rows.map((r) => r.row);
          const numbered = rows.filter((r) => r !== 'OP');
          const span = numbered.length > 0 ? `rows ${numbered[0]}–${numbered.at(-1)}` : '';
          return `${s.id}${s.centrality === 0 ? ' (centre)' : ''} ${rows.includes('OP') ? 'OP + ' : ''}${span}`;
        })
        .join(', ');
      return `floor ${f.floor}: ${sections}`;
    })
    .join('; ');
  return `## ${v.id}: ${v.name.ko} / ${v.name.en}\n${totalSeats(v)} seats · ${v.address.ko}\n${floors}`;
}

/** `Tue–Fri 19:30, Sat 14:00/19:00, Sun 14:00/18:00`: consecutive days with the same times are merged. */
function weekly(pattern: WeeklyPattern): string {
  const days = ([1, 2, 3, 4, 5, 6, 0] as const)
    .filter((d) => (pattern[d] ?? []).length > 0)
    .map((d) => ({ d, times: pattern[d]!.join('/') }));
  const runs: { from: number; to: number; times: string }[] = [];
  for (const { d, times } of days) {
    const last = runs.at(-1);
    if (last && last.times === times && (last.to + 1) % 7 === d) last.to = d;
    else runs.push({ from: d, to: d, times });
  }
  return runs.map((r) => `${WEEKDAYS[r.from]}${r.from === r.to ? '' : `–${WEEKDAYS[r.to]}`} ${r.times}`).join(', ');
}
