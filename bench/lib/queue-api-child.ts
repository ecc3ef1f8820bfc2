/**
 * The API under test for bench:queue, in a process of its own so the load generator never shares its event loop.
 * Configured through the environment like production (MEGATICKET_ROLE=api, DYNAMODB_MODE=external, …); it reports
 * its URL once listening and, on request, its CPU time and the DynamoDB commands it has sent.
 */
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadClassOf } from '../../app/api/load-shedding.js';
import { DR_INACTIVE } from '../../app/booking/dr.js';
import { loadConfig } from '../../app/config.js';
import { startApp } from '../../app/runtime.js';
import { DEFAULT_CLASS_LIMITS } from '../../app/shared/overload-guard.js';
import { summarize, type LatencySummary } from './stats.js';

export type ChildMessage =
  | { readonly type: 'ready'; readonly apiUrl: string }
  | {
      readonly type: 'stats';
      readonly cpuMicros: number;
      readonly dynamoCalls: Readonly<Record<string, number>>;
      readonly rssMiB: number;
      /** The API's own answer time per waiting-room class and status (e.g. `join 200`), in ms. */
      readonly answerTimes: Readonly<Record<string, LatencySummary>>;
      /** Each DynamoDB command's time as the app sees it (send to result: the SDK, its sockets, DynamoDB), in ms. */
      readonly dynamoTimes: Readonly<Record<string, LatencySummary>>;
      /** The API's event loop delay since it started (ms): how long a ready socket or callback waited for the loop. */
      readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
      /** The overload guard's bound on joins in flight, sampled once a second (it falls while joins yield). */
      readonly joinBound: { readonly min: number; readonly mean: number; readonly secondsYielding: number };
    }
  | { readonly type: 'log'; readonly message: string };

const send = (message: ChildMessage) => process.send?.(message);

/**
 * UpdateItem split by what it is for, from its update expression: a claim counting itself on the state item, the
 * writer's tick, or anything else (entry updates, number allocations). Their times differ by design.
 */
function kindOf(commandName: string, input: { UpdateExpression?: unknown }): string {
  if (commandName !== 'UpdateItemCommand' || typeof input.UpdateExpression !== 'string') return commandName;
  if (input.UpdateExpression.startsWith('ADD claimed')) return 'UpdateItemCommand (claim, state item)';
  if (input.UpdateExpression.startsWith('SET serving')) return 'UpdateItemCommand (writer tick)';
  return 'UpdateItemCommand (other)';
}

/**
 * The API's own answer time: from the server's 'request' event (the request's headers read off the socket by the
 * event loop) to the last byte handed to the socket. It leaves out what waits in front of the process (the load
 * generator's sockets, the kernel's buffers), which the load generator's own latencies include. Bench-only: the
 * server's emit is wrapped before the app starts.
 */
const answerTimes = new Map<string, number[]>();
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [IncomingMessage, ServerResponse];
    const cls = loadClassOf(req.method, req.url);
    if (cls) {
      const started = performance.now();
      res.once('finish', () => {
        const key = `${cls} ${res.statusCode}`;
        const times = answerTimes.get(key) ?? [];
        times.push(performance.now() - started);
        answerTimes.set(key, times);
      });
    }
  }
  return (emit as (this: Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
} as typeof Server.prototype.emit;

async function main(): Promise<void> {
  const calls: Record<string, number> = {};
  const callTimes = new Map<string, number[]>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const app = await startApp(loadConfig(), {
    // Pinned inactive: a developer's local DR state file must not change what is measured.
    drState: { current: async () => DR_INACTIVE },
    log: (message, error) => send({ type: 'log', message: `${message} ${error === undefined ? '' : String(error)}` }),
  });
  app.api!.db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = kindOf(String(context.commandName), args.input as { UpdateExpression?: unknown });
      calls[name] = (calls[name] ?? 0) + 1;
      const started = performance.now();
      try {
        return await next(args);
      } catch (error) {
        // Refused by its condition: still a write's work on DynamoDB's side (the claims' hot state item above all).
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          calls[`${name} refused`] = (calls[`${name} refused`] ?? 0) + 1;
        }
        throw error;
      } finally {
        const times = callTimes.get(name) ?? [];
        times.push(performance.now() - started);
        callTimes.set(name, times);
      }
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  const overload = app.api!.apiDeps.overload;
  const bounds: number[] = [];
  setInterval(() => bounds.push(overload.bound('join')), 1_000).unref();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({
        type: 'stats',
        cpuMicros: cpu.user + cpu.system,
        dynamoCalls: { ...calls },
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
        answerTimes: Object.fromEntries([...answerTimes].map(([key, times]) => [key, summarize(times)])),
        dynamoTimes: Object.fromEntries([...callTimes].map(([key, times]) => [key, summarize(times)])),
        // The histogram counts its own 10 ms resolution as delay.
        joinBound: {
          min: Math.min(...bounds),
          mean: bounds.reduce((a, b) => a + b, 0) / Math.max(1, bounds.length),
          secondsYielding: bounds.filter((b) => b < DEFAULT_CLASS_LIMITS.join.maxInFlight).length,
        },
        loopDelay: {
          p50: Math.max(0, loop.percentile(50) / 1e6 - 10),
          p99: Math.max(0, loop.percentile(99) / 1e6 - 10),
          max: Math.max(0, loop.max / 1e6 - 10),
        },
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
