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

export const USAGE = usageOf('bench:holds', FLAGS);

export function parseArgs(argv: readonly string[]): BenchArgs {
  // warmup may be 0; everything else must be at least 1.
  return parseIntegerFlags(argv, FLAGS, DEFAULTS, USAGE, (key) => (key === 'warmup' ? 0 : 1));
}

export function usageOf(script: string, flags: Readonly<Record<string, string>>): string {
  return `usage: npm run ${script} -- [${Object.keys(flags)
    .map((f) => `${f} N`)
    .join('] [')}]`;
}

/** `--name value` / `--name=value` integer options over defaults; anything else is refused with the usage. */
export function parseIntegerFlags<T extends { readonly [K in keyof T]: number }>(
  argv: readonly string[],
  flags: Readonly<Record<string, keyof T>>,
  defaults: T,
  usage: string,
  minimum: (key: keyof T) => number = () => 1,
): T {
  const args = { ...defaults } as Record<keyof T, number>;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const key = flags[flag];
    if (!key) throw new Error(`unknown option ${flag}\n${usage}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const min = minimum(key);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${flag} needs an integer >= ${min}, got ${raw}\n${usage}`);
    args[key] = value;
  }
  return args as T;
}
