import { expect } from 'chai';
import {
  holdCreatedRecord,
  reservationConfirmedRecord,
  ridesOn,
  trailOf,
} from '../../../app/adapters/dynamodb/audit-records.js';
import type { AuditEntry } from '../../../app/booking/model.js';

const hold = {
  holdId: 'h-1',
  userId: 'u-1',
  createdAt: 1_000,
  region: 'ap-northeast-2',
  seats: [{ seatId: '1F-A-1-1' }, { seatId: '1F-A-1-2' }],
};
const created: AuditEntry = {
  entityId: 'h-1',
  action: 'HOLD_CREATED',
  actorUserId: 'u-1',
  at: 1_000,
  region: 'ap-northeast-2',
  from: undefined,
  to: 'HOLDING',
  details: { seatIds: ['1F-A-1-1', '1F-A-1-2'] },
};
const reservation = {
  reservationId: 'R-1',
  holdId: 'h-1',
  userId: 'u-1',
  bookedAt: 2_000,
  region: 'ap-northeast-2',
  total: 142_000,
  confirmedFrom: 'DR_RECOVERED' as const,
  confirmedTo: 'DR_RESERVED' as const,
};

describe('audit records carried by the items they record (audit-records)', () => {
  it('the hold item carries exactly the HOLD_CREATED entry the service writes: it rides, no audit item', () => {
    expect(holdCreatedRecord(hold)).to.deep.equal(created);
    expect(ridesOn(created, holdCreatedRecord(hold))).to.equal(true);
  });

  it('an entry that differs from the carried record in any field does not ride (it gets its own audit item)', () => {
    const record = holdCreatedRecord(hold);
    for (const changed of [
      { actorUserId: 'system:dr' },
      { at: 1_001 },
      { region: 'ap-northeast-1' },
      { from: 'HOLDING' },
      { details: { seatIds: ['1F-A-1-1'] } },
      { details: { seatIds: ['1F-A-1-1', '1F-A-1-2'], note: 'x' } },
    ]) {
      expect(ridesOn({ ...created, ...changed }, record), JSON.stringify(changed)).to.equal(false);
    }
    expect(ridesOn({ ...created, action: 'HOLD_RELEASED' }, record)).to.equal(false);
  });

  it('the reservation item carries RESERVATION_CONFIRMED with the status change it was written with', () => {
    expect(reservationConfirmedRecord(reservation)).to.deep.equal({
      entityId: 'R-1',
      action: 'RESERVATION_CONFIRMED',
      actorUserId: 'u-1',
      at: 2_000,
      region: 'ap-northeast-2',
      from: 'DR_RECOVERED',
      to: 'DR_RESERVED',
      details: { holdId: 'h-1', total: 142_000 },
    });
  });

  it('a trail puts the carried record first by time, and leaves it out when the audit table already has it', () => {
    const released: AuditEntry = { ...created, action: 'HOLD_RELEASED', at: 5_000, from: 'HOLDING', to: 'RELEASED' };
    expect(trailOf([released], created).map((e) => e.action)).to.deep.equal(['HOLD_CREATED', 'HOLD_RELEASED']);
    expect(trailOf([created, released], created)).to.deep.equal([created, released]);
    expect(trailOf([released], undefined)).to.deep.equal([released]);
  });
});
