import { expect } from 'chai';
import type { Request, Response } from 'express';
import type { DrStatusResponse } from '../../../app/api/contracts.js';
import type { ApiClient } from '../../../app/web/api-client.js';
import { drStatus } from '../../../app/web/dr-status.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An API whose DR reads answer only when the test releases them. */
function slowApi() {
  const pending: (() => void)[] = [];
  let reads = 0;
  const api = {
    dr: () =>
      new Promise<DrStatusResponse>((resolve) => {
        reads++;
        const status = {
          region: 'ap-northeast-2',
          active: reads > 1,
          writer: 'primary',
        } as unknown as DrStatusResponse;
        pending.push(() => resolve(status));
      }),
  } as unknown as ApiClient;
  return { api, reads: () => reads, release: () => pending.splice(0).forEach((answer) => answer()) };
}

/** Runs the middleware for one request; resolves with its locals once it called next. */
async function pageLocals(middleware: ReturnType<typeof drStatus>): Promise<Record<string, unknown>> {
  const res = { locals: {} as Record<string, unknown> } as unknown as Response;
  await new Promise<void>((next) => void middleware({} as Request, res, () => next()));
  return res.locals;
}

describe('drStatus (the DR banner of every page)', () => {
  it('past half its life the status is served at once and refreshed in the background; the refresh then shows', async () => {
    const { api, reads, release } = slowApi();
    const middleware = drStatus(api, 200, 0);
    const first = pageLocals(middleware);
    release(); // the very first read is waited for: there is nothing to serve yet
    expect((await first).drActive).to.equal(false);
    await sleep(120);
    // The status is 120 ms old (refresh from 100 ms): this request does not wait for the read it starts.
    const served = await Promise.race([pageLocals(middleware), sleep(50).then(() => 'waited')]);
    expect(served).to.deep.include({ drActive: false });
    expect(reads()).to.equal(2);
    release();
    await sleep(0);
    expect((await pageLocals(middleware)).drActive).to.equal(true);
  });

  it('never serves a status older than its TTL: past it the request waits for a new read', async () => {
    const { api, reads, release } = slowApi();
    const middleware = drStatus(api, 60, 0);
    const first = pageLocals(middleware);
    release();
    await first;
    await sleep(80);
    const late = pageLocals(middleware);
    expect(await Promise.race([late, sleep(30).then(() => 'waited')])).to.equal('waited');
    expect(reads()).to.equal(2);
    release();
    expect((await late).drActive).to.equal(true);
  });

  describe('kept warm between requests', () => {
    /** An API whose DR reads take `ms` each (counted). */
    function timedApi(ms: number) {
      let reads = 0;
      const api = {
        dr: async () => {
          reads++;
          await sleep(ms);
          return { region: 'ap-northeast-2', active: false, writer: 'primary' } as unknown as DrStatusResponse;
        },
      } as unknown as ApiClient;
      return { api, reads: () => reads };
    }

    it('after a lull twice its TTL, the next request is answered at once (refreshed meanwhile, never older than the TTL)', async () => {
      const { api, reads } = timedApi(60);
      const middleware = drStatus(api, 1000, 60_000);
      await pageLocals(middleware);
      await sleep(2000);
      expect(reads()).to.be.at.least(3); // refreshed without requests
      // A read takes 60 ms: an answer within 30 ms came from the cache.
      const served = await Promise.race([pageLocals(middleware), sleep(30).then(() => 'waited')]);
      expect(served).to.deep.include({ drActive: false });
    });

    it('with no request for warmForMs the refreshes stop (an idle process reads nothing)', async () => {
      const { api, reads } = timedApi(10);
      const middleware = drStatus(api, 400, 500);
      await pageLocals(middleware);
      await sleep(800);
      const after = reads();
      expect(after).to.be.above(1);
      await sleep(700);
      expect(reads()).to.equal(after);
    });
  });
});
