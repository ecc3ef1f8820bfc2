import { expect } from 'chai';
import { LoadShedder } from '../../../app/shared/load-shedder.js';
import { refusal } from '../../support/refusal.js';

describe('shared/LoadShedder', () => {
  it('past maxInFlight it refuses at once with RATE_LIMITED and a Retry-After of 1–60 s, and runs nothing', async () => {
    const shedder = new LoadShedder(2, () => 0.5);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = [shedder.run(() => gate), shedder.run(() => gate)];
    let ran = false;
    const error = await refusal(
      shedder.run(async () => {
        ran = true;
      }),
    );
    expect(error.code).to.equal('RATE_LIMITED');
    expect(error.details?.retryAfter).to.be.within(1, 60);
    expect(ran).to.equal(false);
    release();
    await Promise.all(running);
    expect(await shedder.run(async () => 'served')).to.equal('served');
  });

  it('a failing job frees its slot too', async () => {
    const shedder = new LoadShedder(1);
    await shedder.run(() => Promise.reject(new Error('boom'))).catch(() => {});
    expect(await shedder.run(async () => 1)).to.equal(1);
  });
});
