import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { DEFAULT_LISTEN_BACKLOG, KEEP_ALIVE_TIMEOUT_MS } from './shared/load-balancing.js';

export interface RunningServer {
  readonly url: string;
  /** As applied to the listening server (longer than the ALB's idle timeout; see shared/load-balancing.ts). */
  readonly keepAliveTimeoutMs: number;
  close(): Promise<void>;
}

/** Listens and resolves once the port is bound; `close` drains keep-alive connections too. */
export function listen(
  app: RequestListener,
  host: string,
  port: number,
  backlog = DEFAULT_LISTEN_BACKLOG,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer(app);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.once('error', reject);
    server.listen({ port, host, backlog }, () => {
      const { port: bound } = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
      resolve({
        url: `http://${shownHost}:${bound}`,
        keepAliveTimeoutMs: server.keepAliveTimeout,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
