/**
 * `--name value` / `--name=value` integer options for the benchmarks: a handful of numbers, not an option-parsing
 * dependency. `min` per option (default 1).
 */
export function parseIntegerFlags<T extends object>(
  defaults: T,
  flags: Readonly<Record<string, keyof T>>,
  usage: string,
  min: Partial<Record<keyof T, number>>,
  argv: readonly string[],
): T {
  const args = { ...defaults } as Record<keyof T, number>;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const key = flags[flag];
    if (!key) throw new Error(`unknown option ${flag}\n${usage}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const least = min[key] ?? 1;
    if (!Number.isInteger(value) || value < least)
      throw new Error(`${flag} needs an integer >= ${least}, got ${raw}\n${usage}`);
    args[key] = value;
  }
  return args as T;
}

export function usageOf(command: string, flags: Readonly<Record<string, unknown>>): string {
  return `usage: ${command} -- [${Object.keys(flags)
    .map((f) => `${f} N`)
    .join('] [')}]`;
}
