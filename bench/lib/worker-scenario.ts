import { Worker } from 'node:worker_threads';
import type { ApiScenarioSetup, ApiTally } from './api-scenario.js';
import { bundleEntry } from './bench-bundle.js';
import type { PhaseOptions, PhaseResult, PhaseRunner } from './load.js';

export type LoadRequest = { readonly type: 'phase'; readonly options: PhaseOptions } | { readonly type: 'finish' };
export type LoadAnswer =
  | { readonly type: 'phase'; readonly result: PhaseResult }
  | { readonly type: 'done'; readonly tally: ApiTally; readonly slotsUsed: readonly string[] };

let bundled: Promise<string> | undefined;

/**
 * The API (or web) scenario driven from a worker thread (api-load-worker.ts): the bench asks it for one phase at a
 * time and gets the phase's result with the CPU the worker's thread spent on it (`clientCpuMs`).
 */
export class WorkerScenario implements PhaseRunner {
  readonly name: string;
  /** The request waiting for the worker's answer (one at a time: a phase, or finish). */
  private pending: { resolve: (answer: LoadAnswer) => void; reject: (error: Error) => void } | undefined;

  private constructor(
    private readonly worker: Worker,
    entry: ApiScenarioSetup['entry'],
  ) {
    this.name = entry === 'web' ? 'web' : 'API';
    worker.on('message', (answer: LoadAnswer) => this.settle((p) => p.resolve(answer)));
    worker.on('error', (error) => {
      console.error(`load generator (${entry}) failed:`, error);
      this.settle((p) => p.reject(error));
    });
  }

  static async start(setup: ApiScenarioSetup): Promise<WorkerScenario> {
    bundled ??= bundleEntry('bench/lib/api-load-worker.ts', 'dist/bench-holds-load-worker.mjs');
    return new WorkerScenario(new Worker(await bundled, { workerData: setup }), setup.entry);
  }

  async runPhase(options: PhaseOptions): Promise<PhaseResult> {
    const message = await this.ask({ type: 'phase', options });
    if (message.type !== 'phase') throw new Error(`load generator answered ${message.type} to a phase`);
    return message.result;
  }

  /** Stops the worker; its tally and slots, for the double-booking check. */
  async finish(): Promise<{ tally: ApiTally; slotsUsed: readonly string[] }> {
    const message = await this.ask({ type: 'finish' });
    if (message.type !== 'done') throw new Error(`load generator answered ${message.type} to finish`);
    await this.worker.terminate();
    return message;
  }

  private ask(request: LoadRequest): Promise<LoadAnswer> {
    if (this.pending) throw new Error('load generator: one request at a time');
    const answer = new Promise<LoadAnswer>((resolve, reject) => (this.pending = { resolve, reject }));
    this.worker.postMessage(request);
    return answer;
  }

  private settle(action: (pending: NonNullable<WorkerScenario['pending']>) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) action(pending);
  }
}
