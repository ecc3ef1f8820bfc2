import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of single threads in nanoseconds, from /proc's schedstat (the scheduler's own run-time counter, exact to
 * the nanosecond — unlike utime/stime, which count 10 ms ticks). Undefined where /proc is missing (not Linux).
 *
 * `process.cpuUsage()` counts every thread of this process: V8's concurrent marking and compiler threads land in
 * whichever batch happens to be running, which is noise in a side-by-side comparison; the main thread is the one that
 * runs the code being compared (and the main-thread part of the garbage collection it causes).
 */
export function mainThreadCpuMicros(): number | undefined {
  return schedstatMicros('/proc/self/schedstat');
}

/** CPU time of every thread of another process (e.g. DynamoDB Local's JVM), µs; undefined when unreadable. */
export function processThreadsCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`))
      total += schedstatMicros(`/proc/${pid}/task/${tid}/schedstat`) ?? 0;
    return total;
  } catch {
    return undefined;
  }
}

function schedstatMicros(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').split(' ', 1)[0]) / 1_000;
  } catch {
    return undefined;
  }
}

/** CPU time of the calling thread (the main thread or a worker), µs; undefined where /proc is missing. */
export function currentThreadCpuMicros(): number | undefined {
  return schedstatMicros('/proc/thread-self/schedstat');
}
