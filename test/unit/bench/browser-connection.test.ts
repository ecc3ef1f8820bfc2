import { expect } from 'chai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BrowserConnection, keepCookies, textOf } from '../../../bench/lib/browser-connection.js';
import { listen, type RunningServer } from '../../../app/server.js';

describe("bench:chat's simulated browsers (BrowserConnection)", () => {
  let server: RunningServer;
  /** The client port each request came from: one port is one connection. */
  const ports: Record<string, number[]> = {};

  before(async () => {
    server = await listen(
      (req: IncomingMessage, res: ServerResponse) => {
        const who = String(req.headers['x-browser']);
        (ports[who] ??= []).push(req.socket.remotePort!);
        req.resume();
        res.setHeader('set-cookie', [`seen=${who}; Path=/; HttpOnly`]);
        // An answer in several writes, as the chat's SSE answer is.
        res.write('first ');
        setImmediate(() => res.end('second'));
      },
      '127.0.0.1',
      0,
    );
  });

  after(() => server.close());

  it('each browser sends every request on the one connection it opened, and two browsers never share one', async () => {
    const [a, b] = [new BrowserConnection(server.url), new BrowserConnection(server.url)];
    try {
      for (let i = 0; i < 3; i++) {
        for (const [name, browser] of [
          ['a', a],
          ['b', b],
        ] as const) {
          const response = await browser.send('POST', '/chat', { 'x-browser': name }, `message ${i}`);
          expect(await textOf(response)).to.equal('first second');
        }
        await new Promise((resolve) => setTimeout(resolve, 20)); // a pause between messages
      }
      expect(new Set(ports.a).size).to.equal(1);
      expect(new Set(ports.b).size).to.equal(1);
      expect(ports.a![0]).to.not.equal(ports.b![0]);
      expect([a.opened, b.opened]).to.deep.equal([1, 1]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('keepCookies keeps the name=value pair of each Set-Cookie, as a browser sends it back', async () => {
    const browser = new BrowserConnection(server.url);
    try {
      const response = await browser.send('GET', '/', { 'x-browser': 'c' });
      await textOf(response);
      const cookies = new Map<string, string>();
      keepCookies(response, cookies);
      expect([...cookies]).to.deep.equal([['seen', 'c']]);
    } finally {
      browser.close();
    }
  });
});
