/**
 * The API under test for bench:queue, in a process of its own so the load generator never shares its event loop.
 * Configured through the environment like production (MEGATICKET_ROLE=api, DYNAMODB_MODE=external, …); it reports
 * its URL once listening and, on request, its CPU time and the DynamoDB commands it has sent.
 */
import { DR_INACTIVE } from '../../app/booking/dr.js';
import { loadConfig } from '../../app/config.js';
import { startApp } from '../../app/runtime.js';

export type ChildMessage =
  | { readonly type: 'ready'; readonly apiUrl: string }
  | {
      readonly type: 'stats';
      readonly cpuMicros: number;
      readonly dynamoCalls: Readonly<Record<string, number>>;
      readonly rssMiB: number;
    }
  | { readonly type: 'log'; readonly message: string };

const send = (message: ChildMessage) => process.send?.(message);

async function main(): Promise<void> {
  const calls: Record<string, number> = {};
  const app = await startApp(loadConfig(), {
    // Pinned inactive: a developer's local DR state file must not change what is measured.
    drState: { current: async () => DR_INACTIVE },
    log: (message, error) => send({ type: 'log', message: `${message} ${error === undefined ? '' : String(error)}` }),
  });
  app.api!.db.middlewareStack.add(
    (next, context) => async (args) => {
      calls[String(context.commandName)] = (calls[String(context.commandName)] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({
        type: 'stats',
        cpuMicros: cpu.user + cpu.system,
        dynamoCalls: { ...calls },
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      });
    } else if (message.type === 'stop') {
      void app.stop().finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', apiUrl: app.apiUrl! });
}

main().catch((error: unknown) => {
  console.error('bench API child failed:', error);
  process.exit(1);
});
