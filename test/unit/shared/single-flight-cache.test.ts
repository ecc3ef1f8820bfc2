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

describe('SingleFlightCache with refresh ahead', () => {
  it('a read past refreshAfterMs is answered from the cache at once and one background load replaces the value', async () => {
    const clock = new ManualClock(0);
    const cache = new SingleFlightCache<number>(clock, 1000, { refreshAfterMs: 500 });
    let loads = 0;
    let release: (() => void) | undefined;
    const slowLoad = () => new Promise<number>((resolve) => (release = () => resolve(++loads)));
    const first = cache.get('k', slowLoad);
    release!();
    expect(await first).to.equal(1);
    clock.advance(600);
    // Served from the cache although the refresh has not answered; concurrent readers start no second load.
    const during = await Promise.all([cache.get('k', slowLoad), cache.get('k', slowLoad)]);
    expect(during).to.deep.equal([1, 1]);
    expect(loads).to.equal(1);
    release!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', slowLoad)).to.equal(2);
    // The refreshed value counts its age from when its load started (600): at 1599 it is still served.
    clock.advance(999);
    expect(await cache.get('k', async () => -1)).to.equal(2);
  });

  it('never serves a value older than the TTL: past it a read waits for a new load', async () => {
    const clock = new ManualClock(0);
    const cache = new SingleFlightCache<number>(clock, 1000, { refreshAfterMs: 500 });
    expect(await cache.get('k', async () => 1)).to.equal(1);
    clock.advance(1000);
    expect(await cache.get('k', async () => 2)).to.equal(2);
  });

  it('a failed refresh keeps the value until its TTL and the next read tries again', async () => {
    const clock = new ManualClock(0);
    const cache = new SingleFlightCache<number>(clock, 1000, { refreshAfterMs: 500 });
    expect(await cache.get('k', async () => 1)).to.equal(1);
    clock.advance(500);
    expect(await cache.get('k', () => Promise.reject(new Error('down')))).to.equal(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', async () => 3)).to.equal(1); // served at once; this read started the retry
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', async () => 4)).to.equal(3);
  });

  it('a key deleted while its refresh is under way stays deleted (a logout is not undone by the refresh)', async () => {
    const clock = new ManualClock(0);
    const cache = new SingleFlightCache<string>(clock, 1000, { refreshAfterMs: 500 });
    expect(await cache.get('token', async () => 'ann')).to.equal('ann');
    clock.advance(500);
    let release: (() => void) | undefined;
    expect(await cache.get('token', () => new Promise((resolve) => (release = () => resolve('ann again'))))).to.equal(
      'ann',
    );
    cache.delete('token');
    release!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('token', async () => 'nobody')).to.equal('nobody');
  });
});
