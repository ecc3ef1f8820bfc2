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
    const allocator = new NumberAllocator(counter, { maxBatch: 500 });
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

  it('places in line come in blocks sized to recent joins: a steady stream writes the counter far less than once per join', async () => {
    const counter = slowCounter();
    let now = 0;
    const allocator = new NumberAllocator(counter, { blockMaxAgeMs: 1_000 }, () => now);
    const numbers: number[] = [];
    // 20 waves of 50 concurrent joins, 40 ms apart (1,250 joins/s).
    for (let wave = 0; wave < 20; wave++) {
      numbers.push(...(await Promise.all(Array.from({ length: 50 }, () => allocator.next('ev', 1, 'line')))));
      now += 40;
    }
    expect(new Set(numbers).size, 'unique').to.equal(1_000);
    expect(numbers, 'handed out in arrival order').to.deep.equal([...numbers].sort((a, b) => a - b));
    expect(counter.updates.length).to.be.lessThan(10);
  });

  it('a block is not used past its age: a join after a lull takes a new number above everything taken since, and the rest is a hole', async () => {
    const counter = slowCounter();
    let now = 0;
    const allocator = new NumberAllocator(counter, { blockMaxAgeMs: 1_000 }, () => now);
    const issued = () => counter.updates.reduce((a, b) => a + b, 0);
    let handedOut = (await Promise.all(Array.from({ length: 10 }, () => allocator.next('ev', 1, 'line')))).length;
    while (issued() === handedOut && handedOut < 20) handedOut += (await allocator.next('ev', 1, 'line')) ? 1 : 0;
    const issuedBefore = issued();
    expect(issuedBefore, 'a block with numbers to spare').to.be.greaterThan(handedOut);
    now += 1_000;
    expect(await allocator.next('ev', 1, 'line')).to.equal(issuedBefore + 1);
  });

  it('lottery tickets are never taken ahead: the counter issues exactly the tickets handed out', async () => {
    const counter = slowCounter();
    const allocator = new NumberAllocator(counter);
    const tickets: number[] = [];
    for (let i = 0; i < 3; i++)
      tickets.push(...(await Promise.all(Array.from({ length: 5 }, () => allocator.next('ev', 1, 'lottery')))));
    expect(tickets).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(counter.updates.reduce((a, b) => a + b, 0)).to.equal(15);
  });
});
