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
    const middleware = drStatus(api, 200);
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
    const middleware = drStatus(api, 60);
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
});
