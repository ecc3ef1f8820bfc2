import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { childName } from '../naming.js';

export interface AlbTarget {
  readonly dnsName: pulumi.Input<string>;
  readonly zoneId: pulumi.Input<string>;
}

export interface FailoverDnsArgs {
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** The primary (Seoul) ALB, read from the primary stack's outputs. */
  readonly primary: AlbTarget;
  /** The gate health check (primary-health.ts): Seoul's deep health, unless the failover workflow pinned traffic. */
  readonly primaryHealthCheckId: pulumi.Input<string>;
  /** This (standby) stack's own ALB. */
  readonly secondary: AlbTarget;
}

/**
 * Failover DNS, declared only by the standby stack and only with a domain: both alias records. One owner per record
 * means no two stacks ever fight over it, and the side that must act during a Seoul outage (Tokyo) can still be
 * updated while Seoul is unreachable.
 */
export class FailoverDns extends pulumi.ComponentResource {
  constructor(name: string, args: FailoverDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dns:FailoverDns', name, {}, opts);
    const parent = { parent: this };
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
    record('primary', args.primary, args.primaryHealthCheckId);
    record('secondary', args.secondary);
    this.registerOutputs({});
  }
}
