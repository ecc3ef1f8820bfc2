/**
 * `npm run drill`: the whole failover on this machine (scripts/drill/scenario.ts): one DynamoDB Local with -sharedDb
 * standing in for the global tables, seoul and tokyo deployments as child processes, a scripted user, seoul killed
 * mid-booking, DR activated, the booking finished in tokyo, seoul back and refusing writes, failback. Prints the
 * timeline with measured durations; exits non-zero on any violation. `npm test` runs the same scenario.
 */
import { startDynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { runDrill } from './drill/scenario.js';
import { Timeline } from './drill/timeline.js';

const dynamo = await startDynamoLocal();
let exitCode = 1;
try {
  console.log(`drill: DynamoDB Local (-sharedDb) on ${dynamo.endpoint} stands in for the replicated global tables\n`);
  const result = await runDrill({ dynamoEndpoint: dynamo.endpoint, log: (line) => console.log(line) });
  const total = result.timeline.reduce((sum, e) => sum + e.ms, 0);
  console.log(`\n${Timeline.format({ step: `${result.timeline.length} steps`, ms: total })}`);
  if (result.violation) {
    console.error(`\ndrill: VIOLATION: ${result.violation}`);
  } else {
    console.log('\ndrill: passed: no double booking, no lost reservation, one writer at a time throughout');
    exitCode = 0;
  }
} catch (error) {
  console.error(`drill: could not run: ${(error as Error).stack ?? String(error)}`);
} finally {
  await dynamo.stop();
}
process.exit(exitCode);
