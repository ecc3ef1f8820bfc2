import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoClient } from '../../app/adapters/dynamodb/client.js';
import { startDynamoLocal } from '../../app/adapters/local/dynamodb-local.js';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** `npm start` is `tsx app/main.ts`; this runs the same entry point as a child process. */
function startMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    env: { ...process.env, WEB_PORT: '0', API_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 100_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const match = seen.match(pattern);
      if (match) resolve(match);
      else reject(new Error(`exited with ${code} before ${pattern}; output:\n${seen}`));
    });
  });
}

/** The DynamoDB Local JVMs among a process's children (tsx also runs an esbuild helper child). */
const dynamoLocalChildrenOf = (pid: number): number[] =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('local runtime (npm start entry point)', function () {
  this.timeout(180_000);

  it('starts DynamoDB Local, seeds the catalog, serves the page, and Ctrl-C leaves no Java process behind', async () => {
    const child = startMain({ DR_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'mt-')), 'dr.json') });
    try {
      const [, url] = await waitForOutput(child, /MegaTicket is running: (http:\/\/\S+)/);
      const html = await (await fetch(url!)).text();
      expect(html).to.contain('달빛 정원');
      const javaPids = dynamoLocalChildrenOf(child.pid!);
      expect(javaPids).to.have.length(1);
      child.kill('SIGINT');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).to.equal(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(javaPids.filter(isAlive)).to.deep.equal([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('without java on PATH it exits 1 saying exactly what to install', async () => {
    const child = startMain({ PATH: '/nonexistent' });
    const [message] = await waitForOutput(child, /DynamoDB Local needs Java 17[\s\S]*openjdk-17-jre-headless/);
    expect(message).to.contain('apt-get install -y openjdk-17-jre-headless');
    const code = child.exitCode ?? (await new Promise((resolve) => child.once('exit', resolve)));
    expect(code).to.equal(1);
  });

  it('a malformed configuration value stops start-up naming the variable', async () => {
    const child = startMain({ HOLD_SECONDS: 'ten minutes' });
    const [line] = await waitForOutput(child, /HOLD_SECONDS: .*/);
    expect(line).to.match(/^HOLD_SECONDS: /);
    const code = child.exitCode ?? (await new Promise((resolve) => child.once('exit', resolve)));
    expect(code).to.equal(1);
  });

  it('DYNAMODB_LOCAL_DIR keeps data on disk across restarts of DynamoDB Local', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-ddb-'));
    const first = await startDynamoLocal({ dir });
    const client = createDynamoClient({ region: 'ap-northeast-2', endpoint: first.endpoint });
    await client.send(
      new CreateTableCommand({
        TableName: 'persisted',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await first.stop();
    const second = await startDynamoLocal({ dir });
    try {
      const { TableNames } = await createDynamoClient({ region: 'ap-northeast-2', endpoint: second.endpoint }).send(
        new ListTablesCommand({}),
      );
      expect(TableNames).to.include('persisted');
    } finally {
      await second.stop();
    }
  });
});
