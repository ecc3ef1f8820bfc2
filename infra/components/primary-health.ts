import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DEEP_HEALTH_PATH } from '../../app/shared/load-balancing.js';
import { GATE_OPEN_THRESHOLD } from '../failover-definition.js';
import { HEALTH_CHECK_FAILURE_THRESHOLD } from '../failover-settings.js';
import { childName } from '../naming.js';

export interface PrimaryHealthArgs {
  /** The primary (Seoul) ALB, read from the primary stack's outputs. */
  readonly albDnsName: pulumi.Input<string>;
  readonly albProtocol: pulumi.Input<string>;
  /** 10 (fast, +USD 1/month) or 30 seconds; see docs/disaster-recovery.md for what it does to the RTO. */
  readonly requestIntervalSeconds: number;
}

/**
 * Seoul as Route53 sees it, declared by the standby stack (so it stays manageable while Seoul is down) and needing no
 * hosted zone: the failover alarm watches it with or without a domain.
 *
 * - `endpoint`: HTTP(S) on Seoul's ALB at the web tier's deep health path, which answers only when the web tier reaches
 *   its API tier (no DynamoDB in it). A dead Seoul API tier fails over; a DynamoDB hiccup does not.
 * - `gate`: a calculated check over `endpoint` that the PRIMARY record uses. Threshold 1 passes Seoul's health through;
 *   the failover workflow raises it to 2 (more than its one child), which pins traffic to Tokyo however healthy Seoul
 *   looks until the failback command lowers it again. `ignoreChanges` keeps `pulumi up` from unpinning a live failover.
 */
export class PrimaryHealth extends pulumi.ComponentResource {
  readonly endpointHealthCheckId: pulumi.Output<string>;
  readonly gateHealthCheckId: pulumi.Output<string>;
  readonly gateHealthCheckArn: pulumi.Output<string>;

  constructor(name: string, args: PrimaryHealthArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dr:PrimaryHealth', name, {}, opts);
    const protocol = pulumi.output(args.albProtocol);
    const endpoint = new aws.route53.HealthCheck(
      childName(name, 'endpoint'),
      {
        type: protocol,
        fqdn: args.albDnsName,
        port: protocol.apply((p) => (p === 'HTTPS' ? 443 : 80)),
        resourcePath: DEEP_HEALTH_PATH,
        requestInterval: args.requestIntervalSeconds,
        failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
        tags: { Name: `${name}-endpoint` },
      },
      { parent: this },
    );
    const gate = new aws.route53.HealthCheck(
      childName(name, 'gate'),
      {
        type: 'CALCULATED',
        childHealthchecks: [endpoint.id],
        childHealthThreshold: GATE_OPEN_THRESHOLD,
        tags: { Name: `${name}-gate` },
      },
      { parent: this, ignoreChanges: ['childHealthThreshold'] },
    );
    this.endpointHealthCheckId = endpoint.id;
    this.gateHealthCheckId = gate.id;
    this.gateHealthCheckArn = gate.arn;
    this.registerOutputs({
      endpointHealthCheckId: this.endpointHealthCheckId,
      gateHealthCheckId: this.gateHealthCheckId,
    });
  }
}
