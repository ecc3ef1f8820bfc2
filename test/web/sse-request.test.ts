import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postForEvents } from '../../app/web/sse-request.js';

/** An SSE endpoint that answers each POST after `delayMs` with one event naming the client's port (its connection). */
async function sseServer(delayMs: number): Promise<{ server: Server; url: URL }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: port\ndata: ${req.socket.remotePort}\n\n`);
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/events`) };
}

/** The port of the connection that carried one whole answer (read to its end, so the socket goes back to the pool). */
async function portOf(url: URL): Promise<string> {
  const ports: string[] = [];
  for await (const event of postForEvents(url, {}, '{}')) ports.push(event.data);
  expect(ports).to.have.length(1);
  return ports[0]!;
}

describe('postForEvents (the web tier relay to the API)', () => {
  it('keeps every connection a peak opened in use under lighter traffic (first in, first out), so none idles out', async () => {
    const { server, url } = await sseServer(30);
    try {
      const peak = new Set(await Promise.all([portOf(url), portOf(url), portOf(url)]));
      expect(peak.size).to.equal(3);
      const later: string[] = [];
      for (let i = 0; i < 6; i++) later.push(await portOf(url));
      // Last in, first out (Node's default) would answer all six on one socket and leave the other two idle until the
      // server's keep-alive timeout closes them; the next peak would then open new connections.
      expect(new Set(later)).to.deep.equal(peak);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
