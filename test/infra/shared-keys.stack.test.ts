import { expect } from 'chai';
import { OFFLINE_ACCOUNT_ID } from '../../infra/offline/mocks.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { SHARED_KEY_BYTES } from '../../infra/components/shared-key.js';
import { envOf, named, ofType, policyOf, scenario, type Scenario } from '../support/pulumi-mocks.js';

// The shared keys' secrets as the stacks declare them. Does not prove Secrets Manager replicates or IAM evaluates as
// shown.
const SECRET = 'aws:secretsmanager/secret:Secret';
const VERSION = 'aws:secretsmanager/secretVersion:SecretVersion';
const BYTES = 'random:index/randomBytes:RandomBytes';
const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';

/** Each shared key: its component, the tier that reads it, its statement, env variable, output and value text. */
const KEYS = [
  {
    component: 'megaticket-csrf-key',
    tier: 'web',
    sid: 'ReadCsrfKey',
    env: 'WEB_CSRF_SECRET_ID',
    output: 'webCsrfSecretArn',
    text: 'hex',
    value: /^[0-9a-f]{64}$/,
  },
  {
    component: 'megaticket-admission-key',
    tier: 'api',
    sid: 'ReadAdmissionKey',
    env: 'ADMISSION_KEY_SECRET_ID',
    output: 'admissionKeySecretArn',
    text: 'base64',
    value: /^[A-Za-z0-9+/]{43}=$/,
  },
] as const;

describe('shared keys: CSRF and admission key secrets, one value for both regions (mocks)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });
  const seoulArn = (key: (typeof KEYS)[number], run = runs.seoul) =>
    String(named(run, SECRET, `${key.component}-secret`).state['arn']);
  const tokyoArn = (key: (typeof KEYS)[number]) => seoulArn(key).replace(':ap-northeast-2:', ':ap-northeast-1:');

  it('seoul owns one secret per key, each with exactly one replica, in Tokyo, on the default aws/secretsmanager key', () => {
    expect(ofType(runs.seoul, SECRET).map((r) => r.name)).to.have.members(KEYS.map((k) => `${k.component}-secret`));
    for (const key of KEYS) {
      const secret = named(runs.seoul, SECRET, `${key.component}-secret`);
      expect(secret.inputs['replicas']).to.deep.equal([{ region: 'ap-northeast-1' }]);
      expect(secret.inputs['kmsKeyId']).to.equal(undefined);
      expect(secret.inputs['name'], 'auto-named: a deleted secret’s name never blocks the next').to.equal(undefined);
      expect(secret.options.parent).to.equal(key.component);
      expect(seoulArn(key)).to.match(
        new RegExp(`^arn:aws:secretsmanager:ap-northeast-2:${OFFLINE_ACCOUNT_ID}:secret:${key.component}-secret-`),
      );
    }
  });

  it('each value: 32 random bytes generated at creation, written as the first version only as a Pulumi secret', () => {
    for (const key of KEYS) {
      const bytes = named(runs.seoul, BYTES, `${key.component}-value`);
      expect(bytes.inputs).to.deep.equal({ length: SHARED_KEY_BYTES });
      const version = named(runs.seoul, VERSION, `${key.component}-version`);
      expect(version.inputs['secretId']).to.equal(seoulArn(key));
      expect(version.inputs['secretString'], key.component).to.equal(bytes.state[key.text]);
      expect(String(version.inputs['secretString']), key.component).to.match(key.value);
      expect(version.secretInputs).to.include('secretString');
    }
    const values = KEYS.map((key) => named(runs.seoul, BYTES, `${key.component}-value`).state['hex']);
    expect(new Set(values).size, 'two keys, two independent values').to.equal(KEYS.length);
  });

  it('the CSRF key keeps its deployed resources: the component aliases its former type (WebCsrfKey)', () => {
    const component = named(runs.seoul, 'megaticket:security:SharedKey', 'megaticket-csrf-key');
    expect(component.options.aliasTypes).to.deep.equal(['megaticket:security:WebCsrfKey']);
    const admission = named(runs.seoul, 'megaticket:security:SharedKey', 'megaticket-admission-key');
    expect(admission.options.aliasTypes, 'a new resource has nothing to keep').to.deep.equal([]);
  });

  it('tokyo declares no secret, version or random value: it reads seoul’s replicas', () => {
    for (const run of [runs.tokyo, runs.tokyoDns]) {
      expect([...ofType(run, SECRET), ...ofType(run, VERSION), ...ofType(run, BYTES)]).to.deep.equal([]);
    }
  });

  it('each key is readable by exactly its tier: GetSecretValue on its own region’s copy, nothing else names a secret', () => {
    for (const key of KEYS) {
      const expected: [Scenario, () => string][] = [
        ['seoul', () => seoulArn(key)],
        ['seoulTls', () => seoulArn(key, runs.seoulTls)],
        ['tokyo', () => tokyoArn(key)],
        ['tokyoDns', () => runs.tokyoDns.outputs[key.output] as string],
      ];
      for (const [name, arn] of expected) {
        const doc = policyOf(named(runs[name], ROLE_POLICY, `megaticket-${key.tier}-policy`));
        expect(
          doc.Statement.filter((s) => s.Action.some((a) => a.startsWith('secretsmanager:'))),
          `${name} ${key.component}`,
        ).to.deep.equal([
          { Sid: key.sid, Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [arn()] },
        ]);
        expect(arn()).to.contain(`:secretsmanager:${runs[name].config.region}:`);
      }
      expect(runs.tokyo.outputs[key.output]).to.equal(tokyoArn(key));
      expect(runs.seoul.outputs[key.output]).to.equal(seoulArn(key));
    }
    for (const run of Object.values(runs)) {
      const tierPolicies = KEYS.map((k) => `megaticket-${k.tier}-policy`);
      for (const rp of ofType(run, ROLE_POLICY).filter((r) => !tierPolicies.includes(r.name))) {
        expect(String(rp.inputs['policy']), `${run.stack} ${rp.name}`).not.to.include('secretsmanager');
      }
    }
  });

  it('each tier gets its key’s secret id = its region’s copy, and not the other tier’s', () => {
    for (const key of KEYS) {
      const other = key.tier === 'web' ? 'api' : 'web';
      expect(envOf(runs.seoul, key.tier)[key.env]).to.equal(seoulArn(key));
      expect(envOf(runs.tokyo, key.tier)[key.env]).to.equal(tokyoArn(key));
      for (const run of [runs.seoul, runs.tokyo]) expect(envOf(run, other)).not.to.have.property(key.env);
    }
  });

  it('seoul’s tiers wait for their key (its first version exists before any instance of the tier boots)', () => {
    for (const key of KEYS) {
      const tier = named(runs.seoul, 'megaticket:compute:ComputeTier', `megaticket-${key.tier}`);
      expect(tier.options.dependsOn).to.include(key.component);
      const other = KEYS.find((k) => k !== key)!;
      expect(tier.options.dependsOn).not.to.include(other.component);
    }
  });
});
