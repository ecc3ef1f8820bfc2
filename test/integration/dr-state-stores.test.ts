import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedDrStateSource, FileDrStateStore } from '../../app/adapters/dr/dr-state-sources.js';
import { DR_STATE_KEY } from '../../app/adapters/dr/dr-state-item.js';
import { DynamoDrStateStore } from '../../app/adapters/dr/dynamo-dr-state.js';
import { DrTransitionRefused, type DrState, type DrStateStore } from '../../app/booking/dr.js';
import type { DrStateSource } from '../../app/booking/ports.js';
import { ManualClock } from '../../app/shared/clock.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { refusal } from '../support/refusal.js';

const T0 = Date.parse('2026-11-22T03:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The same contract for both stores: the local file and the DynamoDB item both regions read in AWS. */
function contract(name: string, make: () => Promise<DrStateStore>) {
  describe(`${name}: DR state transitions`, () => {
    let store: DrStateStore;
    beforeEach(async () => {
      store = await make();
    });

    it('nothing written yet → inactive', async () => {
      expect(await store.current()).to.deep.equal({ active: false });
    });

    it('activate → {active, since}; activating again later keeps the first since (grace never restarts)', async () => {
      expect(await store.activate(T0)).to.deep.equal({ active: true, since: T0 });
      expect(await store.activate(T0 + 10 * MINUTE)).to.deep.equal({ active: true, since: T0 });
      expect(await store.current()).to.deep.equal({ active: true, since: T0 });
    });

    it('beginFailback from the state read → failbackStartedAt set; a re-run keeps the first; then deactivate → inactive', async () => {
      const active = await store.activate(T0);
      const frozen = await store.beginFailback(active, T0 + 40 * MINUTE);
      expect(frozen).to.deep.equal({ active: true, since: T0, failbackStartedAt: T0 + 40 * MINUTE });
      expect(await store.beginFailback(active, T0 + 41 * MINUTE)).to.deep.equal(frozen);
      expect(await store.deactivate(frozen)).to.deep.equal({ active: false });
      expect(await store.current()).to.deep.equal({ active: false });
    });

    it('refusals change nothing: failback while inactive, failback or deactivate with a stale since', async () => {
      expect(
        (await refusal(store.beginFailback({ active: true, since: T0 }, T0), DrTransitionRefused)).current,
      ).to.deep.equal({
        active: false,
      });
      await store.activate(T0);
      const stale: DrState = { active: true, since: T0 - MINUTE };
      expect((await refusal(store.beginFailback(stale, T0 + MINUTE), DrTransitionRefused)).current).to.deep.equal({
        active: true,
        since: T0,
      });
      expect((await refusal(store.deactivate(stale), DrTransitionRefused)).current).to.deep.equal({
        active: true,
        since: T0,
      });
      expect((await refusal(store.deactivate({ active: false }), DrTransitionRefused)).current).to.deep.equal({
        active: true,
        since: T0,
      });
      expect(await store.current()).to.deep.equal({ active: true, since: T0 });
    });

    it('after a failback a new failover starts with its own since', async () => {
      const first = await store.beginFailback(await store.activate(T0), T0 + MINUTE);
      await store.deactivate(first);
      expect(await store.activate(T0 + DAY)).to.deep.equal({ active: true, since: T0 + DAY });
    });
  });
}

describe('DR state stores (file and the DynamoDB item both regions read)', function () {
  this.timeout(120_000);
  let dir: string;
  let fx: Fixture;
  let tableSeq = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'megaticket-dr-'));
    fx = await createFixture('dr-state');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  contract('FileDrStateStore', async () => new FileDrStateStore(join(dir, `nested-${++tableSeq}`, 'dr-state.json')));

  // One control table, one item: each case starts from a clean item.
  contract('DynamoDrStateStore (DynamoDB Local)', async () => {
    const store = new DynamoDrStateStore(fx.db, fx.tables.control, 'test');
    await fx.db.send(
      new PutCommand({ TableName: fx.tables.control, Item: { ...DR_STATE_KEY, active: false, updatedBy: 'reset' } }),
    );
    return store;
  });

  describe('DynamoDrStateStore specifics', () => {
    it('concurrent activations with different since values: exactly one since wins and every caller sees it', async () => {
      await fx.db.send(new PutCommand({ TableName: fx.tables.control, Item: { ...DR_STATE_KEY, active: false } }));
      const stores = Array.from({ length: 8 }, (_, i) => new DynamoDrStateStore(fx.db, fx.tables.control, `w${i}`));
      const results = await Promise.all(stores.map((s, i) => s.activate(T0 + i * 1000)));
      const sinces = new Set(results.map((r) => r.since));
      expect(sinces.size).to.equal(1);
      expect(await stores[0]!.current()).to.deep.equal(results[0]);
    });

    it('the item carries who wrote it and when (for people reading the table)', async () => {
      await fx.db.send(new PutCommand({ TableName: fx.tables.control, Item: { ...DR_STATE_KEY, active: false } }));
      const store = new DynamoDrStateStore(fx.db, fx.tables.control, 'failback', () => T0 + 5 * MINUTE);
      await store.activate(T0);
      const { Item } = await fx.db.send(new GetCommand({ TableName: fx.tables.control, Key: DR_STATE_KEY }));
      expect(Item).to.deep.equal({
        pk: 'DR_STATE',
        active: true,
        since: '2026-11-22T03:00:00.000Z',
        updatedBy: 'failback',
        updatedAt: '2026-11-22T03:05:00.000Z',
      });
    });

    it('a malformed item (active without since) throws, never reads as inactive', async () => {
      await fx.db.send(new PutCommand({ TableName: fx.tables.control, Item: { ...DR_STATE_KEY, active: true } }));
      let threw = false;
      try {
        await new DynamoDrStateStore(fx.db, fx.tables.control, 'test').current();
      } catch {
        threw = true;
      }
      expect(threw).to.equal(true);
    });
  });

  describe('FileDrStateStore specifics and CachedDrStateSource', () => {
    for (const [label, text] of [
      ['not JSON', '{active: tru'],
      ['active without since', '{"active": true}'],
      ['since not a date', '{"active": true, "since": "yesterday"}'],
      ['failback start while inactive', '{"active": false, "failbackStartedAt": "2026-11-22T03:00:00.000Z"}'],
      ['empty', ''],
    ] as const) {
      it(`a malformed file (${label}) → throws, never silently inactive`, async () => {
        const path = join(dir, `bad-${label.replace(/\W+/g, '-')}.json`);
        await writeFile(path, text);
        let threw = false;
        try {
          await new FileDrStateStore(path).current();
        } catch {
          threw = true;
        }
        expect(threw).to.equal(true);
      });
    }

    it('CachedDrStateSource: no re-read within its TTL, re-read at the TTL', async () => {
      const file = new FileDrStateStore(join(dir, 'cached.json'));
      let reads = 0;
      const counting: DrStateSource = {
        current: () => {
          reads++;
          return file.current();
        },
      };
      const clock = new ManualClock(T0);
      const cached = new CachedDrStateSource(counting, clock, 5_000);
      expect(await cached.current()).to.deep.equal({ active: false });

      const since = clock.now();
      await file.activate(since);
      clock.advance(4_999);
      expect(await cached.current()).to.deep.equal({ active: false });
      expect(reads).to.equal(1);

      clock.advance(1);
      expect(await cached.current()).to.deep.equal({ active: true, since });
      expect(reads).to.equal(2);
    });

    it('CachedDrStateSource: a failed read is not cached', async () => {
      const path = join(dir, 'flaky.json');
      await writeFile(path, 'garbage');
      const clock = new ManualClock(0);
      const cached = new CachedDrStateSource(new FileDrStateStore(path), clock, 5_000);
      let threw = false;
      try {
        await cached.current();
      } catch {
        threw = true;
      }
      expect(threw).to.equal(true);
      await rm(path);
      await new FileDrStateStore(path).activate(1_000);
      expect(await cached.current()).to.deep.equal({ active: true, since: 1_000 });
    });
  });
});
