import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { childName } from '../naming.js';

/** The value a region starts with: not in DR. The app treats this parameter as the only source of DR state. */
export const INITIAL_DR_STATE = JSON.stringify({ active: false });

/**
 * The region's DR state parameter. Pulumi creates it once; afterwards its value belongs to the failover workflow
 * (and to the documented failback procedure), so `ignoreChanges: ['value']` stops a later `pulumi up` from silently
 * ending a failover.
 */
export class DrState extends pulumi.ComponentResource {
  readonly parameterName: pulumi.Output<string>;
  readonly parameterArn: pulumi.Output<string>;

  constructor(name: string, args: { parameterName: string }, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:dr:DrState', name, {}, opts);
    const parameter = new aws.ssm.Parameter(
      childName(name, 'parameter'),
      {
        name: args.parameterName,
        type: 'String',
        value: INITIAL_DR_STATE,
        description: 'MegaTicket DR state {active, since}; written by the failover workflow',
      },
      { parent: this, ignoreChanges: ['value'] },
    );
    this.parameterName = parameter.name;
    this.parameterArn = parameter.arn;
    this.registerOutputs({ parameterName: this.parameterName });
  }
}
