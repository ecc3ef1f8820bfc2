import { expect } from 'chai';
import { NumberAllocator, WrongPhase } from '../../../app/queue/number-allocator.js';
import type { NumberKind } from '../../../app/queue/ports.js';

/** A counter that answers after a delay, like DynamoDB, and records each update's size. */
function slowCounter(refuse?: NumberKind) {
  let seq = 0;
  const updates: number[] = [];
  return {
    updates,
    async allocate(_event: string, _epoch: number, count: number, kind: NumberKind): Promise<number | 'WRONG_PHASE'> {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (kind === refuse) return 'WRONG_PHASE';
      updates.push(count);
      seq += count;
      return seq;
    },
  };
}

describe('queue/NumberAllocator (group commit of the counter)', () => {
  it('1,000 concurrent joins: numbers 1..1000 in arrival order from a handful of counter updates', async () => {
    const counter = slowCounter();
    const allocator = new NumberAllocator(counter, 500);
    const numbers = await Promise.all(Array.from({ length: 1_000 }, () => allocator.next('ev', 1, 'line')));
    expect(numbers).to.deep.equal(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(counter.updates.length).to.be.at.most(3);
    expect(counter.updates.every((n) => n <= 500)).to.equal(true);
  });

  it('a lone join costs one update of one number', async () => {
    const counter = slowCounter();
    expect(await new NumberAllocator(counter).next('ev', 1, 'lottery')).to.equal(1);
    expect(counter.updates).to.deep.equal([1]);
  });

  it('a refused kind rejects every waiter of that batch with WrongPhase, and later calls still work', async () => {
    const allocator = new NumberAllocator(slowCounter('lottery'));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => allocator.next('ev', 1, 'lottery')));
    for (const r of results) expect(r.status === 'rejected' && r.reason instanceof WrongPhase).to.equal(true);
    expect(await allocator.next('ev', 1, 'line')).to.equal(1);
  });
});
