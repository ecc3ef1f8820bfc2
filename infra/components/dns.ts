import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { HEALTH_PATH } from '../../app/shared/load-balancing.js';
import { childName } from '../naming.js';

export interface AlbTarget {
  readonly dnsName: pulumi.Input<string>;
  readonly zoneId: pulumi.Input<string>;
}

export interface FailoverDnsArgs {
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** The primary (Seoul) ALB, read from the primary stack's outputs. */
  readonly primary: AlbTarget & { readonly protocol: pulumi.Input<string> };
  /** This (standby) stack's own ALB. */
  readonly secondary: AlbTarget;
}

/**
 * Failover DNS, declared only by the standby stack: the health check on the primary ALB's /health and both alias
 * records. One owner per record means no two stacks ever fight over it, and the side that must act during a Seoul
 * outage (Tokyo) can still be updated while Seoul is unreachable.
 */
export class FailoverDns extends pulumi.ComponentResource {
  readonly healthCheckId: pulumi.Output<string>;

  constructor(name: string, args: FailoverDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dns:FailoverDns', name, {}, opts);
    const parent = { parent: this };
    const protocol = pulumi.output(args.primary.protocol);
    const healthCheck = new aws.route53.HealthCheck(
      childName(name, 'primary-health'),
      {
        fqdn: args.primary.dnsName,
        type: protocol,
        port: protocol.apply((p) => (p === 'HTTPS' ? 443 : 80)),
        resourcePath: HEALTH_PATH,
        requestInterval: 30,
        failureThreshold: 3,
        // Route53 health checkers live outside the VPC; liveness (not DynamoDB) is what /health reports.
        tags: { Name: `${name}-primary-alb` },
      },
      parent,
    );

    const record = (id: 'primary' | 'secondary', target: AlbTarget, healthCheckId?: pulumi.Input<string>) =>
      new aws.route53.Record(
        childName(name, id),
        {
          zoneId: args.hostedZoneId,
          name: args.domainName,
          type: 'A',
          setIdentifier: id,
          failoverRoutingPolicies: [{ type: id === 'primary' ? 'PRIMARY' : 'SECONDARY' }],
          aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: id === 'primary' }],
          ...(healthCheckId ? { healthCheckId } : {}),
        },
        parent,
      );
    record('primary', args.primary, healthCheck.id);
    record('secondary', args.secondary);

    this.healthCheckId = healthCheck.id;
    this.registerOutputs({ healthCheckId: this.healthCheckId });
  }
}
