import { createHash } from 'node:crypto';

import { currentThreadCpuMicros } from './thread-cpu.js';

/**
 * A fixed CPU workload timed at the start and end of a benchmark, so figures from different sessions can be read
 * against the speed of the host they ran on. This VM's speed per operation has been seen to change by 30–50 % between
 * hours with CPU steal under 0.5 % (docs/benchmarks.md), which moves every absolute figure (µs per hold) although
 * ratios measured side by side in one run stay comparable. The workload mixes what the app's hot paths do — JSON
 * in and out, SHA-256, string building, Map lookups, short-lived allocations — and is timed in the thread's CPU, not wall
 * time, so other processes on the machine matter only through the caches and memory bus they share.
 */

/** The median CPU of this workload on a quiet run of this host (2026-11-30 09:35 UTC, load average 0.6): 1.00×. */
export const HOST_REFERENCE_BASELINE_MS = 0;
const BASELINE_WHEN = '2026-11-30 09:35 UTC';

const WARM_UPS = 6;
const REPETITIONS = 9;
const ITERATIONS = 2000;

export interface HostReference {
  /** Median CPU of the calling thread for one workload, ms. */
  readonly medianMs: number;
  /** The fastest and slowest of the repetitions, ms: a wide spread means the machine was busy while it ran. */
  readonly minMs: number;
  readonly maxMs: number;
  /** `medianMs` over the quiet baseline: 1.30 means the host is 30 % slower per operation than at the baseline. */
  readonly relative: number;
}

export function measureHostReference(): HostReference {
  for (let i = 0; i < WARM_UPS; i++) workload(ITERATIONS); // through the JIT's tiers before anything is timed
  const samples: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const start = threadCpuMicros();
    workload(ITERATIONS);
    samples.push((threadCpuMicros() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  const medianMs = samples[Math.floor(samples.length / 2)]!;
  return {
    medianMs,
    minMs: samples[0]!,
    maxMs: samples.at(-1)!,
    relative: HOST_REFERENCE_BASELINE_MS > 0 ? medianMs / HOST_REFERENCE_BASELINE_MS : Number.NaN,
  };
}

export function describeHostReference(label: string, reference: HostReference): string {
  const relative = Number.isFinite(reference.relative)
    ? `${reference.relative.toFixed(2)}× the quiet baseline of ${BASELINE_WHEN} (${HOST_REFERENCE_BASELINE_MS.toFixed(1)} ms)`
    : 'no baseline recorded';
  const spread = `${reference.minMs.toFixed(1)} … ${reference.maxMs.toFixed(1)}`;
  return `host reference ${label}: median ${reference.medianMs.toFixed(1)} ms CPU for the fixed workload [${spread}], ${relative}`;
}

/** Deterministic work; the returned checksum is consumed so the optimiser cannot drop any of it. */
let sink = 0;
function workload(iterations: number): void {
  const index = new Map<string, number>();
  for (let i = 0; i < iterations; i++) {
    const hold = {
      holdId: `hold-${i.toString(36)}-${(i * 2654435761) % 1000003}`,
      userId: `user-${i % 97}`,
      scheduleId: 'sched-moonlight-garden-20261205-1930',
      seats: Array.from({ length: 1 + (i % 4) }, (_, s) => ({ seatId: `R${(i + s) % 30}-${s + 1}`, price: 99000 + s })),
      createdAt: 1_796_000_000_000 + i,
      status: i % 3 === 0 ? 'HOLDING' : 'CONFIRMED',
    };
    const text = JSON.stringify(hold);
    const back = JSON.parse(text) as typeof hold;
    const digest = createHash('sha256').update(text).digest('hex');
    index.set(digest.slice(0, 12), back.seats.length);
    sink = (sink + (index.get(digest.slice(0, 12)) ?? 0) + back.holdId.length) % 1_000_003;
  }
  const numbers = Array.from({ length: iterations * 4 }, (_, i) => (i * 7919) % 10007);
  numbers.sort((a, b) => a - b);
  sink = (sink + numbers[iterations]!) % 1_000_003;
}

/** This thread's CPU (V8's compiler and marking threads are noise here), or the process's where /proc is missing. */
function threadCpuMicros(): number {
  const thread = currentThreadCpuMicros();
  if (thread !== undefined) return thread;
  const used = process.cpuUsage();
  return used.user + used.system;
}

export function hostReferenceChecksum(): number {
  return sink;
}

/** Runs a benchmark's `main` between two host-reference readings, printed before and after its own output. */
export async function withHostReference<T>(main: () => Promise<T>): Promise<T> {
  console.log(describeHostReference('before the run', measureHostReference()));
  try {
    return await main();
  } finally {
    console.log(describeHostReference('after the run', measureHostReference()));
  }
}
