import { expect } from 'chai';
import { startPeriodicTask } from '../../../app/shared/periodic-task.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startPeriodicTask', () => {
  it('a pass slower than the interval is never overlapped: ticks while it runs are skipped, not queued', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let passes = 0;
    let release!: () => void;
    const slowPass = new Promise<void>((resolve) => (release = resolve));
    const stop = startPeriodicTask(
      5,
      async () => {
        passes++;
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        if (passes === 1) await slowPass;
        running--;
      },
      () => {},
    );
    await sleep(60); // ≈ 12 ticks while the first pass is still running
    expect(passes).to.equal(1);
    release();
    await sleep(30);
    stop();
    expect(passes).to.be.greaterThan(1);
    expect(mostAtOnce).to.equal(1);
  });

  it('a failing pass goes to onError and the next tick runs again; after stop no pass runs', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const stop = startPeriodicTask(
      5,
      async () => {
        passes++;
        throw new Error(`pass ${passes}`);
      },
      (error) => errors.push(error),
    );
    await sleep(40);
    stop();
    const afterStop = passes;
    expect(afterStop).to.be.greaterThan(1);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(
      Array.from({ length: afterStop }, (_, i) => `pass ${i + 1}`),
    );
    await sleep(30);
    expect(passes).to.equal(afterStop);
  });
});
