import { expect } from 'chai';
import { pricedSeatOf, storedSeatOf } from '../../../app/booking/stored-seats.js';
import { priceSeats } from '../../../app/booking/pricing.js';
import { demoPerformances, demoVenues } from '../../../app/catalog/demo-catalog.js';
import { sellableSeats } from '../../../app/catalog/grades.js';
import type { SeatGrade } from '../../../app/catalog/types.js';

/**
 * Hold and reservation items store a seat as id, grade code and price; label and grade name are derived on read.
 * Every reader (API JSON, pages, assistant, receipts) must see exactly what the hold answered with.
 */
describe('stored seats: label and grade name derived on read', () => {
  const performances = demoPerformances('2026-12-01');
  const R: SeatGrade = {
    code: 'R',
    name: { ko: 'R석', en: 'R seat' },
    price: 140_000,
    color: '#000',
    pattern: 'solid',
  };

  it('every sellable seat of every demo performance reads back exactly as priced at hold time', () => {
    let checked = 0;
    for (const performance of performances) {
      const venue = demoVenues.find((v) => v.id === performance.venueId)!;
      const ids = sellableSeats(performance, venue).map((s) => s.seat.id);
      for (let i = 0; i < ids.length; i += 4) {
        for (const priced of priceSeats(performance, venue, ids.slice(i, i + 4))) {
          expect(pricedSeatOf(storedSeatOf(priced), performance.grades)).to.deep.equal(priced);
          checked += 1;
        }
      }
    }
    expect(checked).to.be.greaterThan(5_000);
  });

  it('a new item stores only the seat id, grade code and price', () => {
    const priced = pricedSeatOf({ seatId: '1F-B-7-14', grade: 'R', price: 140_000 }, [R]);
    expect(storedSeatOf(priced)).to.deep.equal({ seatId: '1F-B-7-14', grade: 'R', price: 140_000 });
  });

  it('the label comes from the seat id, the OP row included', () => {
    expect(pricedSeatOf({ seatId: '1F-B-OP-3', grade: 'R', price: 1 }, [R]).label).to.deep.equal({
      ko: '1층 B구역 OP열 3번',
      en: 'Floor 1, Section B, OP row, Seat 3',
    });
  });

  it('an item written before the change keeps its stored label and grade name (rolling deploy)', () => {
    const old = {
      seatId: '1F-B-7-14',
      label: { ko: '옛 라벨', en: 'old label' },
      grade: 'R',
      gradeName: { ko: '옛 등급', en: 'old grade' },
      price: 120_000,
    };
    expect(pricedSeatOf(old, [R])).to.deep.equal(old);
  });

  it('a grade the performance no longer defines, or a performance the catalog no longer has, reads as its code', () => {
    const seat = { seatId: '1F-B-7-14', grade: 'VIP', price: 170_000 };
    expect(pricedSeatOf(seat, [R]).gradeName).to.deep.equal({ ko: 'VIP', en: 'VIP' });
    expect(pricedSeatOf(seat, undefined).gradeName).to.deep.equal({ ko: 'VIP', en: 'VIP' });
  });
});
