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
   * Unmeasured rounds before the measured ones, each of the same shape (API and raw back to back, web between every
   * second round, the same attempts per block): V8's and the JVM's JIT, keep-alive pools, DynamoDB Local's tables.
   * Printed as "not counted". 400 attempts of each scenario one after the other left the first measured round cold
   * (JVM 28 ms per API pair against 13–22 after, a quiet run); the JVM's cost per pair kept falling for ≈ 4 rounds.
   */
  readonly warmupRounds: number;
  /**
   * Short rounds of API and raw back to back (alternating which goes first) so drift and noise hit both alike; each
   * round gives one API/raw ratio, and the spread of those ratios gives the interval the verdict rests on.
   */
  readonly rounds: number;
  /** Confirmed holds after which a scenario moves on to a fresh slot, so seats never run out and fill stays low. */
  readonly holdsPerSlot: number;
  /** Safety net: a measured phase stops issuing attempts after its share of this many seconds. */
  readonly maxSeconds: number;
  /**
   * 1: the API's hold and confirm transactions serialised by the SDK's schema serialiser, as before gate-cost-6, instead
   * of `JSON.stringify` (transaction-serializer.ts) — the same build run both ways gives the API's ms per pair each way.
   */
  readonly sdkSerializer: number;
}

const DEFAULTS: BenchArgs = {
  clients: 16,
  ops: 3000,
  webOps: 1200,
  warmupRounds: 4,
  rounds: 12,
  holdsPerSlot: 50,
  maxSeconds: 240,
  sdkSerializer: 0,
};

const FLAGS: Record<string, keyof BenchArgs> = {
  '--clients': 'clients',
  '--ops': 'ops',
  '--web-ops': 'webOps',
  '--warmup-rounds': 'warmupRounds',
  '--rounds': 'rounds',
  '--holds-per-slot': 'holdsPerSlot',
  '--max-seconds': 'maxSeconds',
  '--sdk-serializer': 'sdkSerializer',
};

export const USAGE = usageOf('npm run bench:holds', FLAGS);

/** warmup-rounds and web-ops may be 0; everything else must be at least 1. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  return parseIntegerFlags({ ...DEFAULTS }, FLAGS, USAGE, { warmupRounds: 0, webOps: 0, sdkSerializer: 0 }, argv);
}
