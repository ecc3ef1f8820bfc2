import { ratio } from './stats.js';

/** One round of the API and the raw floor, back to back. */
export interface RoundFigures {
  /** 1, 2, … for measured rounds; `w1`, `w2`, … for warm-up rounds, which are printed but not counted. */
  readonly round: number | string;
  /** Which of the two ran first ('API raw' or 'raw API'). */
  readonly order: string;
  readonly apiOpsPerSecond: number;
  readonly rawOpsPerSecond: number;
  /** DynamoDB Local's JVM CPU per completed hold+confirm pair in this round's phase of each (NaN without /proc). */
  readonly apiJvmMsPerPair: number;
  readonly rawJvmMsPerPair: number;
  /**
   * Node CPU per pair: for the API, the bench process less its load generator's worker thread (the API, the idle web
   * tier, the bench's own bookkeeping); the load generator's thread on its own; for raw, the whole process (its client).
   */
  readonly apiNodeMsPerPair: number;
  readonly apiClientMsPerPair: number;
  readonly rawNodeMsPerPair: number;
}

/** A mean with its two-sided 95 % interval, and the median, of per-round values. */
export interface RoundSummary {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** Two-sided 97.5 % quantiles of Student's t for 1–30 degrees of freedom; beyond 30 the normal 1.96 is close enough. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Mean, median and Student-t 95 % interval of the mean of per-round values. Each round's value is taken from two
 * phases seconds apart, so what the machine does to a round lands on both sides of its ratio; what is left between
 * rounds is treated as independent noise, which the interval reflects.
 */
export function summarizeRounds(values: readonly number[]): RoundSummary {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  const mean = n > 0 ? xs.reduce((s, x) => s + x, 0) / n : Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const median = n === 0 ? Number.NaN : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  if (n < 2) return { n, mean, median, low: Number.NaN, high: Number.NaN };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (T_975[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { n, mean, median, low: mean - half, high: mean + half };
}

/** Judges a lower bound goal (a ratio at least `goal`) by the interval: met only when all of it is at or above. */
export function atLeastVerdict(s: RoundSummary, goal: number): 'met' | 'missed' | 'not resolved' {
  if (s.low >= goal) return 'met';
  return s.high < goal ? 'missed' : 'not resolved';
}

const x2 = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');

/**
 * The per-round table and the summary lines the issue-6 goal (API/raw throughput ≥ `goal`×) is judged by. Warm-up
 * rounds head the table marked "not counted" (so a cold start shows) and stay out of every summary line.
 */
export function roundRatioLines(
  rounds: readonly RoundFigures[],
  goal: number,
  warmUp: readonly RoundFigures[] = [],
): string {
  const throughput = rounds.map((r) => ratio(r.apiOpsPerSecond, r.rawOpsPerSecond));
  const jvm = rounds.map((r) => ratio(r.apiJvmMsPerPair, r.rawJvmMsPerPair));
  const t = summarizeRounds(throughput);
  const j = summarizeRounds(jvm);
  const api = summarizeRounds(rounds.map((r) => r.apiJvmMsPerPair));
  const raw = summarizeRounds(rounds.map((r) => r.rawJvmMsPerPair));
  const apiNode = summarizeRounds(rounds.map((r) => r.apiNodeMsPerPair));
  const apiClient = summarizeRounds(rounds.map((r) => r.apiClientMsPerPair));
  const rawNode = summarizeRounds(rounds.map((r) => r.rawNodeMsPerPair));
  const row = (r: RoundFigures, note: string) =>
    `| ${r.round}${note} | ${r.order} | ${f1(r.apiOpsPerSecond)} | ${f1(r.rawOpsPerSecond)} | ` +
    `${x2(ratio(r.apiOpsPerSecond, r.rawOpsPerSecond))} | ${f1(r.apiJvmMsPerPair)} | ${f1(r.rawJvmMsPerPair)} | ` +
    `${x2(ratio(r.rawJvmMsPerPair, r.apiJvmMsPerPair))} | ${f1(r.apiNodeMsPerPair)} | ${f1(r.apiClientMsPerPair)} | ` +
    `${f1(r.rawNodeMsPerPair)} |`;
  const range = (s: RoundSummary, f: (v: number) => string) =>
    `mean ${f(s.mean)} [95 % CI ${f(s.low)} … ${f(s.high)}], median ${f(s.median)}`;
  return [
    'per round (API and raw back to back):',
    '| round | order | API ops/s | raw ops/s | API/raw throughput | JVM ms/pair API | JVM ms/pair raw | JVM raw/API | ' +
      'Node ms/pair API process | API load generator | Node ms/pair raw |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...warmUp.map((r) => row(r, ' (not counted)')),
    ...rounds.map((r) => row(r, '')),
    `API/raw throughput over ${t.n} rounds: ${range(t, x2)}`,
    `goal API/raw ≥ ${goal.toFixed(2)}×: ${atLeastVerdict(t, goal)} (met only when the whole interval is at or above it)`,
    `DynamoDB Local JVM ms per pair: API ${range(api, f1)}; raw ${range(raw, f1)}; API/raw ${range(j, x2)}`,
    `Node ms per pair: API process (less its load generator) ${range(apiNode, f1)}; API load generator thread ` +
      `${range(apiClient, f1)}; raw (its client) ${range(rawNode, f1)}`,
  ].join('\n');
}
