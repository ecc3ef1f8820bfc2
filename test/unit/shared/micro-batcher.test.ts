import { expect } from 'chai';
import { MicroBatcher, type BatchItem, type MicroBatchTuning } from '../../../app/shared/micro-batcher.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A batcher whose runs are recorded and answered by `answer` (each input doubled unless told otherwise). */
function recording(
  tuning: MicroBatchTuning,
  answer: (batch: readonly BatchItem<number, number>[]) => Promise<void> = async (batch) => {
    for (const item of batch) item.resolve(item.input * 2);
  },
) {
  const runs: number[][] = [];
  const batcher = new MicroBatcher<number, number>(
    (n) => String(n % 1000),
    async (batch) => {
      runs.push(batch.map((item) => item.input));
      await answer(batch);
    },
    tuning,
  );
  return { batcher, runs };
}

describe('MicroBatcher: calls made close together become one run, bounded in size and wait', () => {
  it('calls within the wait go in one run, each answered with its own value', async () => {
    const { batcher, runs } = recording({ maxSize: 100, maxWaitMs: 5 });
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(answers).to.deep.equal([2, 4, 6]);
    expect(runs).to.deep.equal([[1, 2, 3]]);
  });

  it('a full batch is sent at once, without waiting out the timer; the rest start the next batch', async () => {
    const { batcher, runs } = recording({ maxSize: 3, maxWaitMs: 60_000 });
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    expect(runs, 'sent synchronously on the third call').to.deep.equal([[1, 2, 3]]);
    expect(await Promise.all(first)).to.deep.equal([2, 4, 6]);
    const late = batcher.submit(4);
    await tick(10);
    expect(runs, 'a lone call waits for its timer (here a minute)').to.have.length(1);
    batcher.submit(5);
    batcher.submit(6);
    expect(await late).to.equal(8);
    expect(runs).to.deep.equal([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('a lone call is sent when its wait is over, without a batch filling up', async () => {
    const { batcher, runs } = recording({ maxSize: 100, maxWaitMs: 2 });
    expect(await batcher.submit(7)).to.equal(14);
    expect(runs).to.deep.equal([[7]]);
  });

  it('sendAtOnceWhenIdle: with nothing in flight a call goes in the same turn (with that turn’s calls), not after maxWaitMs', async () => {
    const { batcher, runs } = recording({ maxSize: 100, maxWaitMs: 60_000, sendAtOnceWhenIdle: true });
    const answers = Promise.all([1, 2].map((n) => batcher.submit(n)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs, 'sent on the next check phase, not after a minute').to.deep.equal([[1, 2]]);
    expect(await answers).to.deep.equal([2, 4]);
  });

  it('sendAtOnceWhenIdle: while a batch is out, new calls wait (maxWaitMs or a full batch), then go together', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { batcher, runs } = recording({ maxSize: 3, maxWaitMs: 60_000, sendAtOnceWhenIdle: true }, async (batch) => {
      if (batch[0]!.input === 1) await held;
      for (const item of batch) item.resolve(item.input * 2);
    });
    const first = batcher.submit(1);
    await tick(5);
    expect(runs, 'the first call went at once').to.deep.equal([[1]]);
    const second = [2, 3].map((n) => batcher.submit(n));
    await tick(20);
    expect(runs, 'waiting while the first batch is out').to.deep.equal([[1]]);
    const third = batcher.submit(4);
    expect(runs, 'a full batch goes at once').to.deep.equal([[1], [2, 3, 4]]);
    release();
    expect(await Promise.all([first, ...second, third])).to.deep.equal([2, 4, 6, 8]);
    await tick(1); // both batches' bookkeeping ends just after their answers
    expect(await batcher.submit(5), 'idle again: at once, not after a minute').to.equal(10);
    expect(runs).to.deep.equal([[1], [2, 3, 4], [5]]);
  });

  it('a second call for a key already waiting goes in the next batch, never twice in one', async () => {
    const { batcher, runs } = recording({ maxSize: 100, maxWaitMs: 2 });
    // 1 and 1001 share the key "1".
    const answers = await Promise.all([1, 2, 1001, 3, 2001].map((n) => batcher.submit(n)));
    expect(answers).to.deep.equal([2, 4, 2002, 6, 4002]);
    expect(runs).to.deep.equal([[1, 2, 3], [1001], [2001]]);
  });

  it('a run that throws answers every call of its batch with the error (none left waiting); later batches run', async () => {
    let fail = true;
    const { batcher } = recording({ maxSize: 100, maxWaitMs: 1 }, async (batch) => {
      if (fail) throw new Error('the store is down');
      for (const item of batch) item.resolve(item.input);
    });
    const results = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).to.deep.equal([
      'the store is down',
      'the store is down',
    ]);
    fail = false;
    expect(await batcher.submit(3)).to.equal(3);
  });

  it('a run that answers some calls and then throws: those keep their answer, the rest get the error', async () => {
    const { batcher } = recording({ maxSize: 100, maxWaitMs: 1 }, async (batch) => {
      batch[0]!.resolve(100);
      throw new Error('second item failed');
    });
    const results = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(results[0]).to.deep.equal({ status: 'fulfilled', value: 100 });
    expect(results[1]!.status).to.equal('rejected');
  });

  it('a run that forgets a call answers it with an error rather than leaving it open', async () => {
    const { batcher } = recording({ maxSize: 100, maxWaitMs: 1 }, async (batch) => {
      batch[0]!.resolve(1);
    });
    const results = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(results[0]).to.deep.equal({ status: 'fulfilled', value: 1 });
    expect(results[1]!.status === 'rejected' && (results[1]!.reason as Error).message).to.match(/unanswered/);
  });

  it('refuses a size below 1', () => {
    expect(() => new MicroBatcher(String, async () => {}, { maxSize: 0, maxWaitMs: 1 })).to.throw(/maxSize/);
  });
});
