import { expect } from 'chai';
import type { DrState } from '../../../app/booking/dr.js';
import { WriterGate, mayWrite, writerOf, writerRegion } from '../../../app/booking/writer.js';
import { DomainError } from '../../../app/shared/errors.js';

const SEOUL = 'ap-northeast-2';
const TOKYO = 'ap-northeast-1';
const INACTIVE: DrState = { active: false };
const ACTIVE: DrState = { active: true, since: 1_000 };
const FAILING_BACK: DrState = { active: true, since: 1_000, failbackStartedAt: 5_000 };

describe('booking/writer (one writer at a time)', () => {
  it('writerOf: primary when DR is inactive, standby while active, none while a failback hands writes back', () => {
    expect([writerOf(INACTIVE), writerOf(ACTIVE), writerOf(FAILING_BACK)]).to.deep.equal([
      'primary',
      'standby',
      'none',
    ]);
  });

  it('mayWrite: exactly one region at a time, and none during the failback hand-over', () => {
    const table = [INACTIVE, ACTIVE, FAILING_BACK].map((state) => [
      mayWrite(state, SEOUL, SEOUL),
      mayWrite(state, TOKYO, SEOUL),
    ]);
    expect(table).to.deep.equal([
      [true, false],
      [false, true],
      [false, false],
    ]);
  });

  it('writerRegion / WriterGate.status: Seoul normally, Tokyo during DR, nobody during the hand-over — the same answer in both regions', async () => {
    const regions = { primary: SEOUL, standby: TOKYO };
    expect([
      writerRegion('primary', regions),
      writerRegion('standby', regions),
      writerRegion('none', regions),
    ]).to.deep.equal([SEOUL, TOKYO, undefined]);
    for (const here of [SEOUL, TOKYO]) {
      const status = await new WriterGate({ current: async () => ACTIVE }, here, SEOUL, TOKYO).status();
      expect(status).to.deep.equal({
        region: here,
        writer: 'standby',
        writerRegion: TOKYO,
        acceptsWrites: here === TOKYO,
      });
    }
  });

  it('WriterGate.assertMayWrite: Seoul during DR → REGION_READ_ONLY (503) naming region and writer; Tokyo passes', async () => {
    const source = { current: async () => ACTIVE };
    await new WriterGate(source, TOKYO, SEOUL, TOKYO).assertMayWrite();
    try {
      await new WriterGate(source, SEOUL, SEOUL, TOKYO).assertMayWrite();
      expect.fail('Seoul must refuse');
    } catch (error) {
      expect(error).to.be.instanceOf(DomainError);
      const e = error as DomainError;
      expect([e.code, e.status, e.details]).to.deep.equal([
        'REGION_READ_ONLY',
        503,
        { region: SEOUL, writer: 'standby', drActive: true },
      ]);
      expect(e.message).to.contain('read-only while disaster recovery is active');
    }
  });

  it('WriterGate: an unreadable DR state refuses nothing silently: the read error propagates (the write fails, not the rule)', async () => {
    const broken = { current: async (): Promise<DrState> => Promise.reject(new Error('DynamoDB unreachable')) };
    let message = '';
    try {
      await new WriterGate(broken, SEOUL, SEOUL, TOKYO).assertMayWrite();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.equal('DynamoDB unreachable');
  });
});
