import { expect } from 'chai';
import { OFFLINE_ACCOUNT_ID } from '../../infra/offline/mocks.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { CSRF_KEY_BYTES } from '../../infra/components/web-csrf-key.js';
import { envOf, named, ofType, policyOf, scenario, type Scenario } from '../support/pulumi-mocks.js';

// The CSRF key secret as the stacks declare it. Does not prove Secrets Manager replicates or IAM evaluates as shown.
const SECRET = 'aws:secretsmanager/secret:Secret';
const VERSION = 'aws:secretsmanager/secretVersion:SecretVersion';
const BYTES = 'random:index/randomBytes:RandomBytes';
const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';

describe('CSRF key secret shared by both regions (mocks)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  let seoulArn: string;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
    seoulArn = String(named(runs.seoul, SECRET, 'megaticket-csrf-key-secret').state['arn']);
  });
  const tokyoArn = () => seoulArn.replace(':ap-northeast-2:', ':ap-northeast-1:');

  it('seoul owns one secret with exactly one replica, in Tokyo, on the default aws/secretsmanager key', () => {
    expect(ofType(runs.seoul, SECRET).map((r) => r.name)).to.deep.equal(['megaticket-csrf-key-secret']);
    const secret = named(runs.seoul, SECRET, 'megaticket-csrf-key-secret');
    expect(secret.inputs['replicas']).to.deep.equal([{ region: 'ap-northeast-1' }]);
    expect(secret.inputs['kmsKeyId']).to.equal(undefined);
    expect(secret.inputs['name'], 'auto-named: a deleted secret’s name never blocks the next').to.equal(undefined);
    expect(secret.options.parent).to.equal('megaticket-csrf-key');
    expect(seoulArn).to.match(
      new RegExp(`^arn:aws:secretsmanager:ap-northeast-2:${OFFLINE_ACCOUNT_ID}:secret:megaticket-csrf-key-secret-`),
    );
  });

  it('the value: 32 random bytes generated at creation, written as the first version only as a Pulumi secret', () => {
    const bytes = named(runs.seoul, BYTES, 'megaticket-csrf-key-value');
    expect(bytes.inputs).to.deep.equal({ length: CSRF_KEY_BYTES });
    const version = named(runs.seoul, VERSION, 'megaticket-csrf-key-version');
    expect(version.inputs['secretId']).to.equal(seoulArn);
    expect(version.inputs['secretString']).to.equal(bytes.state['hex']);
    expect(String(version.inputs['secretString'])).to.match(/^[0-9a-f]{64}$/);
    expect(version.secretInputs).to.include('secretString');
  });

  it('tokyo declares no secret, version or random value: it reads seoul’s replica', () => {
    for (const run of [runs.tokyo, runs.tokyoDns]) {
      expect([...ofType(run, SECRET), ...ofType(run, VERSION), ...ofType(run, BYTES)]).to.deep.equal([]);
    }
  });

  it('web role: GetSecretValue on exactly its own region’s copy (seoul: the secret; tokyo: the replica ARN)', () => {
    const expected: [Scenario, () => string][] = [
      ['seoul', () => seoulArn],
      ['seoulTls', () => String(named(runs.seoulTls, SECRET, 'megaticket-csrf-key-secret').state['arn'])],
      ['tokyo', tokyoArn],
      ['tokyoDns', () => runs.tokyoDns.outputs['webCsrfSecretArn'] as string],
    ];
    for (const [name, arn] of expected) {
      const doc = policyOf(named(runs[name], ROLE_POLICY, 'megaticket-web-policy'));
      expect(
        doc.Statement.filter((s) => s.Action.some((a) => a.startsWith('secretsmanager:'))),
        name,
      ).to.deep.equal([
        { Sid: 'ReadCsrfKey', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [arn()] },
      ]);
      expect(arn()).to.contain(`:secretsmanager:${runs[name].config.region}:`);
    }
    expect(runs.tokyo.outputs['webCsrfSecretArn']).to.equal(tokyoArn());
    expect(runs.seoul.outputs['webCsrfSecretArn']).to.equal(seoulArn);
  });

  it('no other policy (API role, failover workflow, EventBridge) grants any Secrets Manager action or names the secret', () => {
    for (const run of Object.values(runs)) {
      for (const rp of ofType(run, ROLE_POLICY).filter((r) => r.name !== 'megaticket-web-policy')) {
        const text = String(rp.inputs['policy']);
        expect(text, `${run.stack} ${rp.name}`).not.to.include('secretsmanager');
      }
      const api = policyOf(named(run, ROLE_POLICY, 'megaticket-api-policy'));
      expect(api.Statement.map((s) => s.Sid)).not.to.include('ReadCsrfKey');
    }
  });

  it('web instances get WEB_CSRF_SECRET_ID = their region’s copy; API instances get none (they get STANDBY_REGION)', () => {
    expect(envOf(runs.seoul, 'web')['WEB_CSRF_SECRET_ID']).to.equal(seoulArn);
    expect(envOf(runs.tokyo, 'web')['WEB_CSRF_SECRET_ID']).to.equal(tokyoArn());
    for (const run of [runs.seoul, runs.tokyo]) {
      expect(envOf(run, 'api')).not.to.have.property('WEB_CSRF_SECRET_ID');
      expect(envOf(run, 'api')['STANDBY_REGION']).to.equal('ap-northeast-1');
    }
  });

  it('seoul’s web tier waits for the key (its first version exists before any web instance boots)', () => {
    const web = named(runs.seoul, 'megaticket:compute:ComputeTier', 'megaticket-web');
    expect(web.options.dependsOn).to.include('megaticket-csrf-key');
  });
});
