/**
 * `npm run smoke:artifact` (CI, after `npm run bundle -- --arch <this machine's>`): the deployable artifact does what an
 * instance does with it, on this machine, with nothing but what it carries:
 *   1. the archive matches its metadata; its Node runtime has the pinned sha256 and reports the pinned 22.x version;
 *   2. `server.mjs` starts under that runtime as the API role and as the web role (wired to that API, its CSRF key read
 *      through the bundled Secrets Manager client from a local endpoint, as WEB_CSRF_SECRET_ID names it in AWS), and
 *      `/health` on both and the web tier's `/health/deep` (the web → API hop Route53 checks) answer 200; start times
 *      are printed;
 *   3. `log-shipper.mjs --check` loads under the same runtime;
 *   4. the user data of both tiers of both stacks (rendered by the real program under Pulumi mocks) passes `bash -n`
 *      and EC2's 16 KB limit.
 * Exits non-zero on the first failure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEEP_HEALTH_PATH, HEALTH_PATH } from '../app/shared/load-balancing.js';
import { readArtifact } from '../infra/artifact.js';
import { NODE_RUNTIME } from '../infra/node-runtime.js';
import { PRIMARY_OUTPUTS_FOR_OFFLINE, REPO_ROOT, runOffline } from '../infra/offline/run.js';
import { lintUserData } from '../infra/user-data-lint.js';
import { FAKE_CREDENTIALS, startFakeSecretsManager } from '../test/support/fake-secrets-manager.js';

const ARCHIVE = join(REPO_ROOT, 'dist', 'megaticket-app.tar.gz');

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly startMs: number;
}

/** Starts one role and resolves with its URL once `/health` answers 200, measuring spawn → first 200. */
async function startRole(node: string, dir: string, env: Record<string, string>, marker: RegExp): Promise<Started> {
  const began = performance.now();
  const child = spawn(node, [join(dir, 'server.mjs')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    check(child.exitCode === null, `${env['MEGATICKET_ROLE']} exited with ${child.exitCode}:\n${output}`);
    const url = marker.exec(output)?.[1];
    if (url) {
      const ok = await fetch(new URL(HEALTH_PATH, url), { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return { child, url, startMs: performance.now() - began };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`${env['MEGATICKET_ROLE']} did not answer ${HEALTH_PATH} within 60 s:\n${output}`);
}

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  const exited = new Promise((r) => started.child.once('exit', r));
  started.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  started.child.kill('SIGKILL');
}

async function smokeArtifact(): Promise<void> {
  const artifact = readArtifact(ARCHIVE);
  check(
    artifact.arch === process.arch,
    `the artifact is for ${artifact.arch}, this machine is ${process.arch}: npm run bundle -- --arch ${process.arch}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'megaticket-smoke-'));
  let api: Started | undefined;
  let web: Started | undefined;
  const csrfSecretArn = 'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:megaticket-smoke-csrf-AbCdEf';
  const secrets = await startFakeSecretsManager({
    region: 'ap-northeast-1',
    secrets: [
      {
        arn: csrfSecretArn,
        name: 'megaticket-smoke-csrf',
        versions: [{ versionId: 'smoke', value: randomBytes(32).toString('hex'), stages: ['AWSCURRENT'] }],
      },
    ],
  });
  try {
    execFileSync('tar', ['-xzf', ARCHIVE, '-C', dir]);
    const node = join(dir, ...artifact.node.path.split('/'));
    const nodeSha = createHash('sha256').update(readFileSync(node)).digest('hex');
    check(
      nodeSha === NODE_RUNTIME.packages[artifact.arch].nodeSha256,
      `runtime sha256 ${nodeSha} is not the pinned one`,
    );
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    check(version === `v${NODE_RUNTIME.version}`, `runtime reports ${version}, pinned v${NODE_RUNTIME.version}`);
    console.log(`smoke: runtime ${version} (${artifact.arch}) verified by sha256`);

    const region = 'ap-northeast-1';
    const common = {
      NODE_ENV: 'production',
      AWS_REGION: region,
      PRIMARY_REGION: 'ap-northeast-2',
      HOST: '127.0.0.1',
      WEB_PORT: '0',
      API_PORT: '0',
      LOG_LEVEL: 'warn',
    };
    api = await startRole(
      node,
      dir,
      {
        ...common,
        MEGATICKET_ROLE: 'api',
        DYNAMODB_MODE: 'external',
        BOOTSTRAP_TABLES: 'false',
        DR_STATE_SOURCE: 'dynamodb',
        // Liveness never touches DynamoDB: an unreachable endpoint proves it. Credentials keep the SDK off IMDS.
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'smoke',
        AWS_SECRET_ACCESS_KEY: 'smoke',
        ASSISTANT_MODE: 'offline',
        // In AWS the key comes from ADMISSION_KEY_SECRET_ID (Secrets Manager); production refuses to start without one.
        ADMISSION_KEY: randomBytes(32).toString('base64url'),
      },
      /MegaTicket API \([a-z0-9-]+\) on (http:\/\/\S+)/,
    );
    const apiHealth = await json(new URL(HEALTH_PATH, api.url).href);
    check(apiHealth.status === 200 && apiHealth.body['role'] === 'api', `API /health: ${JSON.stringify(apiHealth)}`);
    web = await startRole(
      node,
      dir,
      {
        ...common,
        MEGATICKET_ROLE: 'web',
        API_URL: api.url,
        WEB_CSRF_SECRET_ID: csrfSecretArn,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      },
      /MegaTicket is running: (http:\/\/\S+)/,
    );
    check(
      secrets.requests.some((r) => r.body['SecretId'] === csrfSecretArn && r.body['VersionStage'] === 'AWSCURRENT'),
      'the web role did not read its CSRF key from WEB_CSRF_SECRET_ID',
    );
    const webHealth = await json(new URL(HEALTH_PATH, web.url).href);
    check(webHealth.status === 200 && webHealth.body['role'] === 'web', `web /health: ${JSON.stringify(webHealth)}`);
    const deep = await json(new URL(DEEP_HEALTH_PATH, web.url).href);
    check(deep.status === 200, `web ${DEEP_HEALTH_PATH}: ${JSON.stringify(deep)}`);
    console.log(
      `smoke: api /health 200 after ${api.startMs.toFixed(0)} ms; web /health 200 after ${web.startMs.toFixed(0)} ms; ` +
        `web ${DEEP_HEALTH_PATH} 200 (API ${String((deep.body['api'] as { region?: string }).region)})`,
    );
    const shipper = execFileSync(node, [join(dir, 'log-shipper.mjs'), '--check'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: region, LOG_GROUP: '/megaticket/smoke/api-x', STATE_DIRECTORY: dir },
    }).trim();
    console.log(`smoke: ${shipper}`);
  } finally {
    await stop(web);
    await stop(api);
    await secrets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function smokeUserData(): Promise<void> {
  const seoul = await runOffline('seoul');
  const tokyo = await runOffline('tokyo', {
    stackOutputs: { 'organization/megaticket/seoul': PRIMARY_OUTPUTS_FOR_OFFLINE },
  });
  for (const run of [seoul, tokyo]) {
    for (const tier of ['web', 'api'] as const) {
      const lt = run.resources.find((r) => r.name === `megaticket-${tier}-lt`);
      const script = Buffer.from(String(lt?.inputs['userData']), 'base64').toString('utf8');
      const problems = lintUserData(script);
      check(problems.length === 0, `${run.stack} ${tier} user data: ${problems.join('; ')}`);
      console.log(`smoke: ${run.stack} ${tier} user data: bash -n ok, ${Buffer.byteLength(script)} of 16384 bytes`);
    }
  }
}

try {
  await smokeArtifact();
  await smokeUserData();
  console.log('smoke: artifact and user data ok');
  process.exit(0);
} catch (error) {
  console.error(`smoke: FAILED: ${(error as Error).message}`);
  process.exit(1);
}
