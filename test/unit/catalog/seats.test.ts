import { expect } from 'chai';
import {
  findSeat,
  parseSeatId,
  seatId,
  seatIndexOf,
  seatLabel,
  seatsOf,
  totalSeats,
} from '../../../app/catalog/seats.js';
import { rows, section } from '../../../app/catalog/layout-builders.js';
import { demoVenues, HANGANG_GRAND_THEATER } from '../../../app/catalog/venues.js';
import type { Venue } from '../../../app/catalog/types.js';

describe('catalog/seats', () => {
  describe('seatId', () => {
    it('builds floor-section-row-number ids for numbered rows', () => {
      expect(seatId(1, 'B', '7', 14)).to.equal('1F-B-7-14');
    });

    it('builds OP ids for the orchestra-pit row', () => {
      expect(seatId(1, 'B', 'OP', 3)).to.equal('1F-B-OP-3');
    });
  });

  describe('parseSeatId', () => {
    it('parses a numbered-row id into its parts', () => {
      expect(parseSeatId('1F-B-7-14')).to.deep.equal({ floor: 1, section: 'B', row: '7', number: 14 });
    });

    it('parses an OP-row id into its parts', () => {
      expect(parseSeatId('1F-B-OP-3')).to.deep.equal({ floor: 1, section: 'B', row: 'OP', number: 3 });
    });

    it('parses two-digit floors, two-letter sections, three-digit rows and four-digit numbers', () => {
      expect(parseSeatId('12F-AB-123-1234')).to.deep.equal({ floor: 12, section: 'AB', row: '123', number: 1234 });
    });

    const malformed = [
      ['a missing seat number', '1F-B-7'],
      ['a lower-case section', '1F-b-7-14'],
      ['row 0', '1F-B-0-1'],
      ['seat 0', '1F-B-7-0'],
      ['a zero-padded seat number', '1F-B-7-014'],
      ['a zero-padded row', '1F-B-07-14'],
      ['a lower-case op row', '1F-B-op-3'],
      ['markup', '<script>'],
      ['surrounding whitespace', ' 1F-B-7-14 '],
      ['a trailing newline', '1F-B-7-14\n'],
      ['a missing floor marker', '1-B-7-14'],
      ['a three-letter section', '1F-ABC-7-14'],
      ['the empty string', ''],
      ['a very long string', `1F-B-7-${'1'.repeat(10_000)}`],
      ['a very long repeated id', '1F-B-7-14'.repeat(1_000)],
    ] as const;
    for (const [what, id] of malformed) {
      it(`rejects ${what} with undefined`, () => {
        expect(parseSeatId(id)).to.equal(undefined);
      });
    }
  });

  describe('seatLabel', () => {
    it('labels a numbered seat "1층 B구역 7열 14번" / "Floor 1, Section B, Row 7, Seat 14"', () => {
      expect(seatLabel({ floor: 1, section: 'B', row: '7', number: 14 })).to.deep.equal({
        ko: '1층 B구역 7열 14번',
        en: 'Floor 1, Section B, Row 7, Seat 14',
      });
    });

    it('labels an OP seat "1층 B구역 OP열 3번" / "Floor 1, Section B, OP row, Seat 3"', () => {
      expect(seatLabel({ floor: 1, section: 'B', row: 'OP', number: 3 })).to.deep.equal({
        ko: '1층 B구역 OP열 3번',
        en: 'Floor 1, Section B, OP row, Seat 3',
      });
    });
  });

  describe('seatsOf / seatIndexOf', () => {
    it('derives seats in layout order: floor, section, OP row before row 1, then seat number', () => {
      const ids = seatsOf(HANGANG_GRAND_THEATER).map((seat) => seat.id);
      expect(ids[0]).to.equal('1F-A-1-1');
      expect(ids.indexOf('1F-B-OP-12') + 1).to.equal(ids.indexOf('1F-B-1-1'));
      expect(ids.indexOf('1F-A-17-15') + 1).to.equal(ids.indexOf('1F-B-OP-1'));
      expect(ids.at(-1)).to.equal('2F-F-13-13');
    });

    it('marks exactly the OP row seats as isOp (12 in the reference theatre)', () => {
      const op = seatsOf(HANGANG_GRAND_THEATER).filter((seat) => seat.isOp);
      expect(op).to.have.length(12);
      expect(op.every((seat) => seat.row === 'OP' && seat.section === 'B' && seat.floor === 1)).to.equal(true);
    });

    it('returns the same index object for the same venue object (memoised)', () => {
      expect(seatIndexOf(HANGANG_GRAND_THEATER)).to.equal(seatIndexOf(HANGANG_GRAND_THEATER));
      expect(seatsOf(HANGANG_GRAND_THEATER)).to.equal(seatsOf(HANGANG_GRAND_THEATER));
    });

    it('finds a seat by id and returns undefined for ids the venue does not have', () => {
      expect(findSeat(HANGANG_GRAND_THEATER, '2F-E-13-14')?.label.en).to.equal('Floor 2, Section E, Row 13, Seat 14');
      expect(findSeat(HANGANG_GRAND_THEATER, '2F-E-13-15')).to.equal(undefined);
      expect(findSeat(HANGANG_GRAND_THEATER, '2F-E-14-1')).to.equal(undefined);
      expect(findSeat(HANGANG_GRAND_THEATER, '1F-A-OP-1')).to.equal(undefined);
    });

    it('refuses a layout whose section id would produce a non-canonical seat id', () => {
      const bad: Venue = {
        id: 'venue-bad',
        name: { ko: '잘못된 극장', en: 'Bad Theater' },
        address: { ko: '서울', en: 'Seoul' },
        floors: [{ floor: 1, sections: [section('b', 0, rows(1, 1, 1))] }],
      };
      expect(() => seatsOf(bad)).to.throw(/non-canonical seat id "1F-b-1-1"/);
    });

    it('refuses a layout with the same section id twice (duplicate seat ids)', () => {
      const bad: Venue = {
        id: 'venue-dup',
        name: { ko: '중복 극장', en: 'Duplicate Theater' },
        address: { ko: '서울', en: 'Seoul' },
        floors: [{ floor: 1, sections: [section('A', 0, rows(1, 1, 2)), section('A', 1, rows(1, 1, 2))] }],
      };
      expect(() => seatsOf(bad)).to.throw(/duplicate seat id "1F-A-1-1"/);
    });
  });

  for (const venue of demoVenues) {
    describe(`every seat of ${venue.id}`, () => {
      it('has an id unique within the venue, and the index holds every seat', () => {
        const ids = seatsOf(venue).map((seat) => seat.id);
        expect(new Set(ids).size).to.equal(ids.length);
        expect(seatIndexOf(venue).size).to.equal(totalSeats(venue));
      });

      it('has an id that parses back to the seat parts, and labels built from the same parts', () => {
        for (const seat of seatsOf(venue)) {
          const parts = parseSeatId(seat.id);
          expect(parts, seat.id).to.deep.equal({
            floor: seat.floor,
            section: seat.section,
            row: seat.row,
            number: seat.number,
          });
          expect(seat.isOp, seat.id).to.equal(seat.row === 'OP');
          expect(seat.label.ko, seat.id).to.equal(`${seat.floor}층 ${seat.section}구역 ${seat.row}열 ${seat.number}번`);
          const enRow = seat.isOp ? 'OP row' : `Row ${seat.row}`;
          expect(seat.label.en, seat.id).to.equal(
            `Floor ${seat.floor}, Section ${seat.section}, ${enRow}, Seat ${seat.number}`,
          );
          expect(seatIndexOf(venue).get(seat.id), seat.id).to.equal(seat);
        }
      });
    });
  }
});
