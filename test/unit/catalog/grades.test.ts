import { expect } from 'chai';
import { gradeOf, priceTable, sellableSeat, sellableSeats, startingPrice } from '../../../app/catalog/grades.js';
import { grade } from '../../../app/catalog/grade-styles.js';
import { findSeat } from '../../../app/catalog/seats.js';
import { HANGANG_DEFAULT_GRADE_RULES, HANGANG_GRAND_THEATER } from '../../../app/catalog/venues.js';
import type { Performance, Seat } from '../../../app/catalog/types.js';

function musical(overrides: Partial<Performance> = {}): Performance {
  return {
    id: 'perf-test',
    title: { ko: '시험 공연', en: 'Test Show' },
    genre: 'musical',
    description: { ko: '설명', en: 'Description' },
    venueId: HANGANG_GRAND_THEATER.id,
    runStart: '2026-12-01',
    runEnd: '2026-12-31',
    runtimeMinutes: 150,
    minAge: 8,
    cast: [],
    grades: [grade('OP', 170_000), grade('VIP', 170_000), grade('R', 140_000), grade('S', 110_000), grade('A', 80_000)],
    gradeRules: HANGANG_DEFAULT_GRADE_RULES,
    sellsOp: true,
    status: 'ACTIVE',
    weeklyPattern: {},
    posterPalette: ['#000000', '#FFFFFF'],
    ...overrides,
  };
}

function seat(id: string): Seat {
  const found = findSeat(HANGANG_GRAND_THEATER, id);
  if (!found) throw new Error(`no seat ${id}`);
  return found;
}

describe('catalog/grades', () => {
  describe('gradeOf with the default reference-theatre rules', () => {
    const expected = [
      ['1F-B-3-5', 'VIP'],
      ['1F-B-1-1', 'VIP'],
      ['1F-B-4-1', 'R'],
      ['1F-B-10-14', 'R'],
      ['1F-B-11-1', 'S'],
      ['1F-B-14-1', 'S'],
      ['1F-B-15-1', 'A'],
      ['1F-B-17-14', 'A'],
      ['1F-A-5-1', 'R'],
      ['1F-A-6-1', 'S'],
      ['1F-A-10-12', 'S'],
      ['1F-A-11-1', 'A'],
      ['1F-C-1-12', 'R'],
      ['1F-C-17-15', 'A'],
      ['2F-E-3-1', 'S'],
      ['2F-E-4-1', 'A'],
      ['2F-D-1-1', 'S'],
      ['2F-F-13-13', 'A'],
    ] as const;
    for (const [id, code] of expected) {
      it(`grades ${id} as ${code}`, () => {
        expect(gradeOf(musical(), seat(id))?.code).to.equal(code);
      });
    }

    it('grades 1F-B-OP-1 as OP (170,000) when the show sells OP seats', () => {
      const result = gradeOf(musical({ sellsOp: true }), seat('1F-B-OP-1'));
      expect(result?.code).to.equal('OP');
      expect(result?.price).to.equal(170_000);
    });

    it('does not sell 1F-B-OP-1 (undefined) when the show does not sell OP seats, even with an OP rule', () => {
      expect(gradeOf(musical({ sellsOp: false }), seat('1F-B-OP-1'))).to.equal(undefined);
    });
  });

  describe('gradeOf rule semantics', () => {
    it('lets the first matching rule win over a later, wider one', () => {
      const performance = musical({
        gradeRules: [
          { floor: 2, section: 'E', rows: { from: 1, to: 1 }, grade: 'VIP' },
          { floor: 2, rows: { from: 1, to: 13 }, grade: 'A' },
        ],
      });
      expect(gradeOf(performance, seat('2F-E-1-1'))?.code).to.equal('VIP');
      expect(gradeOf(performance, seat('2F-D-1-1'))?.code).to.equal('A');
    });

    it('does not sell a seat no rule matches', () => {
      const performance = musical({ gradeRules: [{ floor: 1, rows: { from: 1, to: 17 }, grade: 'R' }] });
      expect(gradeOf(performance, seat('2F-E-1-1'))).to.equal(undefined);
    });

    it('never lets a numeric row range match an OP seat', () => {
      const performance = musical({ gradeRules: [{ floor: 1, rows: { from: 0, to: 99 }, grade: 'R' }] });
      expect(gradeOf(performance, seat('1F-B-OP-1'))).to.equal(undefined);
    });

    it('does not sell a seat whose rule names a grade the performance does not define', () => {
      const performance = musical({ grades: [grade('R', 140_000)] });
      expect(gradeOf(performance, seat('1F-B-1-1'))).to.equal(undefined);
      expect(gradeOf(performance, seat('1F-B-4-1'))?.code).to.equal('R');
    });
  });

  describe('sellableSeats / sellableSeat', () => {
    it('sells all 1,210 seats with OP and 1,198 without', () => {
      expect(sellableSeats(musical({ sellsOp: true }), HANGANG_GRAND_THEATER)).to.have.length(1210);
      expect(sellableSeats(musical({ sellsOp: false }), HANGANG_GRAND_THEATER)).to.have.length(1198);
    });

    it('returns the seat and its grade for a sold id, undefined for OP-not-sold, unknown and malformed ids', () => {
      const noOp = musical({ sellsOp: false });
      expect(sellableSeat(noOp, HANGANG_GRAND_THEATER, '1F-B-3-5')?.grade.price).to.equal(170_000);
      expect(sellableSeat(noOp, HANGANG_GRAND_THEATER, '1F-B-OP-1')).to.equal(undefined);
      expect(sellableSeat(noOp, HANGANG_GRAND_THEATER, '1F-B-18-1')).to.equal(undefined);
      expect(sellableSeat(noOp, HANGANG_GRAND_THEATER, '1f-b-3-5')).to.equal(undefined);
    });
  });

  describe('startingPrice', () => {
    it('is the cheapest grade on sale (80,000 for the default musical)', () => {
      expect(startingPrice(musical())).to.equal(80_000);
    });

    it('ignores a cheap grade that only OP rules hand out when OP is not sold', () => {
      const performance = musical({ sellsOp: false, grades: [...musical().grades.slice(1), grade('B', 10_000)] });
      const rules = [{ floor: 1, section: 'B', rows: 'OP' as const, grade: 'B' }, ...HANGANG_DEFAULT_GRADE_RULES];
      expect(startingPrice({ ...performance, gradeRules: rules })).to.equal(80_000);
      expect(startingPrice({ ...performance, gradeRules: rules, sellsOp: true })).to.equal(10_000);
    });

    it('is undefined when nothing is on sale', () => {
      expect(startingPrice(musical({ gradeRules: [] }))).to.equal(undefined);
    });
  });

  describe('priceTable', () => {
    it('lists grades on sale by price, highest first, ties by code', () => {
      expect(priceTable(musical()).map((row) => row.grade.code)).to.deep.equal(['OP', 'VIP', 'R', 'S', 'A']);
    });

    it('leaves OP out when the show does not sell OP seats', () => {
      expect(priceTable(musical({ sellsOp: false })).map((row) => row.grade.code)).to.deep.equal([
        'VIP',
        'R',
        'S',
        'A',
      ]);
    });

    it('counts sellable seats per grade when given the venue (OP 12, VIP 42, R 218, S 296, A 642)', () => {
      const table = priceTable(musical(), HANGANG_GRAND_THEATER).map((row) => [row.grade.code, row.seats]);
      expect(table).to.deep.equal([
        ['OP', 12],
        ['VIP', 42],
        ['R', 218],
        ['S', 296],
        ['A', 642],
      ]);
    });

    it('leaves out counts when no venue is given', () => {
      expect(priceTable(musical()).every((row) => row.seats === undefined)).to.equal(true);
    });
  });
});
