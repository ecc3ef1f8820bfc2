import { expect } from 'chai';
import { CachedCatalog } from '../../../app/adapters/cached-catalog.js';
import type { CatalogReader } from '../../../app/booking/ports.js';
import type { Performance } from '../../../app/catalog/types.js';
import { ManualClock } from '../../../app/shared/clock.js';

/** A catalog whose `listPerformances` answers only when the test releases it, with the read's number as the list. */
function heldCatalog() {
  const pending: ((ok: boolean) => void)[] = [];
  let reads = 0;
  const inner = {
    listPerformances: () =>
      new Promise<readonly Performance[]>((resolve, reject) => {
        const n = ++reads;
        pending.push((ok) =>
          ok ? resolve([{ id: `read-${n}` } as unknown as Performance]) : reject(new Error('down')),
        );
      }),
  } as unknown as CatalogReader;
  const answer = (ok = true) => pending.splice(0).forEach((settle) => settle(ok));
  return { inner, reads: () => reads, answer };
}

const ids = async (list: Promise<readonly Performance[]>) => (await list).map((p) => p.id);

/** A 30 s cached catalog whose first read (`read-1`) has been answered, on a manual clock. */
async function warmCatalog() {
  const held = heldCatalog();
  const clock = new ManualClock(1_000_000);
  const catalog = new CachedCatalog(held.inner, clock, 30_000);
  const first = catalog.listPerformances();
  held.answer();
  expect(await ids(first)).to.deep.equal(['read-1']);
  return { ...held, clock, catalog };
}
/** Whether `promise` settles before the pending timers and I/O of this turn (i.e. without waiting for a read). */
const settledNow = (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);

describe('CachedCatalog (the catalog as the API serves it)', () => {
  it('within half its TTL an entry is served from the cache without a read', async () => {
    const { reads, clock, catalog } = await warmCatalog();
    clock.advance(14_000);
    expect(await ids(catalog.listPerformances())).to.deep.equal(['read-1']);
    expect(reads()).to.equal(1);
  });

  it('past half its TTL the entry is served at once while one background read replaces it', async () => {
    const { reads, answer, clock, catalog } = await warmCatalog();
    clock.advance(20_000);
    const served = catalog.listPerformances();
    expect(await settledNow(served)).to.equal(true); // no wait for the read it started
    expect(await ids(served)).to.deep.equal(['read-1']);
    expect(await ids(catalog.listPerformances())).to.deep.equal(['read-1']); // one refresh at a time
    expect(reads()).to.equal(2);
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await ids(catalog.listPerformances())).to.deep.equal(['read-2']);
  });

  it('never serves an entry older than its TTL, and a failed read is not kept', async () => {
    const { reads, answer, clock, catalog } = await warmCatalog();
    clock.advance(31_000);
    const late = catalog.listPerformances();
    expect(await settledNow(late)).to.equal(false); // waits for a new read
    answer(false);
    await late.catch(() => undefined);
    const again = catalog.listPerformances();
    expect(reads()).to.equal(3); // the failure was not served from the cache
    answer();
    expect(await ids(again)).to.deep.equal(['read-3']);
  });
});
