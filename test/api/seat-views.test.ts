import { expect } from 'chai';
import { DemoPaymentProvider } from '../../app/booking/demo-payments.js';
import { DEFAULT_CANCELLATION_POLICY } from '../../app/booking/cancellation-policy.js';
import { BookingService } from '../../app/booking/service.js';
import type { RunningServer } from '../../app/server.js';
import { addSlot, BOY, DAY, HAMLET, MOONLIGHT, signUp } from '../support/builders.js';

const SEAGULL = 'perf-seagull';
import { createFixture, type Fixture } from '../support/fixture.js';
import { request, serveApi } from '../support/servers.js';

describe('seat-view read endpoints (layout, overlay with ETag, calendar, recommendations) over HTTP', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let server: RunningServer;
  let base: string;
  before(async () => {
    fx = await createFixture('seat-views');
    server = await serveApi(fx);
    base = server.url;
  });
  after(() => server.close());

  it('GET /v1/performances/:id/seat-layout: 1,210 seats of the reference theatre with a grade per row, cacheable by ETag', async () => {
    const response = await request(base, 'GET', `/v1/performances/${MOONLIGHT}/seat-layout`);
    expect(response.status).to.equal(200);
    const { layout } = response.body;
    const rows = layout.floors.flatMap((f: any) => f.sections.flatMap((s: any) => s.rows));
    expect(rows.reduce((n: number, r: any) => n + r.seats, 0)).to.equal(1210);
    const b = layout.floors[0].sections.find((s: any) => s.id === 'B');
    expect(b.rows.map((r: any) => `${r.row}:${r.grade}`).slice(0, 5)).to.deep.equal([
      'OP:OP',
      '1:VIP',
      '2:VIP',
      '3:VIP',
      '4:R',
    ]);
    expect(b.rows[7].label).to.deep.equal({ ko: '1층 B구역 7열', en: 'Floor 1, Section B, Row 7' });
    expect(layout.grades.map((g: any) => g.code)).to.deep.equal(['OP', 'VIP', 'R', 'S', 'A']);
    const etag = response.headers.get('etag')!;
    expect(response.headers.get('cache-control')).to.contain('max-age');
    const again = await fetch(new URL(`/v1/performances/${MOONLIGHT}/seat-layout`, base), {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).to.equal(304);
  });

  it('a show that does not sell OP has the OP row with grade null', async () => {
    const { layout } = (await request(base, 'GET', `/v1/performances/${BOY}/seat-layout`)).body;
    const b = layout.floors[0].sections.find((s: any) => s.id === 'B');
    expect(b.rows[0]).to.include({ row: 'OP', grade: null });
    expect(layout.grades.map((g: any) => g.code)).not.to.include('OP');
  });

  it('GET /v1/schedules/:id/seat-state: sold/held/mine lists; unchanged → 304 on If-None-Match; a change → new ETag', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 30 * DAY);
    const alice = await signUp(fx, 'overlay-a');
    const url = `/v1/schedules/${slot.id}/seat-state`;
    const first = await request(base, 'GET', url, { token: alice.token });
    expect(first.status).to.equal(200);
    expect(first.body.overlay).to.include({ available: 1210, sellable: 1210 });
    expect(first.body.overlay.held).to.deep.equal([]);
    const etag = first.headers.get('etag')!;
    const unchanged = await fetch(new URL(url, base), {
      headers: { authorization: `Bearer ${alice.token}`, 'if-none-match': etag },
    });
    expect(unchanged.status).to.equal(304);
    expect(await unchanged.text()).to.equal('');

    const held = await request(base, 'POST', '/v1/holds', {
      token: alice.token,
      body: { scheduleId: slot.id, seatIds: ['1F-B-7-7', '1F-B-7-8'] },
    });
    const holdId = held.body.hold.holdId;
    await request(base, 'POST', `/v1/holds/${holdId}/confirm`, { token: alice.token });
    const bob = await signUp(fx, 'overlay-b');
    await request(base, 'POST', '/v1/holds', {
      token: bob.token,
      body: { scheduleId: slot.id, seatIds: ['1F-A-1-1'] },
    });

    const asAlice = await fetch(new URL(url, base), {
      headers: { authorization: `Bearer ${alice.token}`, 'if-none-match': etag },
    });
    expect(asAlice.status).to.equal(200);
    expect(asAlice.headers.get('etag')).not.to.equal(etag);
    const overlay = ((await asAlice.json()) as any).overlay;
    expect(overlay.sold).to.deep.equal(['1F-B-7-7', '1F-B-7-8']);
    expect(overlay.held).to.deep.equal(['1F-A-1-1']);
    expect(overlay.mine).to.deep.equal([]);
    expect(overlay.available).to.equal(1207);
    expect(overlay.availableByGrade.R).to.equal(first.body.overlay.availableByGrade.R - 3); // two sold, one held, all R
    const asBob = (await request(base, 'GET', url, { token: bob.token })).body.overlay;
    expect(asBob.mine).to.deep.equal(['1F-A-1-1']);
    const anonymous = (await request(base, 'GET', url)).body.overlay;
    expect(anonymous.mine).to.deep.equal([]);
    expect(JSON.stringify(anonymous)).not.to.contain(bob.userId);
  });

  it('calendar: a sold-out slot is listed but not bookable (reason SOLD_OUT)', async () => {
    // A performance no other test lists, so the catalog cache has not seen its slots before this one is added.
    const startsAt = fx.clock.now() + 40 * DAY;
    const slot = await addSlot(fx, SEAGULL, startsAt);
    const { layout } = (await request(base, 'GET', `/v1/performances/${SEAGULL}/seat-layout`)).body;
    const seatIds: string[] = [];
    for (const floor of layout.floors)
      for (const section of floor.sections)
        for (const row of section.rows)
          if (row.grade)
            for (let n = 1; n <= row.seats; n++) seatIds.push(`${floor.floor}F-${section.id}-${row.row}-${n}`);
    const batches = Array.from({ length: Math.ceil(seatIds.length / 4) }, (_, i) => seatIds.slice(i * 4, i * 4 + 4));
    for (let i = 0; i < batches.length; i += 15) {
      await Promise.all(
        batches.slice(i, i + 15).map(async (seats, j) => {
          const user = await signUp(fx, `fill${i + j}`);
          await fx.booking.hold(user.userId, slot.id, seats);
        }),
      );
    }
    const { calendar } = (await request(base, 'GET', `/v1/performances/${SEAGULL}/calendar?date=${slot.date}`)).body;
    const listed = calendar.slots.find((s: any) => s.id === slot.id);
    expect(listed).to.include({ available: 0, bookable: false, reason: 'SOLD_OUT' });
  });

  it('GET /v1/performances/:id/calendar: every upcoming date with its slot count, and one date with availability', async () => {
    const first = await request(base, 'GET', `/v1/performances/${HAMLET}/calendar`);
    expect(first.status).to.equal(200);
    const { calendar } = first.body;
    expect(calendar.days.length).to.be.greaterThan(10);
    expect(calendar.date).to.equal(calendar.days[0].date);
    expect(calendar.slots.length).to.equal(calendar.days[0].slots);
    expect(calendar.slots[0]).to.include({ bookable: true });
    expect(calendar.slots[0].available).to.equal(calendar.slots[0].sellable);
    const day = calendar.days[3].date;
    const picked = (await request(base, 'GET', `/v1/performances/${HAMLET}/calendar?date=${day}`)).body.calendar;
    expect(picked.date).to.equal(day);
    expect(picked.slots.every((s: any) => s.date === day)).to.equal(true);
  });

  it('calendar: a malformed date → 400 naming the field; an unknown performance → 404', async () => {
    const bad = await request(base, 'GET', `/v1/performances/${HAMLET}/calendar?date=2024-13-45`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields[0].field).to.equal('date');
    expect((await request(base, 'GET', '/v1/performances/nope/calendar')).status).to.equal(404);
  });

  it('GET /v1/schedules/:id/recommendations: adjacent seats of the grade, centre and front first, skipping taken seats', async () => {
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 33 * DAY);
    const user = await signUp(fx, 'reco');
    await request(base, 'POST', '/v1/holds', {
      token: user.token,
      body: { scheduleId: slot.id, seatIds: ['1F-B-1-6', '1F-B-1-7', '1F-B-1-8', '1F-B-1-9'] },
    });
    const response = await request(base, 'GET', `/v1/schedules/${slot.id}/recommendations?count=2&grade=VIP`);
    expect(response.status).to.equal(200);
    const [first] = response.body.options;
    expect(first.grade).to.equal('VIP');
    expect(first.seatIds).to.have.length(2);
    expect(first.seatIds.every((s: string) => s.startsWith('1F-B-1-'))).to.equal(true);
    expect(first.seatIds).not.to.include.members(['1F-B-1-6', '1F-B-1-7', '1F-B-1-8', '1F-B-1-9']);
    expect(first.total).to.equal(2 * 170_000);
    expect((await request(base, 'GET', `/v1/schedules/${slot.id}/recommendations?count=5`)).status).to.equal(400);
  });

  it('1,000 concurrent overlay reads of one slot cost one DynamoDB seat read per cache period, like 10 do', async () => {
    let reads = 0;
    const counting = Object.create(fx.store) as typeof fx.store;
    counting.seatRecords = (scheduleId: string) => {
      reads++;
      return fx.store.seatRecords(scheduleId);
    };
    const service = new BookingService({
      catalog: fx.catalog,
      store: counting,
      payments: new DemoPaymentProvider(),
      clock: fx.clock,
      drState: fx.dr,
      seatViewTtlMs: 1000,
      settings: {
        holdMs: 600_000,
        bookingFeePerTicket: 2000,
        drGraceMs: 1_800_000,
        region: 'ap-northeast-2',
        primaryRegion: 'ap-northeast-2',
        cancellationPolicy: DEFAULT_CANCELLATION_POLICY,
      },
    });
    const slot = await addSlot(fx, MOONLIGHT, fx.clock.now() + 34 * DAY);
    await Promise.all(Array.from({ length: 10 }, () => service.seatOverlay(slot.id)));
    const afterTen = reads;
    await Promise.all(Array.from({ length: 1000 }, (_, i) => service.seatOverlay(slot.id, `viewer-${i}`)));
    expect(afterTen).to.equal(1);
    expect(reads).to.equal(1);
    fx.clock.advance(1001);
    await Promise.all(Array.from({ length: 1000 }, () => service.seatOverlay(slot.id)));
    expect(reads).to.equal(2);
  });
});
