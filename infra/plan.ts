/**
 * `npm run infra:plan -- <stack> [key=value …]`: runs the real program for one stack under Pulumi mocks with that
 * stack's Pulumi.<stack>.yaml and prints the resource inventory. No AWS account, credentials or Pulumi CLI needed.
 * Extra `namespace:key=value` arguments override config, e.g. to review the DNS resources:
 *   npm run infra:plan -- tokyo megaticket:domainName=tickets.example.com megaticket:hostedZoneId=Z0123456789ABC
 * What it does not show: what AWS would accept or what already exists (that is `pulumi preview`).
 */
import { renderInventory } from './offline/inventory.js';
import { PRIMARY_OUTPUTS_FOR_OFFLINE, runOffline } from './offline/run.js';

const [stack, ...rest] = process.argv.slice(2).filter((a) => a !== '--');
if (!stack || !/^[a-z0-9-]+$/.test(stack)) {
  console.error('usage: npm run infra:plan -- <seoul|tokyo> [namespace:key=value …]');
  process.exit(2);
}
const overrides = Object.fromEntries(
  rest.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq < 1 || !arg.slice(0, eq).includes(':')) {
      console.error(`not a namespace:key=value override: ${arg}`);
      process.exit(2);
    }
    return [arg.slice(0, eq), arg.slice(eq + 1)];
  }),
);

try {
  const run = await runOffline(stack, {
    overrides,
    stackOutputs: { 'organization/megaticket/seoul': PRIMARY_OUTPUTS_FOR_OFFLINE },
  });
  console.log(renderInventory(run));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
