import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./deployment.ts', import.meta.url));

/** A running regional deployment (scripts/drill/deployment.ts in a child process) and how to end it. */
export class RegionDeployment {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly webUrl: string,
    readonly apiUrl: string,
  ) {}

  static start(name: string, env: Record<string, string>, timeoutMs = 120_000): Promise<RegionDeployment> {
    const child = fork(ENTRY, [], {
      env: { ...process.env, ...env },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.once('message', (message: { webUrl?: string; apiUrl?: string; error?: string }) => {
        clearTimeout(timer);
        if (message.webUrl && message.apiUrl)
          resolve(new RegionDeployment(name, child, message.webUrl, message.apiUrl));
        else reject(new Error(`${name} failed to start: ${message.error ?? 'no URLs'}\n${stderr}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} while starting\n${stderr}`));
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A regional outage: no shutdown, no goodbye. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
