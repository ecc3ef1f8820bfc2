import { expect } from 'chai';
import { ManualClock } from '../../../app/shared/clock.js';
import { SingleFlightCache } from '../../../app/shared/single-flight-cache.js';

describe('SingleFlightCache', () => {
  it('concurrent readers of one key share one load; after the TTL the next read loads again', async () => {
    const clock = new ManualClock(0);
    const cache = new SingleFlightCache<number>(clock, 1000);
    let loads = 0;
    const load = async () => ++loads;
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', load)));
    expect(values.every((v) => v === 1)).to.equal(true);
    clock.advance(999);
    expect(await cache.get('k', load)).to.equal(1);
    clock.advance(1);
    expect(await cache.get('k', load)).to.equal(2);
  });

  it('a failed load is not kept: the next read tries again', async () => {
    const cache = new SingleFlightCache<number>(new ManualClock(0), 1000);
    await cache.get('k', () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await cache.get('k', async () => 7)).to.equal(7);
  });

  it('stays bounded: past maxEntries the oldest key is dropped', async () => {
    const cache = new SingleFlightCache<string>(new ManualClock(0), 1000, 2);
    let loads = 0;
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => `${key}${++loads}`);
    expect(await cache.get('a', async () => `a${++loads}`)).to.equal('a4');
    expect(await cache.get('c', async () => 'never')).to.equal('c3');
  });
});
