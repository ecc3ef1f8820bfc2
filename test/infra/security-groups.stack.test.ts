import { expect } from 'chai';
import type { OfflineRun } from '../../infra/offline/run.js';
import { named, nameOf, ofType, scenario, type Scenario } from '../support/pulumi-mocks.js';

// Every security-group rule the program declares, exactly. Proves the whitelist chain as declared; does not prove
// effective reachability in AWS (NACLs, route tables and the NLB's behaviour are AWS's side).
type Rule = [group: string, direction: 'in' | 'out', protocol: string, from: number, to: number, peer: string];

function rules(run: OfflineRun): Rule[] {
  const sg = (id: unknown) => nameOf(run, id).replace('megaticket-sg-', '');
  return [
    ...ofType(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').map((r) => ['in', r] as const),
    ...ofType(run, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule').map((r) => ['out', r] as const),
  ]
    .map(([direction, r]): Rule => [
      sg(r.inputs['securityGroupId']),
      direction,
      String(r.inputs['ipProtocol']),
      Number(r.inputs['fromPort']),
      Number(r.inputs['toPort']),
      r.inputs['referencedSecurityGroupId']
        ? `sg:${sg(r.inputs['referencedSecurityGroupId'])}`
        : String(r.inputs['cidrIpv4']),
    ])
    .sort((a, b) => a.join().localeCompare(b.join()));
}

const CHAIN: Rule[] = [
  ['alb', 'in', 'tcp', 80, 80, '0.0.0.0/0'],
  ['alb', 'out', 'tcp', 3000, 3000, 'sg:web'],
  ['api', 'in', 'tcp', 3001, 3001, 'sg:nlb'],
  ['api', 'out', 'tcp', 443, 443, '0.0.0.0/0'],
  ['nlb', 'in', 'tcp', 3001, 3001, 'sg:web'],
  ['nlb', 'out', 'tcp', 3001, 3001, 'sg:api'],
  ['web', 'in', 'tcp', 3000, 3000, 'sg:alb'],
  ['web', 'out', 'tcp', 3001, 3001, 'sg:nlb'],
  ['web', 'out', 'tcp', 443, 443, '0.0.0.0/0'],
];
const sorted = (r: Rule[]) => [...r].sort((a, b) => a.join().localeCompare(b.join()));

describe('security groups (mocks, all four scenarios)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });

  it('HTTP-only stacks (seoul, tokyo as committed): exactly the chain ALB:80 → web:3000 → NLB:3001 → API:3001', () => {
    expect(rules(runs.seoul)).to.deep.equal(sorted(CHAIN));
    expect(rules(runs.tokyo)).to.deep.equal(sorted(CHAIN));
  });

  it('with a certificate: the same chain plus ALB 443 from the internet, nothing else', () => {
    const withTls = sorted([...CHAIN, ['alb', 'in', 'tcp', 443, 443, '0.0.0.0/0']]);
    expect(rules(runs.seoulTls)).to.deep.equal(withTls);
    expect(rules(runs.tokyoDns)).to.deep.equal(withTls);
  });

  it('no port 22 anywhere, and the only internet ingress is the ALB on 80/443', () => {
    for (const run of Object.values(runs)) {
      for (const [group, dir, , from, to] of rules(run)) {
        expect(from <= 22 && 22 <= to, `${run.stack} ${group} ${dir} ${from}-${to}`).to.equal(false);
      }
      const internetIngress = rules(run)
        .filter(([, d, , , , p]) => d === 'in' && p === '0.0.0.0/0')
        .map(([g, , , f]) => `${g}:${f}`);
      expect(
        internetIngress.every((x) => x === 'alb:80' || x === 'alb:443'),
        internetIngress.join(),
      ).to.equal(true);
    }
  });

  it('security groups declare no inline rules (every rule is one of the resources above)', () => {
    for (const run of Object.values(runs)) {
      for (const g of ofType(run, 'aws:ec2/securityGroup:SecurityGroup')) {
        expect(g.inputs['ingress'], g.name).to.equal(undefined);
        expect(g.inputs['egress'], g.name).to.equal(undefined);
      }
    }
  });

  it('each hop uses its own group: ALB→alb, NLB→nlb, web instances→web, API instances→api', () => {
    const run = runs.seoul;
    const lbGroups = (name: string) =>
      (named(run, 'aws:lb/loadBalancer:LoadBalancer', name).inputs['securityGroups'] as string[]).map((id) =>
        nameOf(run, id),
      );
    expect(lbGroups('megaticket-lb-alb')).to.deep.equal(['megaticket-sg-alb']);
    expect(lbGroups('megaticket-lb-nlb')).to.deep.equal(['megaticket-sg-nlb']);
    for (const tier of ['web', 'api']) {
      const lt = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', `megaticket-${tier}-lt`);
      expect((lt.inputs['vpcSecurityGroupIds'] as string[]).map((id) => nameOf(run, id))).to.deep.equal([
        `megaticket-sg-${tier}`,
      ]);
    }
  });
});
