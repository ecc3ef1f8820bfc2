/**
 * The waiters of bench:queue: each placed waiter polls at the interval the API asks for (with its signed ticket) and
 * claims its admission when its turn comes. Run in a process of its own (queue-waiters-child.ts) by default, or on the
 * load generator's own event loop (`--waiters-process 0`, the harness before), to compare the two.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { HttpClient, type HttpAnswer } from './http-client.js';

/** What the parent sends the waiters' process: the run's settings once, placed waiters in batches, then `finish`. */
export type WaitersCommand =
  | ({ readonly type: 'start' } & WaitersSettings)
  | { readonly type: 'placed'; readonly waiters: readonly PlacedWaiter[] }
  | { readonly type: 'progress' }
  | { readonly type: 'finish' };

/** Live counts, for the load generator's progress lines. */
export interface WaitersProgress {
  readonly type: 'progress';
  readonly polls: number;
  readonly poll429: number;
  readonly admitted: number;
}

export interface PlacedWaiter {
  readonly index: number;
  readonly token: string;
  readonly ticket: string;
  readonly pollAfterMs: number;
}

export interface WaitersResult {
  readonly type: 'result';
  /** Waiters admitted (index, wall-clock ms) and told their turn ran out (index). */
  readonly admitted: readonly (readonly [number, number])[];
  readonly expired: readonly number[];
  readonly polls: readonly number[];
  readonly poll429: readonly number[];
  readonly pollErrors: number;
  readonly pollErrorSamples: readonly string[];
  readonly claims: readonly number[];
  readonly claim429: readonly number[];
  /** Every claim answered other than 201, by code (`RATE_LIMITED/ADMISSION_BUDGET`…). */
  readonly claimRefusals: Readonly<Record<string, number>>;
  /** From the poll that told a waiter its turn to its admission (ms): the lag that starves a minute. */
  readonly turnToAdmission: readonly number[];
  /** This process's own event-loop delay (ms): the load generator's share of the lag, not the API's. */
  readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly cpuMicros: number;
}

export interface WaitersSettings {
  readonly apiUrl: string;
  readonly eventId: string;
  /** Wall-clock ms: no poll or claim is sent after it. */
  readonly stop: number;
  readonly pollSockets: number;
  readonly claimSockets: number;
}

export class WaiterLoop {
  private readonly clients: { polls: HttpClient; claims: HttpClient };
  private inFlight = 0;
  private pollErrors = 0;
  private readonly admitted: [number, number][] = [];
  private readonly expired: number[] = [];
  private readonly polls: number[] = [];
  private readonly poll429: number[] = [];
  private readonly pollErrorSamples: string[] = [];
  private readonly claims: number[] = [];
  private readonly claim429: number[] = [];
  private readonly claimRefusals: Record<string, number> = {};
  private readonly turnToAdmission: number[] = [];
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private readonly cpuAtStart = process.cpuUsage();
  private readonly entryPath: string;
  private readonly admissionPath: string;

  constructor(private readonly settings: WaitersSettings) {
    this.clients = {
      polls: new HttpClient(settings.apiUrl, settings.pollSockets),
      claims: new HttpClient(settings.apiUrl, settings.claimSockets),
    };
    this.entryPath = `/v1/queues/${settings.eventId}/entry`;
    this.admissionPath = `/v1/queues/${settings.eventId}/admission`;
    this.loop.enable();
  }

  add(waiters: readonly PlacedWaiter[]): void {
    for (const w of waiters) this.schedulePoll(w, w.pollAfterMs);
  }

  progress(): WaitersProgress {
    return { type: 'progress', polls: this.polls.length, poll429: this.poll429.length, admitted: this.admitted.length };
  }

  /** Once the in-flight polls and claims are answered: what the waiters saw. */
  async finish(): Promise<WaitersResult> {
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    this.loop.disable();
    const cpu = process.cpuUsage(this.cpuAtStart);
    this.clients.polls.close();
    this.clients.claims.close();
    return {
      type: 'result',
      admitted: this.admitted,
      expired: this.expired,
      polls: this.polls,
      poll429: this.poll429,
      pollErrors: this.pollErrors,
      pollErrorSamples: this.pollErrorSamples,
      claims: this.claims,
      claim429: this.claim429,
      claimRefusals: this.claimRefusals,
      turnToAdmission: this.turnToAdmission,
      loopDelay: { p50: this.loop.percentile(50) / 1e6, p99: this.loop.percentile(99) / 1e6, max: this.loop.max / 1e6 },
      cpuMicros: cpu.user + cpu.system,
    };
  }

  /** Runs `run` at wall-clock `wallMs`, unless that is past the end of the measured minutes. */
  private at(wallMs: number, run: () => Promise<void>): void {
    if (wallMs > this.settings.stop) return;
    setTimeout(
      () => {
        this.inFlight++;
        void run().finally(() => this.inFlight--);
      },
      Math.max(0, wallMs - Date.now()),
    );
  }

  private schedulePoll(w: PlacedWaiter, afterMs: number): void {
    const when = Date.now() + afterMs;
    this.at(when, () => this.poll(w, performance.now() + (when - Date.now())));
  }

  private async poll(w: PlacedWaiter, intended: number): Promise<void> {
    const answer = await this.clients.polls.send('GET', this.entryPath, headers(w), intended);
    if (answer.status === 429) {
      this.poll429.push(answer.ms);
      return this.schedulePoll(w, (answer.retryAfter ?? 5) * 1000);
    }
    if (answer.status !== 200) {
      this.pollErrors++;
      if (this.pollErrorSamples.length < 5)
        this.pollErrorSamples.push(`${answer.status} ${JSON.stringify(answer.body)}`);
      return this.schedulePoll(w, 5_000);
    }
    this.polls.push(answer.ms);
    const { place } = answer.body as { place: { status: string; pollAfterMs?: number } };
    if (place.status === 'YOUR_TURN') return this.claim(w, performance.now(), performance.now());
    if (place.status === 'TURN_EXPIRED') {
      this.expired.push(w.index);
      return;
    }
    this.schedulePoll(w, place.pollAfterMs ?? 5_000);
  }

  private async claim(w: PlacedWaiter, intended: number, toldAt: number): Promise<void> {
    // With the ticket, as the page sends it: a claim refused for budget then costs the API no read.
    const answer: HttpAnswer = await this.clients.claims.send('POST', this.admissionPath, headers(w), intended);
    if (answer.status === 201) {
      this.claims.push(answer.ms);
      this.turnToAdmission.push(performance.now() - toldAt);
      this.admitted.push([w.index, Date.now()]);
      return;
    }
    const error = (answer.body as { error?: { code?: string; details?: { reason?: string } } })?.error;
    const code = error?.details?.reason
      ? `${error.code}/${error.details.reason}`
      : (error?.code ?? String(answer.status));
    this.claimRefusals[code] = (this.claimRefusals[code] ?? 0) + 1;
    if (error?.details?.reason === 'OVERLOADED') this.claim429.push(answer.ms);
    if (answer.status === 429) {
      const when = Date.now() + (answer.retryAfter ?? 1) * 1000;
      return this.at(when, () => this.claim(w, performance.now() + (when - Date.now()), toldAt));
    }
    this.schedulePoll(w, 2_000);
  }
}

const headers = (w: PlacedWaiter) => ({ authorization: `Bearer ${w.token}`, 'x-queue-ticket': w.ticket });

/** The waiters as the load generator sees them, in a process of their own or on its own event loop. */
export interface Waiters {
  add(waiter: PlacedWaiter): void;
  progress(): Promise<WaitersProgress>;
  finish(): Promise<WaitersResult>;
  /** The waiters' process id, when they run in one (its CPU is read from /proc). */
  readonly pid?: number;
}

/** Placed waiters are handed to the waiters' process at most every 20 ms, in one message per batch. */
const HAND_OVER_MS = 20;

export async function startWaiters(inProcessOfTheirOwn: boolean, settings: WaitersSettings): Promise<Waiters> {
  if (!inProcessOfTheirOwn) {
    const loop = new WaiterLoop(settings);
    return {
      add: (w) => loop.add([w]),
      progress: async () => loop.progress(),
      finish: () => loop.finish(),
    };
  }
  const child = fork(join(import.meta.dirname, 'queue-waiters-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends { type: string }>(type: T['type']) =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the waiters' process exited (${code})`));
      const listener = (message: T) => {
        if (message.type !== type) return;
        child.off('message', listener);
        child.off('exit', onExit);
        resolve(message);
      };
      child.on('message', listener);
      child.once('exit', onExit);
    });
  await next('ready');
  child.send({ type: 'start', ...settings } satisfies WaitersCommand);
  let batch: PlacedWaiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (batch.length > 0) child.send({ type: 'placed', waiters: batch } satisfies WaitersCommand);
    batch = [];
  };
  return {
    pid: child.pid,
    add: (w) => {
      batch.push(w);
      timer ??= setTimeout(flush, HAND_OVER_MS);
    },
    progress: () => {
      const answer = next<WaitersProgress>('progress');
      child.send({ type: 'progress' } satisfies WaitersCommand);
      return answer;
    },
    finish: async () => {
      if (timer) clearTimeout(timer);
      flush();
      const result = next<WaitersResult>('result');
      child.send({ type: 'finish' } satisfies WaitersCommand);
      const answer = await result;
      child.disconnect();
      return answer;
    },
  };
}
