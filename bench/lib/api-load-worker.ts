/**
 * bench:holds' load generator for the API and web scenarios, in a worker thread of its own (bundled by esbuild, no
 * tsx loader): a real client runs on other machines, so its HTTP work must neither share the API's event loop nor be
 * counted as the API's CPU. It runs each phase it is asked for and reports the phase's result with the CPU its own
 * thread spent, which the bench subtracts from the process's CPU to give the app's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiScenario, type ApiScenarioSetup } from './api-scenario.js';
import { runPhase } from './load.js';
import { currentThreadCpuMicros } from './thread-cpu.js';
import type { LoadRequest, LoadAnswer } from './worker-scenario.js';

const scenario = new ApiScenario(workerData as ApiScenarioSetup);
const port = parentPort!;
const answer = (message: LoadAnswer) => port.postMessage(message);

port.on('message', (request: LoadRequest) => {
  if (request.type === 'phase') {
    const before = currentThreadCpuMicros();
    void runPhase(scenario, request.options).then((result) => {
      const after = currentThreadCpuMicros();
      const clientCpuMs = before !== undefined && after !== undefined ? (after - before) / 1000 : undefined;
      answer({ type: 'phase', result: { ...result, clientCpuMs } });
    });
  } else {
    scenario.close();
    answer({ type: 'done', tally: scenario.tally, slotsUsed: scenario.slotsUsed() });
  }
});
