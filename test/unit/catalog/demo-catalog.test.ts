import { expect } from 'chai';
import { demoOnSale, demoPerformances, demoVenues } from '../../../app/catalog/demo-catalog.js';
import { sellableSeats } from '../../../app/catalog/grades.js';
import { grade } from '../../../app/catalog/grade-styles.js';
import { onSaleProblems, performanceProblems } from '../../../app/catalog/validation.js';
import { HANGANG_GRAND_THEATER } from '../../../app/catalog/venues.js';
import { GENRES } from '../../../app/catalog/types.js';
import type { Performance, Venue } from '../../../app/catalog/types.js';
import { addDays, daysBetween } from '../../../app/shared/time.js';

const TODAY = '2026-12-01';
const performances = demoPerformances(TODAY);
const active = performances.filter((p) => p.status === 'ACTIVE');
const HANGUL = /[가-힣]/;

function venueOf(performance: Performance): Venue {
  const venue = demoVenues.find((v) => v.id === performance.venueId);
  if (!venue) throw new Error(`${performance.id}: unknown venue ${performance.venueId}`);
  return venue;
}

function pricesOf(id: string): Record<string, number> {
  const performance = performances.find((p) => p.id === id);
  return Object.fromEntries((performance?.grades ?? []).map((g) => [g.code, g.price]));
}

describe('catalog/demo-catalog', () => {
  describe('breadth', () => {
    it('has at least 3 venues and at least 8 ACTIVE performances across at least 3 genres', () => {
      expect(demoVenues.length).to.be.at.least(3);
      expect(active.length).to.be.at.least(8);
      expect(new Set(active.map((p) => p.genre)).size).to.be.at.least(3);
    });

    it('uses every venue and only known genres', () => {
      expect(new Set(performances.map((p) => p.venueId))).to.deep.equal(new Set(demoVenues.map((v) => v.id)));
      for (const p of performances) expect(GENRES, p.id).to.include(p.genre);
    });

    it('has stable, unique, slug-style ids independent of today', () => {
      const ids = performances.map((p) => p.id);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const id of ids) expect(id).to.match(/^perf-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(demoPerformances('2030-06-15').map((p) => p.id)).to.deep.equal(ids);
      expect(ids).to.include('perf-moonlight-garden');
    });
  });

  describe('data soundness', () => {
    for (const performance of performances) {
      it(`${performance.id}: has no catalog problems and sells every seat it grades at a positive integer price`, () => {
        const venue = venueOf(performance);
        expect(performanceProblems(performance, venue)).to.deep.equal([]);
        const sellable = sellableSeats(performance, venue);
        expect(sellable.length).to.be.greaterThan(0);
        for (const { seat, grade: g } of sellable) {
          expect(Number.isInteger(g.price) && g.price > 0, seat.id).to.equal(true);
        }
      });

      it(`${performance.id}: is described in Korean and English with cast, age, runtime and palette`, () => {
        expect(performance.title.ko).to.match(HANGUL);
        expect(performance.title.en).to.not.match(HANGUL);
        expect(performance.title.en).to.have.length.greaterThan(0);
        expect(performance.description.ko).to.match(HANGUL);
        expect(performance.description.en).to.not.match(HANGUL);
        expect(performance.description.en).to.have.length.greaterThan(20);
        expect(performance.cast.length).to.be.greaterThan(0);
        for (const entry of performance.cast) {
          expect(entry.role.ko).to.match(HANGUL);
          expect(entry.role.en).to.not.match(HANGUL);
          expect(entry.actors.length, entry.role.en).to.be.greaterThan(0);
          for (const actor of entry.actors) expect(actor).to.match(HANGUL);
        }
        expect(Number.isInteger(performance.minAge) && performance.minAge >= 0).to.equal(true);
        expect(Number.isInteger(performance.runtimeMinutes) && performance.runtimeMinutes > 0).to.equal(true);
        for (const color of performance.posterPalette) expect(color).to.match(/^#[0-9A-F]{6}$/i);
        const times = Object.values(performance.weeklyPattern).flat();
        expect(times.length).to.be.greaterThan(0);
        for (const time of times) expect(time).to.match(/^([01]\d|2[0-3]):[0-5]\d$/);
      });
    }
  });

  describe('the reference theatre', () => {
    const onTheatre = performances.filter((p) => p.venueId === HANGANG_GRAND_THEATER.id);

    it('hosts one show that sells OP seats and one that does not', () => {
      expect(onTheatre.some((p) => p.sellsOp)).to.equal(true);
      expect(onTheatre.some((p) => !p.sellsOp)).to.equal(true);
    });

    it('prices its musicals VIP 170,000 / R 140,000 / S 110,000 / A 80,000 and OP 170,000 when sold', () => {
      expect(pricesOf('perf-moonlight-garden')).to.deep.equal({
        OP: 170_000,
        VIP: 170_000,
        R: 140_000,
        S: 110_000,
        A: 80_000,
      });
      expect(pricesOf('perf-boy-who-swallowed-stars')).to.deep.equal({
        VIP: 170_000,
        R: 140_000,
        S: 110_000,
        A: 80_000,
      });
    });
  });

  describe('prices by genre', () => {
    it('prices plays between 50,000 and 66,000 and concerts between 99,000 and 154,000', () => {
      for (const p of performances) {
        const prices = p.grades.map((g) => g.price);
        if (p.genre === 'play')
          expect(
            prices.every((x) => x >= 50_000 && x <= 66_000),
            p.id,
          ).to.equal(true);
        if (p.genre === 'concert')
          expect(
            prices.every((x) => x >= 99_000 && x <= 154_000),
            p.id,
          ).to.equal(true);
      }
    });

    it('uses whole-thousand KRW prices everywhere', () => {
      for (const p of performances) for (const g of p.grades) expect(g.price % 1000, `${p.id} ${g.code}`).to.equal(0);
    });
  });

  describe('run dates relative to today', () => {
    it('starts the running musical 20 days before today and moves with today', () => {
      const later = demoPerformances(addDays(TODAY, 100)).find((p) => p.id === 'perf-moonlight-garden');
      expect(performances.find((p) => p.id === 'perf-moonlight-garden')?.runStart).to.equal(addDays(TODAY, -20));
      expect(later?.runStart).to.equal(addDays(TODAY, 80));
    });

    it('ends every ACTIVE run today or later and starts it within the next 90 days', () => {
      for (const p of active) {
        expect(daysBetween(TODAY, p.runEnd), p.id).to.be.at.least(0);
        expect(daysBetween(TODAY, p.runStart), p.id).to.be.below(90);
        expect(daysBetween(p.runStart, p.runEnd), p.id).to.be.at.least(0);
      }
    });

    it('never has two runs overlapping at one venue', () => {
      for (const venue of demoVenues) {
        const runs = performances.filter((p) => p.venueId === venue.id);
        for (const a of runs) {
          for (const b of runs) {
            if (a === b) continue;
            const overlap = daysBetween(a.runStart, b.runEnd) >= 0 && daysBetween(b.runStart, a.runEnd) >= 0;
            expect(overlap, `${a.id} / ${b.id}`).to.equal(false);
          }
        }
      }
    });
  });

  describe('performanceProblems', () => {
    const base = performances.find((p) => p.id === 'perf-moonlight-garden') as Performance;

    it('reports a rule naming an undefined grade, a non-integer price, duplicate codes and a reversed run', () => {
      const broken: Performance = {
        ...base,
        grades: [grade('R', 140_000.5), grade('R', 100_000)],
        runStart: '2026-12-10',
        runEnd: '2026-12-01',
      };
      const problems = performanceProblems(broken, HANGANG_GRAND_THEATER).join('\n');
      expect(problems).to.include('undefined grade VIP');
      expect(problems).to.include('grade R price is not a positive integer');
      expect(problems).to.include('grade codes are not unique');
      expect(problems).to.include('run ends before it starts');
    });

    it('reports a performance checked against the wrong venue', () => {
      const other = demoVenues.find((v) => v.id !== base.venueId) as Venue;
      expect(performanceProblems(base, other).join('\n')).to.include('checked against');
    });
  });

  describe('on-sale (waiting room) config', () => {
    const now = Date.parse('2026-12-01T02:07:30Z');

    it('exactly one demo performance goes on sale through the waiting room, a few minutes after the demo starts', () => {
      const queued = demoPerformances(TODAY, now).filter((p) => p.onSale?.queue);
      expect(queued.map((p) => p.id)).to.deep.equal(['perf-neon-tide-live']);
      const onSale = queued[0]!.onSale!;
      expect(onSale.preQueueOpensAt).to.equal(now);
      expect(onSale.opensAt - now).to.be.within(3 * 60_000, 8 * 60_000);
      expect(onSale.opensAt % (5 * 60_000)).to.equal(0);
      expect(onSaleProblems(onSale)).to.deep.equal([]);
    });

    it('the on-sale moves with the start instant; the rest of the catalog does not depend on it', () => {
      const later = demoPerformances(TODAY, now + 3_600_000);
      expect(later.find((p) => p.onSale)?.onSale?.opensAt).to.equal(demoOnSale(now + 3_600_000).opensAt);
      const strip = (list: Performance[]) => list.map(({ onSale: _onSale, ...rest }) => rest);
      expect(strip(later)).to.deep.equal(strip(demoPerformances(TODAY, now)));
    });

    it('refuses an on-sale that opens the pre-queue after the sale, or with rates, windows or caps out of range', () => {
      const good = demoOnSale(now);
      expect(onSaleProblems({ ...good, preQueueOpensAt: good.opensAt + 1 })).to.deep.equal([
        'the pre-queue opens after the sale',
      ]);
      expect(onSaleProblems({ ...good, admitPerMinute: 0 })).to.have.length(1);
      expect(onSaleProblems({ ...good, admitPerMinute: 1.5 })).to.have.length(1);
      expect(onSaleProblems({ ...good, admissionWindowMinutes: 0 })).to.have.length(1);
      expect(onSaleProblems({ ...good, maxHoldsPerAdmission: 11 })).to.have.length(1);
      expect(onSaleProblems({ ...good, opensAt: Number.NaN })).to.deep.equal(['opening times must be instants']);
      const base = demoPerformances(TODAY, now).find((p) => p.onSale)!;
      const venue = demoVenues.find((v) => v.id === base.venueId)!;
      expect(performanceProblems({ ...base, onSale: { ...good, maxHoldsPerAdmission: 0 } }, venue)).to.deep.equal([
        'perf-neon-tide-live: on-sale: maxHoldsPerAdmission must be an integer 1–10',
      ]);
    });
  });
});
