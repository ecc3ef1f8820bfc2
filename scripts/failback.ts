/**
 * `npm run failback -- --outputs <tokyo-outputs.json> check | run | scale-down`: the operator's failback from the
 * standby (Tokyo) to the primary (Seoul), step by step in docs/disaster-recovery.md.
 *   pulumi stack output --json -s tokyo > tokyo-outputs.json
 *   check       preconditions only; changes nothing
 *   run         preconditions, then: hand-over (no region writes), wait until Seoul's replica shows it and every API's
 *               cached DR state has expired, end DR (Seoul is the writer), wait until Seoul's replica shows it, reopen
 *               the gate health check so DNS follows Seoul's health again
 *   scale-down  Tokyo back to pilot light (min 0, desired 0), once DR is inactive and Tokyo has drained
 * Uses the operator's AWS credentials (DynamoDB in both regions, Route53, Step Functions, Auto Scaling).
 */
import { readFileSync } from 'node:fs';
import { awsFailbackPort, standbyOutputsSchema } from './failback/aws.js';
import { FailbackRefused, failback, failbackPreconditions } from './failback/procedure.js';

/** The instances' DR state cache (DR_STATE_CACHE_SECONDS default 5 s) plus a margin for replication. */
const SETTLE_MS = 15_000;

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const at = args.indexOf('--outputs');
  const file = at >= 0 ? args[at + 1] : undefined;
  const command = args.find((a, i) => !a.startsWith('--') && i !== at + 1) ?? 'check';
  if (!file) throw new Error('usage: npm run failback -- --outputs <tokyo-outputs.json> check | run | scale-down');
  const outputs = standbyOutputsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const port = awsFailbackPort(outputs);
  switch (command) {
    case 'check': {
      const { state, reasons } = await failbackPreconditions(port);
      console.log(`DR state: ${JSON.stringify(state)}`);
      console.log(
        reasons.length === 0 ? 'All preconditions hold: `run` may proceed.' : new FailbackRefused(reasons).message,
      );
      if (reasons.length > 0) process.exitCode = 2;
      return;
    }
    case 'run': {
      const steps = await failback(port, {
        settleMs: SETTLE_MS,
        replicationTimeoutMs: 5 * 60_000,
        pollMs: 2000,
        log: (line) => console.log(line),
      });
      for (const s of steps) console.log(`  ${s.step}: ${(s.ms / 1000).toFixed(1)} s`);
      console.log('Failback done. When Tokyo has drained (DNS TTL plus a few minutes), run `scale-down`.');
      return;
    }
    case 'scale-down':
      await port.scaleDownStandby();
      console.log(`${outputs.webAsgName} and ${outputs.apiAsgName}: min 0, desired 0 (pilot light).`);
      return;
    default:
      throw new Error(`unknown command ${command} (check | run | scale-down)`);
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(error instanceof FailbackRefused ? 2 : 1);
});
