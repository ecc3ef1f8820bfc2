import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { childName } from '../naming.js';

/** 32 random bytes: a 256-bit HMAC-SHA256 key (the app refuses anything shorter). */
export const SHARED_KEY_BYTES = 32;

/** How the value is written into the secret: the text form its reader expects. */
export const KEY_TEXT = {
  /** 64 hex characters: the web tier's CSRF key (used as text, ≥ 32 characters). */
  hex: 'hex',
  /** base64 of the bytes: the waiting room's admission key (the API decodes it to the 32 bytes). */
  base64: 'base64',
} as const;
export type KeyText = keyof typeof KEY_TEXT;

export interface SharedKeyArgs {
  /** What the key is for, as the secret's description shows it in the console. */
  readonly purpose: string;
  readonly text: KeyText;
  /** The standby region: Secrets Manager keeps a read-only replica there, readable while the primary is down. */
  readonly replicaRegion: string;
}

/**
 * One HMAC key every instance of the deployment uses, in both regions: a Secrets Manager secret owned by the primary
 * stack with a replica in the standby region (Secrets Manager replicates the value and every later version), so what
 * one instance signed verifies on any other — load-balanced, or failed over to Tokyo. Used for the web tier's CSRF key
 * and the waiting room's admission key.
 *
 * The value is generated once, at creation, by `random.RandomBytes` and never appears in code or config. Pulumi keeps
 * it in the stack state only as a secret (encrypted with the stack's secrets provider); rotating it afterwards is an
 * operator step outside Pulumi (docs/infrastructure.md, "Shared keys"), which Pulumi does not undo because it only
 * tracks the version it created. Default encryption key `aws/secretsmanager` in each region.
 */
export class SharedKey extends pulumi.ComponentResource {
  /** The primary's ARN; the replica's is the same with the standby region (policies.ts `secretArnInRegion`). */
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: SharedKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:security:SharedKey', name, {}, opts);
    const parent = { parent: this };
    const value = new random.RandomBytes(childName(name, 'value'), { length: SHARED_KEY_BYTES }, parent);
    const secret = new aws.secretsmanager.Secret(
      childName(name, 'secret'),
      {
        description: `MegaTicket ${args.purpose}, shared by every instance in both regions`,
        replicas: [{ region: args.replicaRegion }],
        // A deleted secret can be restored within this window; its auto-generated name never blocks a new one.
        recoveryWindowInDays: 7,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      childName(name, 'version'),
      { secretId: secret.id, secretString: pulumi.secret(value[KEY_TEXT[args.text]]) },
      { parent: this, additionalSecretOutputs: ['secretString'] },
    );
    this.secretArn = secret.arn;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
