import { expect } from 'chai';
import { demoPerformances } from '../../../app/catalog/demo-catalog.js';
import { demoSchedules, generateSchedules, scheduleId } from '../../../app/catalog/schedules.js';
import { MUSICAL_WEEK } from '../../../app/catalog/weekly-patterns.js';
import { addDays, daysBetween, weekdayOf } from '../../../app/shared/time.js';
import type { Performance } from '../../../app/catalog/types.js';

// 2026-12-01 is a Tuesday; 2026-12-05 a Saturday; 2026-12-07 a Monday.
const TUESDAY = '2026-12-01';

function show(overrides: Partial<Performance> = {}): Performance {
  return {
    id: 'perf-moonlight-garden',
    title: { ko: '달빛 정원', en: 'Moonlight Garden' },
    genre: 'musical',
    description: { ko: '설명', en: 'Description' },
    venueId: 'venue-hangang-grand',
    runStart: '2026-11-11',
    runEnd: '2027-01-25',
    runtimeMinutes: 160,
    minAge: 8,
    cast: [
      { role: { ko: '한결', en: 'Hangyeol' }, actors: ['김도윤', '이서준', '박지훈'] },
      { role: { ko: '세아', en: 'Sea' }, actors: ['최유나', '정하은'] },
      { role: { ko: '늙은 시계공', en: 'The Old Clockmaker' }, actors: ['윤상철'] },
    ],
    grades: [],
    gradeRules: [],
    sellsOp: false,
    status: 'ACTIVE',
    weeklyPattern: MUSICAL_WEEK,
    posterPalette: ['#000000', '#FFFFFF'],
    ...overrides,
  };
}

const slots = (performance: Performance, from: string, days: number): string[] =>
  generateSchedules(performance, from, days).map((s) => `${s.date} ${s.time}`);

describe('catalog/schedules', () => {
  describe('generateSchedules follows the weekly pattern', () => {
    it('gives a Tue–Sun musical week Tue–Fri 19:30, Sat 14:00/19:00, Sun 14:00/18:00 and nothing on Monday', () => {
      expect(slots(show(), TUESDAY, 7)).to.deep.equal([
        '2026-12-01 19:30',
        '2026-12-02 19:30',
        '2026-12-03 19:30',
        '2026-12-04 19:30',
        '2026-12-05 14:00',
        '2026-12-05 19:00',
        '2026-12-06 14:00',
        '2026-12-06 18:00',
      ]);
    });

    it('gives a Monday no slot at all', () => {
      expect(generateSchedules(show(), '2026-12-07', 1)).to.deep.equal([]);
    });

    it('sorts a day’s times and drops duplicates even if the pattern lists them out of order', () => {
      const performance = show({ weeklyPattern: { 6: ['19:00', '14:00', '19:00'] } });
      expect(slots(performance, '2026-12-05', 1)).to.deep.equal(['2026-12-05 14:00', '2026-12-05 19:00']);
    });

    it('refuses a pattern time that is not HH:mm with a RangeError', () => {
      expect(() => generateSchedules(show({ weeklyPattern: { 2: ['7:30'] } }), TUESDAY, 1)).to.throw(RangeError);
      expect(() => generateSchedules(show({ weeklyPattern: { 2: ['24:00'] } }), TUESDAY, 1)).to.throw(RangeError);
    });
  });

  describe('generateSchedules times and window', () => {
    it('puts a 19:30 KST slot at 10:30Z the same day', () => {
      const [first] = generateSchedules(show(), TUESDAY, 1);
      expect(new Date(first?.startsAt ?? 0).toISOString()).to.equal('2026-12-01T10:30:00.000Z');
    });

    it('puts a 14:00 KST Saturday slot at 05:00Z', () => {
      const [first] = generateSchedules(show(), '2026-12-05', 1);
      expect(new Date(first?.startsAt ?? 0).toISOString()).to.equal('2026-12-05T05:00:00.000Z');
    });

    it('starts at runStart when fromDate is earlier, never before it', () => {
      const schedules = generateSchedules(show({ runStart: '2026-12-03' }), TUESDAY, 7);
      expect(schedules[0]?.date).to.equal('2026-12-03');
    });

    it('stops at runEnd when the window goes past it', () => {
      const schedules = generateSchedules(show({ runEnd: '2026-12-05' }), TUESDAY, 30);
      expect(schedules.at(-1)?.id).to.equal('perf-moonlight-garden-20261205-1900');
    });

    it('returns nothing for a window entirely outside the run or a non-positive number of days', () => {
      expect(generateSchedules(show(), '2027-01-26', 30)).to.deep.equal([]);
      expect(generateSchedules(show(), '2026-10-01', 10)).to.deep.equal([]);
      expect(generateSchedules(show(), TUESDAY, 0)).to.deep.equal([]);
      expect(generateSchedules(show(), TUESDAY, -5)).to.deep.equal([]);
    });

    it('keeps every slot inside [max(fromDate, runStart), min(fromDate + days − 1, runEnd)]', () => {
      const performance = show();
      const schedules = generateSchedules(performance, TUESDAY, 90);
      expect(schedules.length).to.be.greaterThan(0);
      for (const s of schedules) {
        expect(daysBetween(TUESDAY, s.date), s.id).to.be.at.least(0);
        expect(daysBetween(s.date, addDays(TUESDAY, 89)), s.id).to.be.at.least(0);
        expect(daysBetween(s.date, performance.runEnd), s.id).to.be.at.least(0);
        expect(s.status).to.equal('ON_SALE');
        expect(s.performanceId).to.equal(performance.id);
      }
    });
  });

  describe('generateSchedules ids and casting', () => {
    it('builds ids as `${performanceId}-${YYYYMMDD}-${HHmm}`', () => {
      expect(scheduleId('perf-moonlight-garden', '2026-12-05', '19:30')).to.equal(
        'perf-moonlight-garden-20261205-1930',
      );
      expect(generateSchedules(show(), TUESDAY, 1)[0]?.id).to.equal('perf-moonlight-garden-20261201-1930');
    });

    it('produces identical schedules (ids, times, casting) on every call', () => {
      expect(generateSchedules(show(), TUESDAY, 60)).to.deep.equal(generateSchedules(show(), TUESDAY, 60));
    });

    it('casts a slot the same whichever window it is generated in', () => {
      const wide = generateSchedules(show(), '2026-11-11', 60);
      const narrow = generateSchedules(show(), '2026-12-05', 3);
      for (const slot of narrow) {
        expect(wide.find((s) => s.id === slot.id)?.casting, slot.id).to.deep.equal(slot.casting);
      }
    });

    it('rotates double and triple casts so every actor plays and pairings vary', () => {
      const schedules = generateSchedules(show(), '2026-11-11', 30);
      const actorsOf = (role: string): Set<string> =>
        new Set(schedules.map((s) => s.casting.find((c) => c.role.en === role)?.actor ?? ''));
      expect([...actorsOf('Hangyeol')].sort()).to.deep.equal(['김도윤', '박지훈', '이서준']);
      expect([...actorsOf('Sea')].sort()).to.deep.equal(['정하은', '최유나']);
      expect([...actorsOf('The Old Clockmaker')]).to.deep.equal(['윤상철']);
      const pairings = new Set(
        schedules.map((s) =>
          s.casting
            .map((c) => c.actor)
            .slice(0, 2)
            .join('+'),
        ),
      );
      expect(pairings.size).to.equal(6);
    });

    it('lists one casting per role, in cast order, and skips a role with no actors', () => {
      const performance = show({ cast: [...show().cast, { role: { ko: '앙상블', en: 'Ensemble' }, actors: [] }] });
      const [first] = generateSchedules(performance, TUESDAY, 1);
      expect(first?.casting.map((c) => c.role.en)).to.deep.equal(['Hangyeol', 'Sea', 'The Old Clockmaker']);
    });
  });

  describe('demoSchedules', () => {
    // Every weekday as "today", so the weekday-aligned concert dates are exercised from each starting point.
    for (let offset = 0; offset < 7; offset += 1) {
      const today = addDays(TUESDAY, offset);
      it(`from ${today}: slots for every ACTIVE show within the next 90 days, none for INACTIVE, unique ids`, () => {
        const performances = demoPerformances(today);
        const schedules = demoSchedules(performances, today);
        expect(new Set(schedules.map((s) => s.id)).size).to.equal(schedules.length);
        for (const s of schedules) {
          expect(daysBetween(today, s.date), s.id).to.be.within(0, 89);
          const performance = performances.find((p) => p.id === s.performanceId);
          expect(performance?.status, s.id).to.equal('ACTIVE');
          expect(performance?.weeklyPattern[weekdayOf(s.date) as 0]).to.include(s.time);
        }
        for (const performance of performances) {
          const count = schedules.filter((s) => s.performanceId === performance.id).length;
          if (performance.status === 'ACTIVE') expect(count, performance.id).to.be.greaterThan(0);
          else expect(count, performance.id).to.equal(0);
        }
      });
    }

    it('includes slots in the coming week, so a fresh demo always has something to book soon', () => {
      const schedules = demoSchedules(demoPerformances(TUESDAY), TUESDAY);
      expect(schedules.filter((s) => daysBetween(TUESDAY, s.date) < 7).length).to.be.greaterThan(10);
    });
  });
});
