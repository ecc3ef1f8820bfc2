import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { resolveAdmissionKeys } from '../../app/adapters/admission-key.js';
import { ConfigError, loadConfig } from '../../app/config.js';
import { signAdmission, checkAdmission } from '../../app/queue/admission-token.js';
import { TokenSigner } from '../../app/queue/signed-token.js';
import { startApp } from '../../app/runtime.js';
import { FAKE_CREDENTIALS, startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager.js';

const SEOUL = 'ap-northeast-2';
const TOKYO = 'ap-northeast-1';
const NAME = 'megaticket-admission-key-9f8e7d6';
const arnIn = (region: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:${NAME}-AbCdEf`;
const text = (key: Buffer) => key.toString('base64');
const CURRENT = randomBytes(32);
const PENDING = randomBytes(32);
const PREVIOUS = randomBytes(32);

describe('resolveAdmissionKeys (the waiting room key source at start: Secrets Manager in AWS)', () => {
  const fakes: Record<string, FakeSecretsManager> = {};
  const secrets = [SEOUL, TOKYO].map((region) => ({
    region,
    secret: {
      arn: arnIn(region),
      name: NAME,
      versions: [] as { versionId: string; value: string; stages: string[] }[],
    },
  }));
  const setVersions = (versions: { versionId: string; value: string; stages: string[] }[]) => {
    for (const { secret } of secrets) secret.versions = versions;
  };
  const apiConfig = (region: string, env: Record<string, string> = { ADMISSION_KEY_SECRET_ID: arnIn(region) }) =>
    loadConfig({ MEGATICKET_ROLE: 'api', AWS_REGION: region, ...env });
  const connection = (region: string) => ({ endpoint: fakes[region]!.url, credentials: FAKE_CREDENTIALS });

  before(async () => {
    for (const { region, secret } of secrets)
      fakes[region] = await startFakeSecretsManager({ region, secrets: [secret] });
  });
  after(async () => {
    for (const fake of Object.values(fakes)) await fake.close();
  });
  beforeEach(() => {
    for (const fake of Object.values(fakes)) {
      fake.requests.length = 0;
      fake.denied.clear();
    }
  });

  it("Seoul and Tokyo read their own region's copy and get the same key: a token signed in Seoul verifies in Tokyo", async () => {
    setVersions([{ versionId: 'v1', value: text(CURRENT), stages: ['AWSCURRENT'] }]);
    const seoul = await resolveAdmissionKeys(apiConfig(SEOUL), () => {}, connection(SEOUL));
    const tokyo = await resolveAdmissionKeys(apiConfig(TOKYO), () => {}, connection(TOKYO));
    expect(seoul).to.deep.equal({ signing: CURRENT, alsoAccepted: [] });
    expect(tokyo).to.deep.equal(seoul);
    expect(fakes[SEOUL]!.requests.every((r) => r.region === SEOUL && r.body['SecretId'] === arnIn(SEOUL))).to.equal(
      true,
    );
    expect(fakes[TOKYO]!.requests.every((r) => r.region === TOKYO && r.body['SecretId'] === arnIn(TOKYO))).to.equal(
      true,
    );
    const now = Date.now();
    const claims = { sub: 'user-a', evt: 'perf-x', pos: 1, ep: 1, iat: now, exp: now + 60_000, tid: 'tok-1' };
    const token = signAdmission(new TokenSigner(seoul.signing), claims);
    const verdict = checkAdmission(new TokenSigner(tokyo.signing), token, { userId: 'user-a', eventId: 'perf-x', now });
    expect(verdict.ok).to.equal(true);
  });

  it('during a rotation AWSCURRENT signs and AWSPENDING/AWSPREVIOUS are accepted; the log names versions, never values', async () => {
    setVersions([
      { versionId: 'v-new', value: text(PENDING), stages: ['AWSPENDING'] },
      { versionId: 'v-current', value: text(CURRENT), stages: ['AWSCURRENT'] },
      { versionId: 'v-old', value: text(PREVIOUS), stages: ['AWSPREVIOUS'] },
    ]);
    const lines: string[] = [];
    const log = (message: string, _e?: unknown, fields?: Readonly<Record<string, unknown>>) =>
      void lines.push(JSON.stringify({ message, ...fields }));
    const keys = await resolveAdmissionKeys(apiConfig(SEOUL), log, connection(SEOUL));
    expect(keys).to.deep.equal({ signing: CURRENT, alsoAccepted: [PENDING, PREVIOUS] });
    expect(lines.join('\n')).to.contain('v-current').and.contain('v-new').and.contain('v-old');
    for (const key of [CURRENT, PENDING, PREVIOUS]) {
      expect(lines.join('\n')).not.to.contain(text(key)).and.not.to.contain(key.toString('base64url'));
    }
  });

  it('a value that is not base64 of ≥ 32 bytes refuses the start, naming the variable, the secret and the label', async () => {
    setVersions([{ versionId: 'v1', value: text(randomBytes(16)), stages: ['AWSCURRENT'] }]);
    const error = await resolveAdmissionKeys(apiConfig(SEOUL), () => {}, connection(SEOUL)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.contain(`ADMISSION_KEY_SECRET_ID: ${arnIn(SEOUL)} (AWSCURRENT)`);
  });

  it('ADMISSION_KEY: that key alone, no Secrets Manager call', async () => {
    const keys = await resolveAdmissionKeys(
      apiConfig(SEOUL, { ADMISSION_KEY: CURRENT.toString('base64url') }),
      () => {},
      connection(SEOUL),
    );
    expect(keys).to.deep.equal({ signing: CURRENT, alsoAccepted: [] });
    expect(fakes[SEOUL]!.requests).to.deep.equal([]);
  });

  it('an API instance whose role may not read the secret does not start (nothing half-configured is served)', async () => {
    setVersions([{ versionId: 'v1', value: text(CURRENT), stages: ['AWSCURRENT'] }]);
    fakes[SEOUL]!.denied.add(arnIn(SEOUL));
    const config = loadConfig({
      MEGATICKET_ROLE: 'api',
      AWS_REGION: SEOUL,
      HOST: '127.0.0.1',
      API_PORT: '0',
      DYNAMODB_MODE: 'external',
      LOG_LEVEL: 'silent',
      ADMISSION_KEY_SECRET_ID: arnIn(SEOUL),
    });
    const started = await startApp(config, {
      log: () => {},
      // Never reached: the keys are resolved before anything else starts.
      dynamoEndpoint: 'http://127.0.0.1:9',
      secretsManager: connection(SEOUL),
    }).then(
      async (app) => (await app.stop(), 'started'),
      (e: unknown) => e,
    );
    expect(String(started)).to.match(/ADMISSION_KEY_SECRET_ID: could not read .*AccessDeniedException/);
    expect(fakes[SEOUL]!.requests.map((r) => r.body['SecretId'])).to.include(arnIn(SEOUL));
  });
});
