/**
 * Names that more than one place must agree on. Logical (Pulumi) names are derived from the component name so a
 * resource's URN tells you where it lives; physical names are fixed only where the app or an operator must know them
 * (tables, log groups, the DR parameter); everything else uses Pulumi auto-naming so replacements never collide.
 */
export type Tier = 'web' | 'api';
export const TIERS: readonly Tier[] = ['web', 'api'];

/** Logical name of a child resource: `<component>-<suffix>`. */
export function childName(component: string, suffix: string): string {
  return `${component}-${suffix}`;
}

/** CloudWatch log group that the instance's CloudWatch agent ships the app log into. */
export function logGroupName(prefix: string, tier: Tier): string {
  return `/${prefix}/${tier}`;
}

/** S3 key of the app artifact. The content hash in the key is what makes the launch template (and the ASG) roll. */
export function artifactKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`artifact sha256 must be 64 hex characters, got ${sha256}`);
  return `artifacts/megaticket-app-${sha256.slice(0, 16)}.tar.gz`;
}

/** ARN form of an SSM parameter name ('/megaticket/dr' → 'parameter/megaticket/dr'). */
export function ssmParameterResource(name: string): string {
  if (!name.startsWith('/')) throw new Error(`SSM parameter name must start with '/', got ${name}`);
  return `parameter${name}`;
}
