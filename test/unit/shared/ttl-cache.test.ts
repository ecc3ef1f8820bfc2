import { expect } from 'chai';
import { ManualClock } from '../../../app/shared/clock.js';
import { TtlCache } from '../../../app/shared/ttl-cache.js';

describe('TtlCache', () => {
  it('peek: nothing before a load, nothing while it is pending, its value once it resolved, nothing after the TTL', async () => {
    const clock = new ManualClock(0);
    const cache = new TtlCache<number | undefined>(clock, 1000);
    expect(cache.peek('k')).to.equal(undefined);
    let resolve!: (v: number | undefined) => void;
    const pending = cache.get('k', () => new Promise((r) => (resolve = r)));
    expect(cache.peek('k')).to.equal(undefined);
    resolve(undefined);
    await pending;
    // A loaded `undefined` is a value (e.g. no queue state yet), told apart from "not cached".
    expect(cache.peek('k')).to.deep.equal({ value: undefined });
    clock.advance(999);
    expect(cache.peek('k')).to.deep.equal({ value: undefined });
    clock.advance(1);
    expect(cache.peek('k')).to.equal(undefined);
  });

  it('peek sees a value put by set at once, and the newer load after a refresh, never the older one', async () => {
    const clock = new ManualClock(0);
    const cache = new TtlCache<number>(clock, 1000);
    cache.set('k', 1);
    expect(cache.peek('k')).to.deep.equal({ value: 1 });
    clock.advance(1000);
    let resolveOld!: (v: number) => void;
    const old = cache.get('k', () => new Promise((r) => (resolveOld = r)));
    cache.set('k', 3);
    resolveOld(2);
    await old;
    expect(cache.peek('k')).to.deep.equal({ value: 3 });
  });

  it('a failed load is neither kept nor peeked: the next get loads again', async () => {
    const cache = new TtlCache<number>(new ManualClock(0), 1000);
    await cache.get('k', () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(cache.peek('k')).to.equal(undefined);
    expect(await cache.get('k', async () => 7)).to.equal(7);
    expect(cache.peek('k')).to.deep.equal({ value: 7 });
  });
});
