import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Artifact } from '../artifact.js';
import { childName } from '../naming.js';

/**
 * A private bucket in the stack's own region holding the bundled app, uploaded by Pulumi. Instances fetch it over the
 * S3 gateway endpoint; Tokyo never depends on a Seoul bucket.
 */
export class ArtifactStore extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly objectKey: pulumi.Output<string>;

  constructor(name: string, args: { artifact: Artifact }, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:artifacts:ArtifactStore', name, {}, opts);
    const parent = { parent: this };
    // Build outputs only: safe to delete with the stack.
    const bucket = new aws.s3.Bucket(childName(name, 'bucket'), { forceDestroy: true }, parent);
    new aws.s3.BucketPublicAccessBlock(
      childName(name, 'public-access'),
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      childName(name, 'ownership'),
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      childName(name, 'sse'),
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
      parent,
    );
    const object = new aws.s3.BucketObjectv2(
      childName(name, 'app'),
      {
        bucket: bucket.id,
        key: args.artifact.key,
        source: new pulumi.asset.FileAsset(args.artifact.path),
        contentType: 'application/gzip',
        metadata: { sha256: args.artifact.sha256 },
      },
      parent,
    );
    this.bucketName = bucket.bucket;
    // Reading the key from the object (not the string) makes every consumer wait for the upload.
    this.objectKey = object.key;
    this.registerOutputs({ bucketName: this.bucketName, objectKey: this.objectKey });
  }
}
