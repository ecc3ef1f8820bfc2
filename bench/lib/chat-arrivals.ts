/**
 * When the benchmark's people send their messages (bench:chat): the arrival model, next to the answer's workload
 * (chat-workloads.ts). Both sides of a round (the model's own calls and the calls through the app) follow the same
 * schedule, so the only difference between them is the app.
 */
export interface ChatArrivals {
  readonly name: string;
  /** One line for the report: what the schedule is and what it stands for. */
  readonly description: string;
  /** Milliseconds person `person` waits before the first message of round `round`'s phase. */
  firstDelayMs(round: number, person: number): number;
  /** Milliseconds between the end of the answer to message `message` and the person's next message. */
  thinkMs(round: number, person: number, message: number): number;
}

/** Everyone sends at once and the next message the moment the answer ends: twenty chats stay in step (a stress). */
export const LOCKSTEP: ChatArrivals = {
  name: 'lockstep',
  description: 'all first messages at once, each next message as soon as the answer ends (the chats stay in step)',
  firstDelayMs: () => 0,
  thinkMs: () => 0,
};

/** First messages `ms` apart, then back to back: independent arrivals, still with no pause between messages. */
export function staggered(ms: number): ChatArrivals {
  return {
    name: `staggered ${ms} ms`,
    description: `first messages ${ms} ms apart, each next message as soon as the answer ends`,
    firstDelayMs: (_round, person) => person * ms,
    thinkMs: () => 0,
  };
}

/**
 * People who read the answer and type the next message: a think time drawn from an exponential distribution with
 * mean `meanMs`, clipped to [meanMs / 6, 10 × meanMs] (the load-test convention of TPC-C and TPC-W: exponential think
 * times truncated at ten times the mean; the lower clip stands for the few seconds it takes to type even "2번").
 * A phase's first messages are people arriving, not answering: an exponential delay from the phase's start with no
 * lower clip. (With it, every draw under the clip — 15 % of them — landed on the same instant, so each phase began
 * with about three people sending within a few milliseconds: a lockstep burst the independent people this mode stands
 * for never make, and in the quiet run of 08:31 those bursts were the p99 messages.) Seeded: every run, and both
 * sides of a round, draw the same times.
 */
export function thinking(meanMs: number, seed = 8): ChatArrivals {
  const exponential = (round: number, person: number, message: number) =>
    -meanMs * Math.log(1 - unitRandom(seed, round, person, message));
  const draw = (round: number, person: number, message: number) =>
    Math.min(10 * meanMs, Math.max(meanMs / 6, exponential(round, person, message)));
  return {
    name: `think time ${(meanMs / 1000).toFixed(1)} s`,
    description:
      `each next message after the answer ends plus a think time (exponential, mean ${meanMs} ms, clipped to ` +
      `${Math.round(meanMs / 6)}–${10 * meanMs} ms, seeded); first messages after an exponential delay of the same ` +
      `mean (arrivals: no lower clip)`,
    firstDelayMs: (round, person) => Math.min(10 * meanMs, exponential(round, person, -1)),
    thinkMs: draw,
  };
}

/** A uniform number in [0, 1) from the integers given (mulberry32 over a mix of them): reproducible, no state. */
export function unitRandom(...parts: number[]): number {
  let a = 0x9e3779b9;
  for (const part of parts) a = Math.imul(a ^ (part + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  a = (a + 0x6d2b79f5) | 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
