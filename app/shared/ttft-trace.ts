import { appendFileSync } from 'node:fs';
import { currentRequestId } from './request-context.js';

/**
 * Debug aid for the assistant's time to first token (off unless `MT_TTFT_TRACE=<file>`): each process on the path
 * (load generator, web, API) appends `<request id> <role>.<stage> <epoch ms>` for requests whose id starts with
 * `ttft-`, so `npm run bench:chat` can split the time a message takes into its hops. All processes run on one
 * machine, so `performance.timeOrigin + performance.now()` lines up across them. Off, a mark is one comparison.
 */
const FILE = process.env.MT_TTFT_TRACE;
/** Whether marks are written (for a mark that needs set-up of its own). */
export const ttftTracing = FILE !== undefined && FILE !== '';
const ROLE = process.env.MEGATICKET_ROLE ?? 'bench';

export function ttftMark(stage: string, id?: string): void {
  if (!ttftTracing) return;
  const traced = id ?? currentRequestId();
  if (!traced?.startsWith('ttft-')) return;
  appendFileSync(FILE!, `${traced} ${ROLE}.${stage} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
}
