import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SESSION_MANAGER_ACTIONS, dynamoDbResources } from '../../infra/policies.js';
import { REPO_ROOT, type OfflineRun } from '../../infra/offline/run.js';
import { OFFLINE_ACCOUNT_ID } from '../../infra/offline/mocks.js';
import { named, ofType, policyOf, scenario, type Scenario } from '../support/pulumi-mocks.js';

// IAM documents as the stacks render them. Does not prove IAM grants exactly this in AWS (use the policy simulator).
const OTHER_REGION: Record<string, string> = { 'ap-northeast-2': 'ap-northeast-1', 'ap-northeast-1': 'ap-northeast-2' };

describe('IAM (mocks, all scenarios)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });

  it('every inline policy names only its stack’s region (foundation models: * region, only under an inference-profile condition)', () => {
    for (const run of Object.values(runs)) {
      for (const rp of ofType(run, 'aws:iam/rolePolicy:RolePolicy')) {
        const doc = policyOf(rp);
        expect(JSON.stringify(doc), `${run.stack} ${rp.name}`).not.to.include(OTHER_REGION[run.config.region] ?? '?');
        // Session Manager's channel actions have no resource type (their statement is asserted exactly below).
        for (const s of doc.Statement.filter((x) => x.Sid !== 'SessionManager')) {
          for (const arn of s.Resource) {
            const region = arn.split(':')[3];
            if (region === '*') {
              expect(arn, rp.name).to.match(/^arn:aws:bedrock:\*::foundation-model\//);
              expect(s.Condition?.['StringEquals']?.['bedrock:InferenceProfileArn'], arn).to.match(
                new RegExp(`^arn:aws:bedrock:${run.config.region}:${OFFLINE_ACCOUNT_ID}:inference-profile/`),
              );
            } else {
              expect([run.config.region, ''], `${rp.name} ${arn}`).to.include(region);
            }
            expect(arn, rp.name).not.to.equal('*');
          }
        }
      }
    }
  });

  it('API role: DynamoDB item actions on exactly the data tables and GSIs in this region; GetItem on the DR state table; configured models', () => {
    for (const run of [runs.seoul, runs.tokyo]) {
      const doc = policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-api-policy'));
      const tables = doc.Statement.find((s) => s.Sid === 'AppTables');
      const ctx = { partition: 'aws', region: run.config.region, accountId: OFFLINE_ACCOUNT_ID };
      expect(tables?.Resource).to.deep.equal(dynamoDbResources(ctx, 'megaticket'));
      expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
        'ReadAppArtifact',
        'ShipAppLog',
        'SessionManager',
        'AppTables',
        'CatalogScan',
        'ReadDrState',
        'ReadAdmissionKey',
        'BedrockPrimaryProfile',
        'BedrockPrimaryModelViaProfile',
        'BedrockFallbackProfile',
        'BedrockFallbackModelViaProfile',
      ]);
      expect(doc.Statement.find((s) => s.Sid === 'ReadDrState')).to.deep.include({
        Action: ['dynamodb:GetItem'],
        Resource: [`arn:aws:dynamodb:${run.config.region}:${OFFLINE_ACCOUNT_ID}:table/megaticket-control`],
      });
      // The waiting room's HMAC key: read-only, exactly one secret, this stack's own region's copy.
      expect(doc.Statement.find((s) => s.Sid === 'ReadAdmissionKey')).to.deep.include({
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [run.outputs['admissionKeySecretArn']],
      });
      expect(String(run.outputs['admissionKeySecretArn'])).to.match(
        new RegExp(
          `^arn:aws:secretsmanager:${run.config.region}:${OFFLINE_ACCOUNT_ID}:secret:megaticket-admission-key-secret-`,
        ),
      );
      expect(doc.Statement.find((s) => s.Sid === 'BedrockPrimaryProfile')?.Resource).to.deep.equal([
        `arn:aws:bedrock:${run.config.region}:${OFFLINE_ACCOUNT_ID}:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0`,
      ]);
    }
  });

  it('web role: no DynamoDB, no Bedrock, no SSM parameter read at all (not even through a managed policy)', () => {
    for (const run of Object.values(runs)) {
      const actions = policyOf(named(run, 'aws:iam/rolePolicy:RolePolicy', 'megaticket-web-policy')).Statement.flatMap(
        (s) => s.Action,
      );
      expect(
        actions.filter((a) => /^(dynamodb|bedrock):|^ssm:(Get|Describe|List)/.test(a)),
        run.stack,
      ).to.deep.equal([]);
    }
  });

  it('instance roles: trusted by EC2 only, no managed policy attached (AmazonSSMManagedInstanceCore reads every parameter), Session Manager inline', () => {
    for (const run of Object.values(runs)) {
      for (const tier of ['web', 'api']) {
        const role = named(run, 'aws:iam/role:Role', `megaticket-${tier}-role`);
        expect(JSON.parse(String(role.inputs['assumeRolePolicy']))).to.deep.equal({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        });
        expect(role.inputs['managedPolicyArns'], tier).to.equal(undefined);
        const session = policyOf(
          named(run, 'aws:iam/rolePolicy:RolePolicy', `megaticket-${tier}-policy`),
        ).Statement.find((s) => s.Sid === 'SessionManager');
        expect(session).to.deep.equal({
          Sid: 'SessionManager',
          Effect: 'Allow',
          Action: [...SESSION_MANAGER_ACTIONS],
          Resource: ['*'],
        });
      }
      expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').map((a) => a.name)).to.deep.equal([]);
      expect(ofType(run, 'aws:iam/policy:Policy').map((a) => a.name)).to.deep.equal([]);
      expect(
        ofType(run, 'aws:ec2/launchTemplate:LaunchTemplate').every((lt) => lt.inputs['keyName'] === undefined),
      ).to.equal(true);
    }
  });

  it('account ids come from getCallerIdentity at deploy time: no 12-digit number in infra/ outside the offline mocks', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    for (const file of files(join(REPO_ROOT, 'infra')).filter((f) => f.endsWith('.ts') && !f.includes('/offline/'))) {
      expect(readFileSync(file, 'utf8'), file).not.to.match(/(?<![\w.-])\d{12}(?![\w.-])/);
    }
    expect(runs.tokyo.resources.length).to.be.greaterThan(0);
  });
});
