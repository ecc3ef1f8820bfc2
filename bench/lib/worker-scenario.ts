import { once } from 'node:events';
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

  private constructor(
    private readonly worker: Worker,
    entry: ApiScenarioSetup['entry'],
  ) {
    this.name = entry === 'web' ? 'web' : 'API';
  }

  static async start(setup: ApiScenarioSetup): Promise<WorkerScenario> {
    bundled ??= bundleEntry('bench/lib/api-load-worker.ts', 'dist/bench-holds-load-worker.mjs');
    const worker = new Worker(await bundled, { workerData: setup });
    worker.on('error', (error) => console.error(`load generator (${setup.entry}) failed:`, error));
    return new WorkerScenario(worker, setup.entry);
  }

  async runPhase(options: PhaseOptions): Promise<PhaseResult> {
    const answer = this.next();
    this.worker.postMessage({ type: 'phase', options } satisfies LoadRequest);
    const message = await answer;
    if (message.type !== 'phase') throw new Error(`load generator answered ${message.type} to a phase`);
    return message.result;
  }

  /** Stops the worker; its tally and slots, for the double-booking check. */
  async finish(): Promise<{ tally: ApiTally; slotsUsed: readonly string[] }> {
    const answer = this.next();
    this.worker.postMessage({ type: 'finish' } satisfies LoadRequest);
    const message = await answer;
    if (message.type !== 'done') throw new Error(`load generator answered ${message.type} to finish`);
    await this.worker.terminate();
    return message;
  }

  private async next(): Promise<LoadAnswer> {
    const [message] = (await Promise.race([
      once(this.worker, 'message'),
      once(this.worker, 'error').then(([error]) => Promise.reject(error as Error)),
    ])) as [LoadAnswer];
    return message;
  }
}
