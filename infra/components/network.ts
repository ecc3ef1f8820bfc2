import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planSubnets } from '../cidr.js';
import { childName } from '../naming.js';

export interface NetworkArgs {
  readonly vpcCidr: string;
  readonly region: string;
}

/**
 * VPC with two public and two private subnets in two AZs, one NAT gateway, and DynamoDB/S3 gateway endpoints on the
 * private route table. Written with plain @pulumi/aws (not awsx.ec2.Vpc) so every route and subnet is a resource the
 * mock tests can assert.
 *
 * One NAT gateway per VPC, not per AZ: ~USD 35/month less per region, at the price that losing its AZ cuts the other
 * AZ's instances off from non-endpoint AWS APIs (SSM, Bedrock, Logs) until the AZ recovers. DynamoDB and S3 traffic
 * uses the gateway endpoints and is unaffected, and the ALB keeps serving from the healthy AZ.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly privateRouteTableId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:network:Network', name, {}, opts);
    const parent = { parent: this };
    const plan = planSubnets(args.vpcCidr, 2);
    // Only regular AZs (no Local/Wavelength zones), first two in name order.
    const azNames = aws.getAvailabilityZonesOutput(
      { state: 'available', filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] },
      parent,
    ).names;
    const az = (i: number) =>
      azNames.apply((names) => {
        const zone = [...names].sort()[i];
        if (!zone) throw new Error(`${args.region} has fewer than ${i + 1} available AZs`);
        return zone;
      });

    const vpc = new aws.ec2.Vpc(
      childName(name, 'vpc'),
      { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(childName(name, 'igw'), { vpcId: vpc.id, tags: { Name: name } }, parent);

    const subnet = (kind: 'public' | 'private', cidr: string, i: number) =>
      new aws.ec2.Subnet(
        childName(name, `${kind}-${i}`),
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: az(i),
          // Nothing gets a public IP: the ALB has its own addresses and instances egress through NAT.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${kind}-${i}`, Tier: kind },
        },
        parent,
      );
    const publicSubnets = plan.public.map((cidr, i) => subnet('public', cidr, i));
    const privateSubnets = plan.private.map((cidr, i) => subnet('private', cidr, i));

    const publicRt = new aws.ec2.RouteTable(
      childName(name, 'public-rt'),
      { vpcId: vpc.id, tags: { Name: `${name}-public` } },
      parent,
    );
    new aws.ec2.Route(
      childName(name, 'public-default'),
      { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id },
      parent,
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          childName(name, `public-rta-${i}`),
          { subnetId: s.id, routeTableId: publicRt.id },
          parent,
        ),
    );

    const eip = new aws.ec2.Eip(childName(name, 'nat-eip'), { domain: 'vpc', tags: { Name: `${name}-nat` } }, parent);
    const firstPublic = publicSubnets[0];
    if (!firstPublic) throw new Error('subnet plan has no public subnet');
    const nat = new aws.ec2.NatGateway(
      childName(name, 'nat'),
      { subnetId: firstPublic.id, allocationId: eip.id, tags: { Name: name } },
      { parent: this, dependsOn: [igw] },
    );

    const privateRt = new aws.ec2.RouteTable(
      childName(name, 'private-rt'),
      { vpcId: vpc.id, tags: { Name: `${name}-private` } },
      parent,
    );
    new aws.ec2.Route(
      childName(name, 'private-default'),
      { routeTableId: privateRt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id },
      parent,
    );
    privateSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          childName(name, `private-rta-${i}`),
          { subnetId: s.id, routeTableId: privateRt.id },
          parent,
        ),
    );

    // Gateway endpoints: DynamoDB and S3 (artifact, dnf repositories) stay on the AWS network, free of NAT charges.
    for (const service of ['dynamodb', 's3'] as const) {
      new aws.ec2.VpcEndpoint(
        childName(name, `${service}-endpoint`),
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: 'Gateway',
          routeTableIds: [privateRt.id],
          tags: { Name: `${name}-${service}` },
        },
        parent,
      );
    }

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateRouteTableId = privateRt.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
