import { expect } from 'chai';
import { seatsOf, totalSeats } from '../../../app/catalog/seats.js';
import {
  DAEHANGNO_PLAYHOUSE,
  demoVenues,
  HANGANG_GRAND_THEATER,
  SEOUL_HARMONIA_HALL,
} from '../../../app/catalog/venues.js';
import type { Venue } from '../../../app/catalog/types.js';

function seatsPerSection(venue: Venue): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const seat of seatsOf(venue))
    counts[`${seat.floor}F-${seat.section}`] = (counts[`${seat.floor}F-${seat.section}`] ?? 0) + 1;
  return counts;
}

describe('catalog/venues', () => {
  describe('reference theatre (SPEC 2)', () => {
    it('has 220/250/220 seats on floor 1 and 169/182/169 on floor 2, 1,210 in total', () => {
      expect(seatsPerSection(HANGANG_GRAND_THEATER)).to.deep.equal({
        '1F-A': 220,
        '1F-B': 250,
        '1F-C': 220,
        '2F-D': 169,
        '2F-E': 182,
        '2F-F': 169,
      });
      expect(totalSeats(HANGANG_GRAND_THEATER)).to.equal(1210);
    });

    it('has rows of 12 (1–10), 14 (11–15) and 15 (16–17) seats in sections A and C', () => {
      for (const id of ['A', 'C']) {
        const rows = HANGANG_GRAND_THEATER.floors[0]?.sections.find((s) => s.id === id)?.rows ?? [];
        expect(rows.map((r) => `${r.row}:${r.seats}`)).to.deep.equal([
          ...Array.from({ length: 10 }, (_, i) => `${i + 1}:12`),
          ...Array.from({ length: 5 }, (_, i) => `${i + 11}:14`),
          '16:15',
          '17:15',
        ]);
      }
    });

    it('has an OP row of 12 in front of 17 rows of 14 in section B', () => {
      const rows = HANGANG_GRAND_THEATER.floors[0]?.sections.find((s) => s.id === 'B')?.rows ?? [];
      expect(rows.map((r) => `${r.row}:${r.seats}`)).to.deep.equal([
        'OP:12',
        ...Array.from({ length: 17 }, (_, i) => `${i + 1}:14`),
      ]);
    });

    it('treats B and E as centre sections (0) and A, C, D, F as side sections (1)', () => {
      const centrality = Object.fromEntries(
        HANGANG_GRAND_THEATER.floors.flatMap((f) => f.sections.map((s) => [s.id, s.centrality])),
      );
      expect(centrality).to.deep.equal({ A: 1, B: 0, C: 1, D: 1, E: 0, F: 1 });
    });
  });

  describe('demo venues', () => {
    it('has at least 3 venues with unique ids and distinct sizes', () => {
      expect(demoVenues.length).to.be.at.least(3);
      expect(new Set(demoVenues.map((v) => v.id)).size).to.equal(demoVenues.length);
      expect(new Set(demoVenues.map(totalSeats)).size).to.equal(demoVenues.length);
    });

    it('includes a ~300-seat single-floor playhouse and a 2,000+ seat three-floor hall', () => {
      expect(totalSeats(DAEHANGNO_PLAYHOUSE)).to.be.within(250, 350);
      expect(DAEHANGNO_PLAYHOUSE.floors).to.have.length(1);
      expect(totalSeats(SEOUL_HARMONIA_HALL)).to.be.at.least(2000);
      expect(SEOUL_HARMONIA_HALL.floors).to.have.length(3);
    });

    it('names and addresses every venue in Korean and English, in Seoul', () => {
      for (const venue of demoVenues) {
        expect(venue.name.ko, venue.id).to.match(/[가-힣]/);
        expect(venue.name.en, venue.id).to.match(/^[\x20-\x7E]+$/);
        expect(venue.address.ko, venue.id).to.match(/^서울특별시 /);
        expect(venue.address.en, venue.id).to.match(/Seoul$/);
      }
    });

    it('gives every section a Korean and English name and a unique id within its venue', () => {
      for (const venue of demoVenues) {
        const sections = venue.floors.flatMap((f) => f.sections);
        expect(new Set(sections.map((s) => s.id)).size, venue.id).to.equal(sections.length);
        for (const s of sections)
          expect(s.name, `${venue.id} ${s.id}`).to.deep.equal({ ko: `${s.id}구역`, en: `Section ${s.id}` });
      }
    });
  });
});
