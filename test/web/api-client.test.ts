import { expect } from 'chai';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../../app/server.js';
import { ApiClient, ApiError } from '../../app/web/api-client.js';

describe('ApiClient (the web tier’s typed client) against a local HTTP server', () => {
  it('stream(): yields each server-sent event as it arrives (multi-line data, named events, ids, comments skipped)', async () => {
    const app = express();
    app.use(express.json());
    app.post('/v1/stream', (req, res) => {
      expect(req.get('authorization')).to.equal('Bearer tok');
      expect(req.get('x-forwarded-for')).to.equal('203.0.113.7');
      expect(req.body).to.deep.equal({ message: 'hi' });
      res.setHeader('content-type', 'text/event-stream');
      res.write(': keep-alive\n\n');
      res.write('event: delta\ndata: 안녕\n\n');
      setTimeout(() => {
        res.write('id: 2\nevent: delta\ndata: line one\ndata: line two\r\n\r\n');
        res.end('data: done\n\n');
      }, 20);
    });
    app.post('/v1/refused', (_req, res) => {
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'slow down', details: { retryAfter: 9 } } });
    });
    const server = await listen(app, '127.0.0.1', 0);
    try {
      const client = new ApiClient(server.url);
      const events = [];
      for await (const event of client.stream(
        '/v1/stream',
        { message: 'hi' },
        { token: 'tok', clientIp: '203.0.113.7' },
      )) {
        events.push(event);
      }
      expect(events).to.deep.equal([
        { event: 'delta', data: '안녕', id: undefined },
        { event: 'delta', data: 'line one\nline two', id: '2' },
        { event: 'message', data: 'done', id: undefined },
      ]);
      const refused = await (async () => {
        try {
          for await (const _ of client.stream('/v1/refused', {})) void _;
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(refused).to.be.instanceOf(ApiError);
      expect(refused).to.include({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await server.close();
    }
  });

  it('stream(): consecutive streams reuse one kept-alive connection; aborting mid-stream ends it without an event', async () => {
    const app = express();
    app.post('/v1/stream', (_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.end('data: one\n\n');
    });
    app.post('/v1/endless', (_req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.write('data: first\n\n');
    });
    const server = createServer(app);
    let connections = 0;
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      for (let i = 0; i < 3; i++) {
        const events = [];
        for await (const event of client.stream('/v1/stream', {})) events.push(event.data);
        expect(events).to.deep.equal(['one']);
      }
      expect(connections).to.equal(1);
      const controller = new AbortController();
      const seen: string[] = [];
      const error = await (async () => {
        for await (const event of client.stream('/v1/endless', {}, {}, controller.signal)) {
          seen.push(event.data);
          controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(seen).to.deep.equal(['first']);
      expect(String(error)).to.match(/abort/i);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('stream() to an unreachable API is a 503 UPSTREAM error before any event', async () => {
    const client = new ApiClient('http://127.0.0.1:9', 2_000);
    const error = await (async () => {
      for await (const _ of client.stream('/v1/assistant/messages', {})) void _;
    })().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error).to.include({ status: 503, code: 'UPSTREAM' });
  });

  it('an unreachable API is a 503 UPSTREAM error, not a crash', async () => {
    const client = new ApiClient('http://127.0.0.1:9', 2_000);
    const error = await client.dr().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error).to.include({ status: 503, code: 'UPSTREAM' });
  });
});
