import { expect } from 'chai';
import express from 'express';
import { ALB_IDLE_TIMEOUT_SECONDS, KEEP_ALIVE_TIMEOUT_MS } from '../../app/shared/load-balancing.js';
import { listen } from '../../app/server.js';

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
});
