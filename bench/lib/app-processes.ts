import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { processCpuMs } from './cpu.js';

export interface AppProcess {
  readonly url: string;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** CPU time of a process that must be readable (a benchmark's own child or DynamoDB Local on Linux), in ms. */
export function cpuMsOf(pid: number): number {
  const ms = processCpuMs(pid);
  if (ms === undefined) throw new Error(`no CPU time for process ${pid} (not Linux, or it exited)`);
  return ms;
}

/**
 * Starts one role of the app as its own Node process (`app/main.ts` through tsx, or `bundle`, a bundled build of it,
 * as the systemd unit runs the artifact in AWS), so the
 * benchmark's load generator and fake endpoint do not share the app's event loop, and the web and API tiers do not
 * share one either. Resolves with the URL the process prints once it listens.
 */
export async function startRole(
  role: 'api' | 'web',
  env: Record<string, string>,
  bundle?: string,
  /** Each line the process writes to stdout after it listens (EMF metric lines, for instance). */
  onLine?: (line: string) => void,
  /** More than 1: the role as node:cluster workers behind one port (bench/lib/api-cluster.ts; an experiment). */
  workers = 1,
): Promise<AppProcess> {
  // BENCH_PROFILE=<dir>: a V8 CPU profile per role (written when the process exits), to see where time goes.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${role}`]
    : [];
  const entry = bundle ? [bundle] : ['--import', 'tsx', 'app/main.ts'];
  if (workers > 1 && !bundle) throw new Error('cluster workers run the bundle only');
  const launcher = workers > 1 ? ['--import', 'tsx', 'bench/lib/api-cluster.ts', ...entry] : entry;
  const workerPids: number[] = [];
  const child: ChildProcess = spawn(process.execPath, [...(workers > 1 ? [] : profile), ...launcher], {
    env: {
      ...process.env,
      ...env,
      MEGATICKET_ROLE: role,
      HOST: '127.0.0.1',
      NODE_NO_WARNINGS: '1',
      API_WORKERS: String(workers),
      // Cluster workers take their own profile flags (the launcher is not profiled).
      ...(workers > 1 && profile.length > 0 ? { NODE_OPTIONS: profile.join(' ') } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pattern =
    role === 'api' ? /MegaTicket API \([^)]*\) on (http:\/\/\S+)/ : /MegaTicket is running: (http:\/\/\S+)/;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
      for (const [, pid] of chunk.toString('utf8').matchAll(/cluster worker pid (\d+)/g)) workerPids.push(Number(pid));
      const found = pattern.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before listening:\n${output}`));
    });
  });
  // Keep draining the pipes (EMF lines, logs) so the child never blocks on a full pipe.
  if (onLine) {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    });
  }
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url,
    cpuMs: () => workerPids.reduce((sum, pid) => sum + cpuMsOf(pid), cpuMsOf(child.pid!)),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
