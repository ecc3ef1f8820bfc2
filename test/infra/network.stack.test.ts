import { expect } from 'chai';
import type { OfflineRun } from '../../infra/offline/run.js';
import { named, nameOf, ofType, scenario } from '../support/pulumi-mocks.js';

// Pulumi mocks, real program, real stack files. Proves the declared shape; does not prove AWS accepts it or that
// the AZs exist in a given account (the program reads them with getAvailabilityZones at deploy time).
const expected = {
  seoul: { vpc: '10.100.0.0/16', azs: ['ap-northeast-2a', 'ap-northeast-2b'], x: '10.100' },
  tokyo: { vpc: '10.1.0.0/16', azs: ['ap-northeast-1a', 'ap-northeast-1c'], x: '10.1' },
} as const;

for (const stack of ['seoul', 'tokyo'] as const) {
  describe(`network (${stack} stack under mocks)`, () => {
    let run: OfflineRun;
    const e = expected[stack];
    before(async () => {
      run = await scenario(stack);
    });

    it(`one VPC ${e.vpc} with DNS support and hostnames`, () => {
      const vpcs = ofType(run, 'aws:ec2/vpc:Vpc');
      expect(
        vpcs.map((v) => [v.name, v.inputs['cidrBlock'], v.inputs['enableDnsSupport'], v.inputs['enableDnsHostnames']]),
      ).to.deep.equal([['megaticket-net-vpc', e.vpc, true, true]]);
    });

    it('2 public /24 + 2 private /20 subnets, one of each per AZ in two AZs, no public IPs on launch', () => {
      const subnets = ofType(run, 'aws:ec2/subnet:Subnet')
        .map((s) => [
          s.name,
          s.inputs['cidrBlock'],
          s.inputs['availabilityZone'],
          s.inputs['mapPublicIpOnLaunch'],
          nameOf(run, s.inputs['vpcId']),
        ])
        .sort();
      expect(subnets).to.deep.equal([
        ['megaticket-net-private-0', `${e.x}.16.0/20`, e.azs[0], false, 'megaticket-net-vpc'],
        ['megaticket-net-private-1', `${e.x}.32.0/20`, e.azs[1], false, 'megaticket-net-vpc'],
        ['megaticket-net-public-0', `${e.x}.0.0/24`, e.azs[0], false, 'megaticket-net-vpc'],
        ['megaticket-net-public-1', `${e.x}.1.0/24`, e.azs[1], false, 'megaticket-net-vpc'],
      ]);
    });

    it('routes: public 0.0.0.0/0 → IGW, private 0.0.0.0/0 → the single NAT (in public-0); nothing else', () => {
      const routes = ofType(run, 'aws:ec2/route:Route')
        .map((r) => [
          nameOf(run, r.inputs['routeTableId']),
          r.inputs['destinationCidrBlock'],
          nameOf(run, r.inputs['gatewayId'] ?? r.inputs['natGatewayId']),
        ])
        .sort();
      expect(routes).to.deep.equal([
        ['megaticket-net-private-rt', '0.0.0.0/0', 'megaticket-net-nat'],
        ['megaticket-net-public-rt', '0.0.0.0/0', 'megaticket-net-igw'],
      ]);
      const nats = ofType(run, 'aws:ec2/natGateway:NatGateway');
      expect(
        nats.map((n) => [n.name, nameOf(run, n.inputs['subnetId']), nameOf(run, n.inputs['allocationId'])]),
      ).to.deep.equal([['megaticket-net-nat', 'megaticket-net-public-0', 'megaticket-net-nat-eip']]);
    });

    it('route table associations: public subnets → public table, private subnets → private table', () => {
      const assoc = ofType(run, 'aws:ec2/routeTableAssociation:RouteTableAssociation')
        .map((a) => [nameOf(run, a.inputs['subnetId']), nameOf(run, a.inputs['routeTableId'])])
        .sort();
      expect(assoc).to.deep.equal([
        ['megaticket-net-private-0', 'megaticket-net-private-rt'],
        ['megaticket-net-private-1', 'megaticket-net-private-rt'],
        ['megaticket-net-public-0', 'megaticket-net-public-rt'],
        ['megaticket-net-public-1', 'megaticket-net-public-rt'],
      ]);
    });

    it(`gateway endpoints for DynamoDB and S3 in ${stack}'s region, on the private route table`, () => {
      const region = run.config.region;
      const endpoints = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint')
        .map((v) => [
          v.inputs['serviceName'],
          v.inputs['vpcEndpointType'],
          (v.inputs['routeTableIds'] as string[]).map((id) => nameOf(run, id)),
        ])
        .sort();
      expect(endpoints).to.deep.equal([
        [`com.amazonaws.${region}.dynamodb`, 'Gateway', ['megaticket-net-private-rt']],
        [`com.amazonaws.${region}.s3`, 'Gateway', ['megaticket-net-private-rt']],
      ]);
    });

    it('the NAT gateway waits for the internet gateway (explicit dependency captured by the transformation)', () => {
      const nat = named(run, 'aws:ec2/natGateway:NatGateway', 'megaticket-net-nat');
      expect(nat.options).to.deep.include({ parent: 'megaticket-net', dependsOn: ['megaticket-net-igw'] });
    });
  });
}
