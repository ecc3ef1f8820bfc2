/**
 * Names that more than one place must agree on. Logical (Pulumi) names are derived from the component name so a
 * resource's URN tells you where it lives; physical names are fixed only where the app, the failover workflow or an
 * operator must know them (the global tables); everything else uses Pulumi auto-naming (or a stack-scoped name), so
 * replacements and leftovers of a partial destroy never collide.
 */
export type Tier = 'web' | 'api';
export const TIERS: readonly Tier[] = ['web', 'api'];

/** Logical name of a child resource: `<component>-<suffix>`. */
export function childName(component: string, suffix: string): string {
  return `${component}-${suffix}`;
}

/**
 * Physical name of a resource whose name is unique per account rather than per region (a CloudWatch dashboard):
 * it carries the stack, so `pulumi up -s tokyo` never overwrites seoul's and destroying one never deletes the other's.
 */
export function stackScopedName(prefix: string, stack: string): string {
  return `${prefix}-${stack}`;
}

/**
 * Prefix of a tier's CloudWatch log group. Pulumi appends a random suffix, so a group left behind by a partial destroy
 * never blocks the next `pulumi up`; the instance learns the real name from its user data.
 */
export function logGroupNamePrefix(prefix: string, stack: string, tier: Tier): string {
  return `/${prefix}/${stack}/${tier}-`;
}

/** S3 key of the app artifact. The content hash in the key is what makes the launch template (and the ASG) roll. */
export function artifactKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`artifact sha256 must be 64 hex characters, got ${sha256}`);
  return `artifacts/megaticket-app-${sha256.slice(0, 16)}.tar.gz`;
}
