import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export interface AppProcess {
  readonly url: string;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc/<pid>/stat, in milliseconds (clock ticks are 100 Hz on Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
): Promise<AppProcess> {
  // BENCH_PROFILE=<dir>: a V8 CPU profile per role (written when the process exits), to see where time goes.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${role}`]
    : [];
  const entry = bundle ? [bundle] : ['--import', 'tsx', 'app/main.ts'];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...entry], {
    env: { ...process.env, ...env, MEGATICKET_ROLE: role, HOST: '127.0.0.1', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pattern =
    role === 'api' ? /MegaTicket API \([^)]*\) on (http:\/\/\S+)/ : /MegaTicket is running: (http:\/\/\S+)/;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
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
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
