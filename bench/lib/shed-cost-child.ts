/**
 * The server side of bench/lib/shed-cost.ts: the API's object graph (composed, no I/O) with an overload guard that
 * sheds every waiting-room request, served twice — through `createApiListener` (the 429 written in front of Express)
 * (also with each request logged at info, to /dev/null) and through `createApiApp` alone (the same 429 from Express's middleware, as before the listener existed), and a bare
 * Node server answering a constant 429 (the floor). Reports
 * its CPU time on request, so the driver can charge each batch of answers to the path that produced it.
 */
import { openSync, writeSync } from 'node:fs';
import { createApiApp, createApiListener } from '../../app/api/app.js';
import { composeApi } from '../../app/compose.js';
import { loadConfig } from '../../app/config.js';
import { listen } from '../../app/server.js';
import { systemClock } from '../../app/shared/clock.js';
import { createLog } from '../../app/shared/log.js';
import { DEFAULT_CLASS_LIMITS, OverloadGuard } from '../../app/shared/overload-guard.js';

export type ShedChildMessage =
  | {
      readonly type: 'ready';
      readonly frontUrl: string;
      readonly frontLoggedUrl: string;
      readonly expressUrl: string;
      readonly bareUrl: string;
    }
  | { readonly type: 'cpu'; readonly micros: number };

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'development' });
  // Nothing here reaches DynamoDB: every request below is refused before authentication.
  const api = composeApi({ config, clock: systemClock, dynamoEndpoint: 'http://127.0.0.1:9' });
  const limits = Object.fromEntries(
    Object.entries(DEFAULT_CLASS_LIMITS).map(([cls, l]) => [cls, { ...l, minInFlight: 0 }]),
  ) as typeof DEFAULT_CLASS_LIMITS;
  const deps = { ...api.apiDeps, overload: new OverloadGuard({ delayMs: () => 10_000 }, limits) };
  const front = await listen(createApiListener(deps), '127.0.0.1', 0);
  // The same, logging each request at the production level (info) as one JSON line, written to /dev/null as stderr
  // would be to a file: what logging a shed answer costs.
  const devNull = openSync('/dev/null', 'w');
  const logged = { ...deps, log: createLog('info', (line) => writeSync(devNull, line)) };
  const frontLogged = await listen(createApiListener(logged), '127.0.0.1', 0);
  const express = await listen(createApiApp(deps), '127.0.0.1', 0);
  // The floor: Node's HTTP server answering a constant 429, no guard, no headers of ours.
  const bare = await listen(
    (_req, res) => {
      res.statusCode = 429;
      res.setHeader('Retry-After', '1');
      res.end('{}');
    },
    '127.0.0.1',
    0,
  );
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const cpu = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: cpu.user + cpu.system } satisfies ShedChildMessage);
    } else if (message.type === 'stop') {
      void Promise.all([front.close(), frontLogged.close(), express.close(), bare.close()]).finally(() =>
        process.exit(0),
      );
    }
  });
  process.send?.({
    type: 'ready',
    frontUrl: front.url,
    frontLoggedUrl: frontLogged.url,
    expressUrl: express.url,
    bareUrl: bare.url,
  } satisfies ShedChildMessage);
}

main().catch((error: unknown) => {
  console.error('shed-cost child failed:', error);
  process.exit(1);
});
