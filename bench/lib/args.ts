import { parseIntegerFlags, usageOf } from './flags.js';

/**
 * Command-line options of the hold benchmark. Plain `--name value` / `--name=value` pairs: a benchmark needs a
 * handful of integers, not an option-parsing dependency.
 */
export interface BenchArgs {
  /** Concurrent clients (closed loop: each waits for its answer before the next attempt). */
  readonly clients: number;
  /** Measured hold attempts of the API and of the raw floor each, split evenly over the rounds. */
  readonly ops: number;
  /** Measured hold attempts through the web tier's forms, split over the rounds (0: no web scenario). */
  readonly webOps: number;
  /**
   * Unmeasured hold attempts per scenario before the first round (V8 and JVM JIT, keep-alive pools). With only 100
   * the first measured API round ran ~50% slower than the later ones; from ~400 on the rounds come out even.
   */
  readonly warmup: number;
  /**
   * Short rounds of API and raw back to back (alternating which goes first) so drift and noise hit both alike; each
   * round gives one API/raw ratio, and the spread of those ratios gives the interval the verdict rests on.
   */
  readonly rounds: number;
  /** Confirmed holds after which a scenario moves on to a fresh slot, so seats never run out and fill stays low. */
  readonly holdsPerSlot: number;
  /** Safety net: a measured phase stops issuing attempts after its share of this many seconds. */
  readonly maxSeconds: number;
}

const DEFAULTS: BenchArgs = {
  clients: 16,
  ops: 3000,
  webOps: 1200,
  warmup: 400,
  rounds: 12,
  holdsPerSlot: 50,
  maxSeconds: 240,
};

const FLAGS: Record<string, keyof BenchArgs> = {
  '--clients': 'clients',
  '--ops': 'ops',
  '--web-ops': 'webOps',
  '--warmup': 'warmup',
  '--rounds': 'rounds',
  '--holds-per-slot': 'holdsPerSlot',
  '--max-seconds': 'maxSeconds',
};

export const USAGE = usageOf('npm run bench:holds', FLAGS);

/** warmup and web-ops may be 0; everything else must be at least 1. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  return parseIntegerFlags({ ...DEFAULTS }, FLAGS, USAGE, { warmup: 0, webOps: 0 }, argv);
}
