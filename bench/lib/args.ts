import { parseIntegerFlags, usageOf } from './flags.js';

/**
 * Command-line options of the hold benchmark. Plain `--name value` / `--name=value` pairs: a benchmark needs a
 * handful of integers, not an option-parsing dependency.
 */
export interface BenchArgs {
  /** Concurrent clients (closed loop: each waits for its answer before the next attempt). */
  readonly clients: number;
  /** Measured hold attempts per scenario, split evenly over the rounds. */
  readonly ops: number;
  /**
   * Unmeasured hold attempts per scenario before the first round (V8 and JVM JIT, keep-alive pools). With only 100
   * the first measured API round ran ~50% slower than the later ones; from ~400 on the rounds come out even.
   */
  readonly warmup: number;
  /** Rounds of A then B (alternating order each round) so drift hits both scenarios alike. */
  readonly rounds: number;
  /** Confirmed holds after which a scenario moves on to a fresh slot, so seats never run out and fill stays low. */
  readonly holdsPerSlot: number;
  /** Safety net: a measured phase stops issuing attempts after its share of this many seconds. */
  readonly maxSeconds: number;
}

const DEFAULTS: BenchArgs = { clients: 16, ops: 2000, warmup: 400, rounds: 4, holdsPerSlot: 50, maxSeconds: 160 };

const FLAGS: Record<string, keyof BenchArgs> = {
  '--clients': 'clients',
  '--ops': 'ops',
  '--warmup': 'warmup',
  '--rounds': 'rounds',
  '--holds-per-slot': 'holdsPerSlot',
  '--max-seconds': 'maxSeconds',
};

export const USAGE = usageOf('npm run bench:holds', FLAGS);

/** warmup may be 0; everything else must be at least 1. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  return parseIntegerFlags({ ...DEFAULTS }, FLAGS, USAGE, { warmup: 0 }, argv);
}
