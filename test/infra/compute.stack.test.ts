import { expect } from 'chai';
import { PRIMARY_OUTPUTS_FOR_OFFLINE, runOffline, type OfflineRun } from '../../infra/offline/run.js';
import { placeholderArtifact } from '../../infra/artifact.js';
import { NODE_RUNTIME } from '../../infra/node-runtime.js';
import { FORBIDDEN_AT_BOOT, lintUserData } from '../../infra/user-data-lint.js';
import { envOf, named, nameOf, ofType, scenario, userDataOf } from '../support/pulumi-mocks.js';

// Launch templates, ASGs and user data as the program builds them from each stack's own outputs. Does not prove an
// instance boots (AMI, packages, S3 access at boot) or that AWS runs the instance refresh as configured.
describe('compute tiers (mocks, seoul and tokyo)', () => {
  let seoul: OfflineRun;
  let tokyo: OfflineRun;
  before(async () => {
    seoul = await scenario('seoul');
    tokyo = await scenario('tokyo');
  });
  const nlbDns = (run: OfflineRun) =>
    String(named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-nlb').state['dnsName']);

  /** Ids, ARNs, DNS and bucket names of `run`'s resources that `self` does not also have (names like /megaticket/dr are shared by design). */
  const identifiersOnlyIn = (run: OfflineRun, self: OfflineRun) => {
    const own = new Set(identifiersOf(self));
    return identifiersOf(run).filter((v) => !own.has(v));
  };
  const identifiersOf = (run: OfflineRun) =>
    run.resources
      .filter((r) => r.custom)
      .flatMap((r) => [r.id, r.state['dnsName'], r.state['arn'], r.state['bucket']])
      .filter((v): v is string => typeof v === 'string' && v.length > 12 && !v.startsWith('megaticket-'))
      .concat([nlbDns(run), String(run.outputs['artifactBucket'])]);

  it('tokyo web: API_URL is the tokyo NLB; its user data contains nothing from the seoul stack', () => {
    expect(envOf(tokyo, 'web')['API_URL']).to.equal(`http://${nlbDns(tokyo)}:3001`);
    expect(nlbDns(tokyo)).to.contain('.elb.ap-northeast-1.amazonaws.com');
    const ud = userDataOf(tokyo, 'web');
    const seoulOnly = identifiersOnlyIn(seoul, tokyo);
    expect(seoulOnly).to.include(nlbDns(seoul));
    for (const value of seoulOnly) expect(ud, value).not.to.include(value);
    // The primary region's name appears exactly once: as PRIMARY_REGION, which the app needs to label DR.
    expect(ud.match(/ap-northeast-2/g)).to.deep.equal(['ap-northeast-2']);
    expect(ud).to.include('PRIMARY_REGION=ap-northeast-2\n');
  });

  it('seoul web: API_URL is the seoul NLB; its user data contains nothing from the tokyo stack', () => {
    expect(envOf(seoul, 'web')['API_URL']).to.equal(`http://${nlbDns(seoul)}:3001`);
    const ud = userDataOf(seoul, 'web');
    const tokyoOnly = identifiersOnlyIn(tokyo, seoul);
    expect(tokyoOnly).to.include(nlbDns(tokyo));
    for (const value of tokyoOnly) expect(ud, value).not.to.include(value);
    expect(ud).not.to.include('ap-northeast-1');
  });

  it('API user data: the stack’s own region, the control table as DR source, external DynamoDB, Bedrock models, this region’s copy of the admission key', () => {
    for (const [run, region] of [
      [seoul, 'ap-northeast-2'],
      [tokyo, 'ap-northeast-1'],
    ] as const) {
      expect(envOf(run, 'api')).to.deep.equal({
        MEGATICKET_ROLE: 'api',
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        WEB_PORT: '3000',
        API_PORT: '3001',
        AWS_REGION: region,
        PRIMARY_REGION: 'ap-northeast-2',
        TABLE_PREFIX: 'megaticket',
        DYNAMODB_MODE: 'external',
        BOOTSTRAP_TABLES: 'false',
        DR_STATE_SOURCE: 'dynamodb',
        STANDBY_REGION: 'ap-northeast-1',
        ASSISTANT_MODE: 'bedrock',
        BEDROCK_PRIMARY_MODEL_ID: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
        BEDROCK_FALLBACK_MODEL_ID: 'apac.amazon.nova-lite-v1:0',
        ADMISSION_KEY_SECRET_ID: run.outputs['admissionKeySecretArn'],
      });
    }
  });

  it('user data fetches the artifact Pulumi uploaded to this stack’s own bucket and verifies it and the Node runtime inside', () => {
    for (const run of [seoul, tokyo]) {
      const object = named(run, 'aws:s3/bucketObjectv2:BucketObjectv2', 'megaticket-artifacts-app');
      const artifact = placeholderArtifact('dist/megaticket-app.tar.gz', 'arm64');
      expect(nameOf(run, object.inputs['bucket'])).to.equal('megaticket-artifacts-bucket');
      expect(object.inputs['key']).to.equal(artifact.key);
      const release = `/opt/megaticket/releases/${artifact.sha256.slice(0, 16)}`;
      for (const tier of ['web', 'api'] as const) {
        const ud = userDataOf(run, tier);
        expect(ud).to.include(
          `aws s3 cp --only-show-errors --region ${run.config.region} 's3://${String(run.outputs['artifactBucket'])}/${artifact.key}' `,
        );
        expect(ud).to.include(`echo '${artifact.sha256}  /tmp/megaticket-app.tar.gz' | sha256sum --check --strict`);
        expect(ud).to.include(
          `echo '${NODE_RUNTIME.packages.arm64.nodeSha256}  ${release}/runtime/node/bin/node' | sha256sum --check --strict`,
        );
        expect(ud).to.include(`test "$(${release}/runtime/node/bin/node --version)" = 'v${NODE_RUNTIME.version}'`);
      }
      const pab = named(
        run,
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
        'megaticket-artifacts-public-access',
      );
      expect(pab.inputs).to.include({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    }
  });

  it('user data of every tier of both stacks: no package manager, bash -n clean, under the 16 KB limit, ships to its own log group', () => {
    for (const run of [seoul, tokyo]) {
      for (const tier of ['web', 'api'] as const) {
        const ud = userDataOf(run, tier);
        expect(lintUserData(ud), `${run.stack} ${tier}`).to.deep.equal([]);
        expect(
          ud.split('\n').filter((l) => FORBIDDEN_AT_BOOT.test(l)),
          `${run.stack} ${tier}`,
        ).to.deep.equal([]);
        const group = named(run, 'aws:cloudwatch/logGroup:LogGroup', `megaticket-logs-${tier}`).state['name'];
        expect(ud).to.include(`Environment=AWS_REGION=${run.config.region} LOG_GROUP=${String(group)} JOURNAL_UNIT=`);
      }
    }
  });

  it('launch templates: IMDSv2, one AMI id resolved at deploy time (no resolve:ssm: at launch), base64 user data, own profile', () => {
    for (const run of [seoul, tokyo]) {
      const ami = run.calls.find((c) => c.token === 'aws:ssm/getParameter:getParameter');
      expect(ami?.inputs).to.deep.include({
        name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      });
      const images = new Set<unknown>();
      for (const tier of ['web', 'api']) {
        const lt = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', `megaticket-${tier}-lt`);
        expect(lt.inputs['metadataOptions']).to.deep.equal({
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          httpPutResponseHopLimit: 1,
        });
        expect(String(lt.inputs['imageId'])).to.match(/^ami-[0-9a-f]{17}$/);
        images.add(lt.inputs['imageId']);
        expect(
          Buffer.from(String(lt.inputs['userData']), 'base64').toString('utf8').startsWith('#!/bin/bash\n'),
        ).to.equal(true);
        expect(nameOf(run, (lt.inputs['iamInstanceProfile'] as { arn: string }).arn)).to.equal(
          `megaticket-${tier}-profile`,
        );
      }
      expect(images.size, 'the same image for both tiers').to.equal(1);
    }
  });

  it('megaticket:amiId pins the image outright: no parameter lookup, that id in both launch templates', async () => {
    const pinned = await runOffline('seoul', { overrides: { 'megaticket:amiId': 'ami-0123456789abcdef0' } });
    expect(pinned.calls.map((c) => c.token)).not.to.include('aws:ssm/getParameter:getParameter');
    for (const tier of ['web', 'api']) {
      expect(
        named(pinned, 'aws:ec2/launchTemplate:LaunchTemplate', `megaticket-${tier}-lt`).inputs['imageId'],
      ).to.equal('ami-0123456789abcdef0');
    }
  });

  it('an artifact built for another architecture than the instance type is refused before anything is declared', async () => {
    let message = '';
    await runOffline('tokyo', { artifactArch: 'x64' }).catch((e: Error) => (message = e.message));
    expect(message).to.equal(
      'The artifact carries a x64 Node runtime but t4g.small is arm64: run `npm run bundle -- --arch arm64`.',
    );
  });

  it('standbyWarmPool (tokyo as committed): each tier keeps its DR minimum stopped and prepared; never in seoul; off when unset', async () => {
    for (const a of ofType(seoul, 'aws:autoscaling/group:Group'))
      expect(a.inputs['warmPool'], a.name).to.equal(undefined);
    for (const tier of ['web', 'api']) {
      const asg = named(tokyo, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`).inputs;
      expect(asg['warmPool']).to.deep.equal({ poolState: 'Stopped', minSize: 2, maxGroupPreparedCapacity: 2 });
      expect([asg['minSize'], asg['desiredCapacity']]).to.deep.equal([0, 0]);
    }
    const cold = await runOffline('tokyo', {
      overrides: { 'megaticket:standbyWarmPool': 'false' },
      stackOutputs: { 'organization/megaticket/seoul': PRIMARY_OUTPUTS_FOR_OFFLINE },
    });
    for (const a of ofType(cold, 'aws:autoscaling/group:Group'))
      expect(a.inputs['warmPool'], a.name).to.equal(undefined);
  });

  it('ASGs pin the launch template version Pulumi created (mock latestVersion 7), roll launch-before-terminate with auto-rollback, ELB health with boot headroom', () => {
    for (const run of [seoul, tokyo]) {
      for (const tier of ['web', 'api']) {
        const lt = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', `megaticket-${tier}-lt`);
        const asg = named(run, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`);
        expect(asg.inputs['launchTemplate']).to.deep.equal({ id: lt.id, version: String(lt.state['latestVersion']) });
        expect(asg.inputs['launchTemplate']).to.deep.include({ version: '7' });
        expect(asg.inputs['healthCheckType']).to.equal('ELB');
        expect(asg.inputs['instanceRefresh']).to.deep.equal({
          strategy: 'Rolling',
          preferences: {
            minHealthyPercentage: 100,
            maxHealthyPercentage: 200,
            instanceWarmup: '60',
            autoRollback: true,
          },
        });
        expect([asg.inputs['healthCheckGracePeriod'], asg.inputs['defaultInstanceWarmup']]).to.deep.equal([300, 60]);
        expect((asg.inputs['targetGroupArns'] as string[]).map((a) => nameOf(run, a))).to.deep.equal([
          `megaticket-lb-${tier}-tg`,
        ]);
        expect((asg.inputs['vpcZoneIdentifiers'] as string[]).map((s) => nameOf(run, s))).to.deep.equal([
          'megaticket-net-private-0',
          'megaticket-net-private-1',
        ]);
      }
    }
  });

  it('capacities: seoul min/desired/max 2/2/6 per tier; tokyo 0/0/6 (pilot light, max allows DR minimum 2)', () => {
    const caps = (run: OfflineRun) =>
      ofType(run, 'aws:autoscaling/group:Group')
        .map((a) => [a.name, a.inputs['minSize'], a.inputs['desiredCapacity'], a.inputs['maxSize']])
        .sort();
    expect(caps(seoul)).to.deep.equal([
      ['megaticket-api-asg', 2, 2, 6],
      ['megaticket-web-asg', 2, 2, 6],
    ]);
    expect(caps(tokyo)).to.deep.equal([
      ['megaticket-api-asg', 0, 0, 6],
      ['megaticket-web-asg', 0, 0, 6],
    ]);
  });

  it('ignoreChanges (captured by a root transformation): tokyo ASGs ignore desiredCapacity and minSize so failover survives `pulumi up`; seoul ignores only desiredCapacity (scaling policy)', () => {
    for (const tier of ['web', 'api']) {
      expect(named(tokyo, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`).options.ignoreChanges).to.deep.equal(
        ['desiredCapacity', 'minSize'],
      );
      expect(named(seoul, 'aws:autoscaling/group:Group', `megaticket-${tier}-asg`).options.ignoreChanges).to.deep.equal(
        ['desiredCapacity'],
      );
    }
  });

  it('instances wait for their log groups and the data component (the tables, the DR state table among them); each tier also for its key', () => {
    expect(named(seoul, 'megaticket:compute:ComputeTier', 'megaticket-api').options.dependsOn).to.deep.equal([
      'megaticket-logs',
      'megaticket-data',
      'megaticket-admission-key',
    ]);
    expect(named(seoul, 'megaticket:compute:ComputeTier', 'megaticket-web').options.dependsOn).to.deep.equal([
      'megaticket-logs',
      'megaticket-data',
      'megaticket-csrf-key',
    ]);
  });
});
