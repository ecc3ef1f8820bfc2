import { expect } from 'chai';
import { loadConfig } from '../../app/config.js';
import {
  SecretReadError,
  createSecretsManagerClient,
  readStagedSecret,
} from '../../app/adapters/secrets/staged-secret.js';
import { loadCsrfKeys } from '../../app/runtime.js';
import { CsrfKeyError } from '../../app/web/csrf-keys.js';
import { FAKE_CREDENTIALS, startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager.js';

const REGION = 'ap-northeast-2';
const NAME = 'megaticket-web-csrf-key-1a2b3c4';
const ARN = `arn:aws:secretsmanager:${REGION}:111122223333:secret:${NAME}-AbCdEf`;
const CURRENT = 'c'.repeat(64);
const PENDING = 'p'.repeat(64);
const PREVIOUS = 'v'.repeat(64);

describe('Secrets Manager adapter (the real SDK against a local endpoint speaking the JSON 1.1 protocol)', () => {
  let fake: FakeSecretsManager;
  const secret = {
    arn: ARN,
    name: NAME,
    versions: [{ versionId: 'v-current', value: CURRENT, stages: ['AWSCURRENT'] }],
  };
  const client = () =>
    createSecretsManagerClient({ region: REGION, endpoint: fake.url, credentials: FAKE_CREDENTIALS });

  before(async () => {
    fake = await startFakeSecretsManager({ region: REGION, secrets: [secret] });
  });
  after(() => fake.close());
  beforeEach(() => {
    secret.versions = [{ versionId: 'v-current', value: CURRENT, stages: ['AWSCURRENT'] }];
    fake.requests.length = 0;
    fake.denied.clear();
  });

  it('a secret with only AWSCURRENT: that value; the absent AWSPENDING/AWSPREVIOUS labels are simply missing', async () => {
    const staged = await readStagedSecret(client(), ARN, 'WEB_CSRF_SECRET_ID');
    expect(staged).to.deep.equal({ AWSCURRENT: { value: CURRENT, versionId: 'v-current' } });
    expect(
      fake.requests.map((r) => [r.target, r.region, r.body['SecretId'], r.body['VersionStage']]),
    ).to.have.deep.members([
      ['secretsmanager.GetSecretValue', REGION, ARN, 'AWSCURRENT'],
      ['secretsmanager.GetSecretValue', REGION, ARN, 'AWSPENDING'],
      ['secretsmanager.GetSecretValue', REGION, ARN, 'AWSPREVIOUS'],
    ]);
  });

  it('during a rotation: each label’s value and version id, read by name as well as by ARN', async () => {
    secret.versions = [
      { versionId: 'v-new', value: PENDING, stages: ['AWSPENDING'] },
      { versionId: 'v-current', value: CURRENT, stages: ['AWSCURRENT'] },
      { versionId: 'v-old', value: PREVIOUS, stages: ['AWSPREVIOUS'] },
    ];
    const staged = await readStagedSecret(client(), NAME, 'WEB_CSRF_SECRET_ID');
    expect(staged).to.deep.equal({
      AWSCURRENT: { value: CURRENT, versionId: 'v-current' },
      AWSPENDING: { value: PENDING, versionId: 'v-new' },
      AWSPREVIOUS: { value: PREVIOUS, versionId: 'v-old' },
    });
  });

  it('transient 500s are retried (short retry) and the read succeeds', async () => {
    fake.failNext(2);
    const staged = await readStagedSecret(client(), ARN, 'WEB_CSRF_SECRET_ID');
    expect(staged.AWSCURRENT.value).to.equal(CURRENT);
    expect(fake.requests.length).to.equal(5); // 3 labels + 2 retried failures
  });

  it('a missing secret fails with SecretReadError naming the secret and label', async () => {
    const missing = ARN.replace(NAME, 'nope');
    const error = await readStagedSecret(client(), missing, 'WEB_CSRF_SECRET_ID').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SecretReadError);
    expect((error as Error).message).to.match(
      /^WEB_CSRF_SECRET_ID: could not read .*nope.* \(AWSCURRENT\): ResourceNotFoundException/,
    );
  });

  it('access denied is an error, not an absent label (a role without the grant must not start half-configured)', async () => {
    fake.denied.add(ARN);
    const error = await readStagedSecret(client(), ARN, 'WEB_CSRF_SECRET_ID').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SecretReadError);
    expect((error as Error).message).to.contain('AccessDeniedException');
  });
});

describe('loadCsrfKeys (the web tier’s key source at start)', () => {
  let fake: FakeSecretsManager;
  const secret = { arn: ARN, name: NAME, versions: [] as { versionId: string; value: string; stages: string[] }[] };
  const connection = () => ({ endpoint: fake.url, credentials: FAKE_CREDENTIALS });
  const webConfig = (env: Record<string, string>) =>
    loadConfig({ MEGATICKET_ROLE: 'web', API_URL: 'http://127.0.0.1:9', AWS_REGION: REGION, ...env });

  before(async () => {
    fake = await startFakeSecretsManager({ region: REGION, secrets: [secret] });
  });
  after(() => fake.close());

  it('WEB_CSRF_SECRET_ID: AWSCURRENT signs, AWSPENDING and AWSPREVIOUS are accepted; the log names versions, never values', async () => {
    secret.versions = [
      { versionId: 'v-new', value: PENDING, stages: ['AWSPENDING'] },
      { versionId: 'v-current', value: CURRENT, stages: ['AWSCURRENT'] },
      { versionId: 'v-old', value: PREVIOUS, stages: ['AWSPREVIOUS'] },
    ];
    const lines: string[] = [];
    const log = (message: string, _e?: unknown, fields?: Readonly<Record<string, unknown>>) =>
      void lines.push(JSON.stringify({ message, ...fields }));
    const keys = await loadCsrfKeys(webConfig({ WEB_CSRF_SECRET_ID: ARN }), log, connection());
    expect(keys).to.deep.equal({ signing: CURRENT, alsoAccepted: [PENDING, PREVIOUS] });
    expect(lines.join('\n')).to.contain('v-current').and.contain('v-old');
    for (const value of [CURRENT, PENDING, PREVIOUS]) expect(lines.join('\n')).not.to.contain(value);
  });

  it('a secret value shorter than 32 characters refuses the start (CsrfKeyError naming the secret)', async () => {
    secret.versions = [{ versionId: 'v-short', value: 'too-short', stages: ['AWSCURRENT'] }];
    const error = await loadCsrfKeys(webConfig({ WEB_CSRF_SECRET_ID: ARN }), () => {}, connection()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(CsrfKeyError);
    expect((error as Error).message).to.contain(ARN);
  });

  it('WEB_CSRF_SECRET: that key alone, no Secrets Manager call; neither set: none (a per-process key follows)', async () => {
    fake.requests.length = 0;
    const key = 'k'.repeat(40);
    expect(await loadCsrfKeys(webConfig({ WEB_CSRF_SECRET: key }), () => {}, connection())).to.deep.equal({
      signing: key,
      alsoAccepted: [],
    });
    expect(await loadCsrfKeys(webConfig({}), () => {}, connection())).to.equal(undefined);
    expect(fake.requests).to.deep.equal([]);
  });
});
