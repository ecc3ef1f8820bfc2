import { appendFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { currentRequestId } from './request-context.js';

/**
 * Debug aid for the assistant's time to first token (off unless `MT_TTFT_TRACE=<file>`): each process on the path
 * (load generator, web, API) appends `<request id> <role>.<stage> <epoch ms> <process CPU ms>` for requests whose id
 * starts with `ttft-`, so `npm run bench:chat` can split the time a message takes into its hops, and the CPU the
 * process spent between two marks. All processes run on one machine,
 * so `performance.timeOrigin + performance.now()` lines up across them. Off, a mark is one comparison.
 */
const FILE = process.env.MT_TTFT_TRACE;
/** Whether marks are written (for a mark that needs set-up of its own). */
export const ttftTracing = FILE !== undefined && FILE !== '';
const ROLE = process.env.MEGATICKET_ROLE ?? 'bench';

/**
 * Marks wait in memory and reach the file every 100 ms and at exit: a synchronous append per mark (seven per message
 * in the API) put the tracer's own file I/O into the stretch it measures.
 */
let pending: string[] = [];
const FLUSH_MS = 100;

function flush(): void {
  if (pending.length === 0) return;
  const lines = pending.join('');
  pending = [];
  appendFileSync(FILE!, lines);
}

/** Writes this process's pending marks now; other processes' marks are in the file within `TTFT_FLUSH_MS`. */
export const flushTtftMarks = flush;
export const TTFT_FLUSH_MS = FLUSH_MS;

if (ttftTracing) {
  setInterval(flush, FLUSH_MS).unref();
  process.on('exit', flush);
  // Every garbage collection of the process, as an event `<role>.gc` with its duration and kind (1 minor, 4 major,
  // 8 incremental, 16 weak callbacks): the bench lays them over each slow message's hops.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = ((entry as { detail?: unknown }).detail ?? {}) as { kind?: number };
      ttftEvent('gc', entry.startTime, entry.duration, String(kind ?? '-'));
    }
  }).observe({ entryTypes: ['gc'] });
}

export function ttftMark(stage: string, id?: string): void {
  if (!ttftTracing) return;
  const traced = id ?? currentRequestId();
  if (!traced?.startsWith('ttft-')) return;
  const at = (performance.timeOrigin + performance.now()).toFixed(3);
  pending.push(`${traced} ${ROLE}.${stage} ${at} ${cpuMs()}\n`);
}

/**
 * Something that happened in this process, not to one message (a GC pause, a new connection): a line
 * `ev <role>.<name> <epoch ms> <duration ms> <detail>`, for the bench to lay over the messages' hops.
 */
export function ttftEvent(name: string, startTime = performance.now(), durationMs = 0, detail = '-'): void {
  if (!ttftTracing) return;
  const at = (performance.timeOrigin + startTime).toFixed(3);
  pending.push(`ev ${ROLE}.${name} ${at} ${durationMs.toFixed(3)} ${detail}\n`);
}

const seenSockets = new WeakSet<object>();

/**
 * Marks `<stage>` when `socket` carries its first request (a connection opened for this message: the client's
 * kept-alive one had been closed, or it never had one).
 */
export function ttftMarkNewSocket(socket: object, stage: string, id?: string): void {
  if (!ttftTracing || seenSockets.has(socket)) return;
  seenSockets.add(socket);
  ttftMark(stage, id);
}

/**
 * CPU time of this process, ms (`getrusage`: exact for the running thread at the moment of the call; schedstat would
 * only move at the scheduler's ticks on a quiet machine, too coarse for a stretch of a millisecond).
 */
function cpuMs(): string {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(3);
}
