import { expect } from 'chai';
import { Server, type ListenOptions } from 'node:net';
import express from 'express';
import { loadConfig } from '../../app/config.js';
import {
  ALB_IDLE_TIMEOUT_SECONDS,
  DEFAULT_LISTEN_BACKLOG,
  KEEP_ALIVE_TIMEOUT_MS,
} from '../../app/shared/load-balancing.js';
import { listen } from '../../app/server.js';

/** The options each `listen` call hands to Node's server while `run` runs. */
async function listenOptionsOf(run: () => Promise<void>): Promise<ListenOptions[]> {
  const seen: ListenOptions[] = [];
  const original = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    if (typeof args[0] === 'object' && args[0] !== null) seen.push(args[0] as ListenOptions);
    return (original as (...a: unknown[]) => Server).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    Server.prototype.listen = original;
  }
  return seen;
}

describe('app/server listen', () => {
  it('keeps idle connections open longer than the ALB idle timeout (the ALB closes first: no intermittent 502s)', async () => {
    const server = await listen(express(), '127.0.0.1', 0);
    try {
      expect(server.keepAliveTimeoutMs).to.equal(KEEP_ALIVE_TIMEOUT_MS);
      expect(server.keepAliveTimeoutMs).to.be.greaterThan(ALB_IDLE_TIMEOUT_SECONDS * 1000);
    } finally {
      await server.close();
    }
  });

  it("asks the kernel for a listen backlog of LISTEN_BACKLOG (4096 by default), not Node's 511; a bad value stops start-up", async () => {
    expect(loadConfig({}).listenBacklog).to.equal(DEFAULT_LISTEN_BACKLOG).and.be.greaterThan(511);
    expect(loadConfig({ LISTEN_BACKLOG: '8192' }).listenBacklog).to.equal(8192);
    expect(() => loadConfig({ LISTEN_BACKLOG: '0' })).to.throw(/LISTEN_BACKLOG/);
    const [byDefault, configured] = await listenOptionsOf(async () => {
      await (await listen(express(), '127.0.0.1', 0)).close();
      await (await listen(express(), '127.0.0.1', 0, 8192)).close();
    });
    expect(byDefault).to.include({ backlog: DEFAULT_LISTEN_BACKLOG, host: '127.0.0.1', port: 0 });
    expect(configured).to.include({ backlog: 8192 });
  });
});
