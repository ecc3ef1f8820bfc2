import { expect } from 'chai';
import { CONFIG_KEYS, StackConfigError, parseStackConfig, type RawConfig } from '../../infra/config.js';
import { REPO_ROOT } from '../../infra/offline/run.js';
import { projectValues, readProject, readStackFile, stackConfigValues } from '../../infra/offline/stack-files.js';

// Reads the committed Pulumi.yaml / Pulumi.<stack>.yaml. Does not prove the Pulumi CLI accepts them (run `pulumi
// preview` for that); it proves the program, the docs in Pulumi.yaml and the stack files agree.
const parse = (stack: string, overrides: Record<string, string> = {}) => {
  const values = stackConfigValues(REPO_ROOT, stack, overrides);
  return parseStackConfig(stack, values['aws:region'], projectValues(values) as RawConfig);
};

describe('infra/config', () => {
  it('Pulumi.yaml documents exactly the keys the program reads, each with a description and the same default', () => {
    const project = readProject(REPO_ROOT).config;
    expect(Object.keys(project).sort()).to.deep.equal(Object.keys(CONFIG_KEYS).sort());
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
      const doc = project[key];
      expect(doc?.description, key).to.be.a('string').and.not.equal('');
      expect(doc?.type, key).to.equal(spec.type);
      expect(doc?.default, key).to.equal('default' in spec ? spec.default : undefined);
    }
  });

  it('Pulumi.yaml runs the ESM program through tsx with Pulumi’s ts-node support off, main infra/index.ts', () => {
    const project = readProject(REPO_ROOT);
    expect(project.main).to.equal('infra/index.ts');
    expect(project.runtime).to.deep.equal({
      name: 'nodejs',
      options: { typescript: false, nodeargs: '--import tsx', packagemanager: 'npm' },
    });
  });

  it('stack files: only documented megaticket keys (a typo fails here, not in production)', () => {
    for (const stack of ['seoul', 'tokyo']) {
      for (const key of Object.keys(readStackFile(REPO_ROOT, stack))) {
        if (key.startsWith('megaticket:'))
          expect(Object.keys(CONFIG_KEYS), `${stack} ${key}`).to.include(key.slice(11));
        else expect(['aws:region', 'aws:defaultTags'], `${stack} ${key}`).to.include(key);
      }
    }
  });

  it('seoul: primary in ap-northeast-2, VPC 10.100.0.0/16, min >= 1 per tier, no domain', () => {
    const c = parse('seoul');
    expect(c).to.include({
      role: 'primary',
      region: 'ap-northeast-2',
      vpcCidr: '10.100.0.0/16',
      peerVpcCidr: '10.1.0.0/16',
    });
    expect(c.web).to.deep.equal({ minSize: 2, desiredCapacity: 2, maxSize: 6, drMinSize: 2 });
    expect(c.api).to.deep.equal({ minSize: 2, desiredCapacity: 2, maxSize: 6, drMinSize: 2 });
    expect(c.domainName).to.equal(undefined);
  });

  it('tokyo: standby in ap-northeast-1, VPC 10.1.0.0/16, 0 running, max allows the DR minimum', () => {
    const c = parse('tokyo');
    expect(c).to.include({ role: 'standby', region: 'ap-northeast-1', vpcCidr: '10.1.0.0/16' });
    expect(c.web).to.deep.equal({ minSize: 0, desiredCapacity: 0, maxSize: 6, drMinSize: 2 });
    expect(c.api).to.deep.equal({ minSize: 0, desiredCapacity: 0, maxSize: 6, drMinSize: 2 });
  });

  it('refuses: wrong region for the role, overlapping VPCs, standby with running capacity, primary at 0, domain without zone, another region’s certificate', () => {
    const problems = (stack: string, o: Record<string, string>) => {
      try {
        parse(stack, o);
        return [];
      } catch (e) {
        expect(e).to.be.instanceOf(StackConfigError);
        return (e as StackConfigError).problems;
      }
    };
    expect(problems('seoul', { 'aws:region': 'ap-northeast-1' })).to.deep.equal([
      'aws:region: a primary stack must run in ap-northeast-2, got ap-northeast-1',
    ]);
    expect(problems('tokyo', { 'megaticket:vpcCidr': '10.100.0.0/16' })).to.deep.equal([
      'vpcCidr: overlaps peerVpcCidr (the other region)',
    ]);
    expect(problems('tokyo', { 'megaticket:webDesiredCapacity': '1', 'megaticket:webMinSize': '1' })).to.deep.equal([
      'web: a pilot-light standby runs 0 instances until failover (min and desired 0)',
    ]);
    expect(problems('tokyo', { 'megaticket:apiMaxSize': '1' })).to.deep.equal([
      'apiDrMinSize: must be between 1 and apiMaxSize (1) so failover can scale',
    ]);
    expect(problems('seoul', { 'megaticket:apiMinSize': '0' })).to.deep.equal([
      'apiMinSize: the primary must keep at least 1 instance',
    ]);
    expect(problems('tokyo', { 'megaticket:domainName': 'tickets.example.com' })).to.deep.equal([
      'domainName: set hostedZoneId too (the zone that holds it)',
    ]);
    expect(problems('seoul', { 'megaticket:vpcCidr': '8.8.0.0/16' })[0]).to.match(
      /^megaticket:vpcCidr: a private \/16/,
    );
    expect(
      problems('seoul', {
        'megaticket:certificateArn': 'arn:aws:acm:ap-northeast-1:111122223333:certificate/tokyo-cert',
      }),
    ).to.deep.equal([
      "certificateArn: must be an ACM certificate in ap-northeast-2 (this stack's region), got ap-northeast-1",
    ]);
    expect(
      problems('tokyo', { 'megaticket:certificateArn': 'arn:aws:iam::111122223333:server-certificate/x' })[0],
    ).to.match(/^megaticket:certificateArn: an ACM certificate ARN/);
    expect(problems('seoul', { 'megaticket:instanceType': 'm7i.large' })).to.deep.equal([
      'amiParameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64 is arm64 but instanceType m7i.large is x64',
    ]);
    expect(problems('seoul', { 'megaticket:amiId': 'resolve:ssm:/x' })[0]).to.match(/^megaticket:amiId: an AMI id/);
    expect(problems('tokyo', { 'megaticket:healthCheckIntervalSeconds': '15' })[0]).to.match(
      /^megaticket:healthCheckIntervalSeconds: Route53 accepts 10 \(fast\) or 30 seconds/,
    );
    expect(problems('seoul', { 'megaticket:standbyWarmPool': 'true' })).to.deep.equal([
      'standbyWarmPool: only the standby keeps a warm pool',
    ]);
    expect(problems('seoul', { 'megaticket:tableprefix': 'x' })).to.deep.equal([
      'megaticket:tableprefix: unknown key (documented keys are in Pulumi.yaml)',
    ]);
  });
});
