/** Latency summaries. Percentiles use the nearest-rank method: the reported value is one that was measured. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  /** Sample variance (n − 1), for intervals around a difference of means. */
  readonly variance: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). NaN when there are no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  const mean = sorted.length ? sum / sorted.length : Number.NaN;
  const squares = sorted.reduce((s, v) => s + (v - mean) ** 2, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean,
    variance: sorted.length > 1 ? squares / (sorted.length - 1) : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** a/b, or NaN when b is zero or missing, so a broken run prints "n/a" instead of Infinity. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? a / b : Number.NaN;
}
