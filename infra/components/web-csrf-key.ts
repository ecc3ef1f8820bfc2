import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { childName } from '../naming.js';

export interface WebCsrfKeyArgs {
  /** The standby region: Secrets Manager keeps a read-only replica there, readable while the primary is down. */
  readonly replicaRegion: string;
}

/** 32 random bytes, hex: the HMAC-SHA256 key of the web tier's CSRF tokens (the app requires ≥ 32 characters). */
export const CSRF_KEY_BYTES = 32;

/**
 * The one CSRF key every web instance of the deployment signs and checks tokens with, in both regions: a Secrets
 * Manager secret owned by the primary stack with a replica in the standby region (Secrets Manager replicates the value
 * and every later version), so a user load-balanced to another instance, or failed over to Tokyo, keeps a valid form.
 *
 * The value is generated once, at creation, by `random.RandomBytes` and never appears in code or config. Pulumi keeps
 * it in the stack state only as a secret (encrypted with the stack's secrets provider); rotating it afterwards is an
 * operator step outside Pulumi (docs/infrastructure.md, "CSRF key"), which Pulumi does not undo because it only tracks
 * the version it created. Default encryption key `aws/secretsmanager` in each region.
 */
export class WebCsrfKey extends pulumi.ComponentResource {
  /** The primary's ARN; the replica's is the same with the standby region (policies.ts `secretArnInRegion`). */
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: WebCsrfKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:security:WebCsrfKey', name, {}, opts);
    const parent = { parent: this };
    const value = new random.RandomBytes(childName(name, 'value'), { length: CSRF_KEY_BYTES }, parent);
    const secret = new aws.secretsmanager.Secret(
      childName(name, 'secret'),
      {
        description: 'MegaTicket web tier CSRF key (HMAC), shared by every web instance in both regions',
        replicas: [{ region: args.replicaRegion }],
        // A deleted secret can be restored within this window; its auto-generated name never blocks a new one.
        recoveryWindowInDays: 7,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      childName(name, 'version'),
      { secretId: secret.id, secretString: pulumi.secret(value.hex) },
      { parent: this, additionalSecretOutputs: ['secretString'] },
    );
    this.secretArn = secret.arn;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
