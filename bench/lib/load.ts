import { performance } from 'node:perf_hooks';

/** What one hold attempt came to. Latencies are milliseconds measured around the calls that did the work. */
export type Outcome =
  | { readonly kind: 'completed'; readonly holdMs: number; readonly pairMs: number }
  /** A seat was already taken: the all-or-nothing refusal SPEC §3.1 asks for. Counted, not an error. */
  | { readonly kind: 'conflict' }
  /** Lost a write race that was not a taken seat (DynamoDB TransactionConflict; the API retries these itself). */
  | { readonly kind: 'raced' }
  /**
   * The client got no answer (its own timeout, a dropped connection, or the web tier's 503 for an API call that timed
   * out): the request may or may not have committed. Not a wrong answer; the double-booking check settles each such
   * confirm from the store.
   */
  | { readonly kind: 'unanswered'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

export interface Scenario {
  readonly name: string;
  attempt(): Promise<Outcome>;
}

export interface PhaseResult {
  readonly attempts: number;
  readonly completed: number;
  readonly conflicts: number;
  readonly raced: number;
  readonly unanswered: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly elapsedMs: number;
  /** Successful holds only, so both scenarios are compared on the same kind of work. */
  readonly holdMs: number[];
  /** Hold + confirm of completed pairs. */
  readonly pairMs: number[];
  /** True when the time cap, not the attempt budget, ended the phase. */
  readonly capped: boolean;
  /** CPU the load generator's own thread spent on the phase, when it runs in a thread of its own (ms). */
  readonly clientCpuMs?: number;
}

export interface PhaseOptions {
  readonly clients: number;
  readonly attempts: number;
  readonly maxMs: number;
}

/** A scenario whose phases run elsewhere (a worker thread): asked for a whole phase at a time. */
export interface PhaseRunner {
  readonly name: string;
  runPhase(options: PhaseOptions): Promise<PhaseResult>;
}

/**
 * Closed-loop load: `clients` workers share one budget of attempts, each starting its next attempt as soon as the
 * previous one answered. A shared budget (not a per-worker quota) keeps all clients busy until the very end.
 */
export async function runPhase(scenario: Scenario, options: PhaseOptions): Promise<PhaseResult> {
  const result = {
    attempts: 0,
    completed: 0,
    conflicts: 0,
    raced: 0,
    unanswered: 0,
    errors: 0,
    errorSamples: [] as string[],
    holdMs: [] as number[],
    pairMs: [] as number[],
    capped: false,
  };
  const started = performance.now();
  const deadline = started + options.maxMs;
  const worker = async () => {
    while (result.attempts < options.attempts) {
      if (performance.now() >= deadline) {
        result.capped = true;
        return;
      }
      result.attempts++;
      const outcome = await scenario.attempt().catch((e: unknown): Outcome => ({ kind: 'error', message: String(e) }));
      switch (outcome.kind) {
        case 'completed':
          result.completed++;
          result.holdMs.push(outcome.holdMs);
          result.pairMs.push(outcome.pairMs);
          break;
        case 'conflict':
          result.conflicts++;
          break;
        case 'raced':
          result.raced++;
          break;
        case 'unanswered':
          result.unanswered++;
          if (result.errorSamples.length < 5) result.errorSamples.push(`no answer: ${outcome.message}`);
          break;
        case 'error':
          result.errors++;
          if (result.errorSamples.length < 5) result.errorSamples.push(outcome.message);
          break;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, worker));
  return { ...result, elapsedMs: performance.now() - started };
}

/** Several phases of one scenario as if they were one: counts and samples added up, time summed. */
export function mergePhases(phases: readonly PhaseResult[]): PhaseResult {
  return {
    attempts: sum(phases, (p) => p.attempts),
    completed: sum(phases, (p) => p.completed),
    conflicts: sum(phases, (p) => p.conflicts),
    raced: sum(phases, (p) => p.raced),
    unanswered: sum(phases, (p) => p.unanswered),
    errors: sum(phases, (p) => p.errors),
    errorSamples: phases.flatMap((p) => p.errorSamples).slice(0, 5),
    elapsedMs: sum(phases, (p) => p.elapsedMs),
    holdMs: phases.flatMap((p) => p.holdMs),
    pairMs: phases.flatMap((p) => p.pairMs),
    capped: phases.some((p) => p.capped),
    clientCpuMs: phases.every((p) => p.clientCpuMs !== undefined) ? sum(phases, (p) => p.clientCpuMs ?? 0) : undefined,
  };
}

const sum = <T>(items: readonly T[], f: (item: T) => number) => items.reduce((s, item) => s + f(item), 0);
