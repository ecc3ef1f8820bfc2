import { decide, type FallbackPolicy } from './fallback-policy.js';
import type { AssistantMetrics } from './metrics.js';
import { ModelFailure, type ChatModel, type ModelEvent, type ModelRequest } from './model.js';
import { TurnAssembler, type AssembledTurn } from './turn-assembler.js';

export interface AnsweringModel {
  readonly id: string;
  readonly isFallback: boolean;
}

export interface ChainTurn extends AssembledTurn {
  readonly model: AnsweringModel;
}

/** Every model of the chain failed before any text reached the person. */
export class ModelsUnavailable extends Error {
  constructor(readonly failures: readonly ModelFailure[]) {
    super(`no model answered: ${failures.map((f) => f.reason).join(', ')}`);
    this.name = 'ModelsUnavailable';
  }
}

/** The stream broke after text had reached the person: never retried or handed over (the UI offers a retry). */
export class AnswerInterrupted extends Error {
  constructor(
    readonly failure: ModelFailure,
    readonly model: AnsweringModel,
  ) {
    super(`answer interrupted: ${failure.reason}`);
    this.name = 'AnswerInterrupted';
  }
}

export interface ModelChainOptions {
  /** Primary first, then the fallback. */
  readonly models: readonly ChatModel[];
  readonly policy: FallbackPolicy;
  readonly metrics: AssistantMetrics;
  /** Injected so tests can check the retry delays without waiting them out. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Runs one model turn over the primary/fallback chain with SPEC §5's policy: per-model first-event timeouts, retries
 * with delays for transient statuses, immediate fallback otherwise, and no retry or fallback once text of this turn
 * has reached the person. A stream that ends without `messageStop` is a failure (the SDK's HTTP/2 handler can end a
 * stream silently).
 */
export class ModelChain {
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: ModelChainOptions) {
    if (options.models.length === 0) throw new Error('a model chain needs at least one model');
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? (() => performance.now());
  }

  get primaryId(): string {
    return this.options.models[0]!.id;
  }

  async runTurn(request: ModelRequest, onText: (text: string) => void, signal: AbortSignal): Promise<ChainTurn> {
    const { models, policy, metrics } = this.options;
    const failures: ModelFailure[] = [];
    for (let position = 0; position < models.length; position++) {
      const model = models[position]!;
      const answering: AnsweringModel = { id: model.id, isFallback: position > 0 };
      const firstEventMs = position === 0 ? policy.firstEventTimeoutMs.primary : policy.firstEventTimeoutMs.fallback;
      for (let retries = 0; ; retries++) {
        const started = this.now();
        let firstContentAt: number | undefined;
        let textShown = false;
        const assembler = new TurnAssembler();
        try {
          for await (const event of guarded(model, request, signal, firstEventMs, policy.streamIdleMs)) {
            if (firstContentAt === undefined && (event.type === 'text' || event.type === 'toolUseStart')) {
              firstContentAt = this.now();
            }
            assembler.add(event);
            if (event.type === 'text' && event.text !== '') {
              textShown = true;
              onText(event.text);
            }
          }
          if (!assembler.stopped) throw new ModelFailure('incomplete', 'the stream ended without messageStop');
          const turn = assembler.result();
          metrics.modelCall({
            model: model.id,
            isFallback: answering.isFallback,
            latencyMs: this.now() - started,
            timeToFirstTokenMs: firstContentAt === undefined ? undefined : firstContentAt - started,
            usage: turn.usage,
          });
          return { ...turn, model: answering };
        } catch (error) {
          if (signal.aborted) throw error;
          const failure = asFailure(error);
          if (textShown) throw new AnswerInterrupted(failure, answering);
          const decision = decide(policy, failure, retries);
          if (decision.action === 'retry') {
            await this.sleep(decision.delayMs, signal);
            continue;
          }
          failures.push(failure);
          if (decision.action === 'fail' || position === models.length - 1) throw new ModelsUnavailable(failures);
          metrics.fallback(model.id, answering.isFallback, failure.reason);
          break;
        }
      }
    }
    throw new ModelsUnavailable(failures);
  }
}

/**
 * The model's events with both timeouts enforced by racing each `next()` against a timer, so a stream that stalls
 * (or that the SDK ends silently after the abort) can never hang the answer.
 */
async function* guarded(
  model: ChatModel,
  request: ModelRequest,
  outer: AbortSignal,
  firstEventMs: number,
  idleMs: number,
): AsyncGenerator<ModelEvent> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onOuterAbort, { once: true });
  const iterator = model.stream(request, controller.signal)[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  let first = true;
  try {
    for (;;) {
      const limit = first ? firstEventMs : idleMs;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new ModelFailure('timeout', first ? `no first event within ${limit} ms` : `stream idle for ${limit} ms`),
          );
        }, limit);
      });
      const step = await Promise.race([iterator.next(), timeout]);
      clearTimeout(timer);
      if (step.done) return;
      first = false;
      yield step.value;
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuterAbort);
    controller.abort();
    // Ends the SDK stream; a rejection from an aborted stream is expected and irrelevant here.
    void iterator.return?.().catch(() => {});
  }
}

function asFailure(error: unknown): ModelFailure {
  if (error instanceof ModelFailure) return error;
  return new ModelFailure('network', error instanceof Error ? error.message : String(error));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
