import { percentile, summarize } from './stats.js';
import { seededRandom } from '../../test/support/statistics.js';

/** A difference with its 95 % interval [low, high]. */
export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Mean of paired differences a[i] − b[i] with its 95 % interval (normal approximation: many pairs). Pairs measured at
 * the same moments of a shared machine cancel what the machine does to both; only the difference's own spread is left.
 */
export function pairedMeanDifference(a: readonly number[], b: readonly number[]): Interval {
  const d = summarize(a.map((x, i) => x - b[i]!));
  const half = 1.96 * Math.sqrt(d.variance / d.count);
  return { value: d.mean, low: d.mean - half, high: d.mean + half };
}

/**
 * p-th percentile of `a` minus that of `b`, with a 95 % percentile-bootstrap interval that resamples the pairs (index i
 * of both, measured side by side), so the interval keeps what pairing cancels. Deterministic: a fixed-seed generator.
 */
export function percentileDifference(
  a: readonly number[],
  b: readonly number[],
  p: number,
  resamples = 2_000,
): Interval {
  const at = (xs: readonly number[]) =>
    percentile(
      [...xs].sort((x, y) => x - y),
      p,
    );
  const random = seededRandom(0x9e3779b9);
  const n = Math.min(a.length, b.length);
  const estimates: number[] = [];
  const ra = new Array<number>(n);
  const rb = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      ra[i] = a[j]!;
      rb[i] = b[j]!;
    }
    estimates.push(at(ra) - at(rb));
  }
  estimates.sort((x, y) => x - y);
  return { value: at(a) - at(b), low: percentile(estimates, 2.5), high: percentile(estimates, 97.5) };
}

/** Judges an interval against an upper bound: met only when all of it is at or under the goal. */
export function verdict(interval: Interval, goal: number): 'met' | 'missed' | 'not resolved' {
  if (interval.high <= goal) return 'met';
  return interval.low > goal ? 'missed' : 'not resolved';
}
