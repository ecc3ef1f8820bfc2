import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  GetHealthCheckStatusCommand,
  Route53Client,
  UpdateHealthCheckCommand,
  type HealthCheckObservation,
} from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { DynamoDrStateStore } from '../../app/adapters/dr/dynamo-dr-state.js';
import { DynamoBookingStore } from '../../app/adapters/dynamodb/booking-store.js';
import { DynamoCatalog } from '../../app/adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../../app/adapters/dynamodb/client.js';
import { TABLE_NAMES, type TableName } from '../../app/adapters/dynamodb/tables.js';
import { GATE_OPEN_THRESHOLD } from '../../infra/failover-definition.js';
import { unrecoveredHoldsIn, type FailbackPort } from './procedure.js';

/** The standby stack's outputs the failback needs (`pulumi stack output --json -s tokyo`). */
export const standbyOutputsSchema = z.object({
  role: z.literal('standby'),
  region: z.string(),
  primaryRegion: z.string(),
  drStateTable: z.string(),
  tableNames: z.record(z.enum(TABLE_NAMES as [TableName, ...TableName[]]), z.string()),
  failoverStateMachineArn: z.string().startsWith('arn:'),
  primaryEndpointHealthCheckId: z.string().min(1),
  primaryGateHealthCheckId: z.string().min(1),
  webAsgName: z.string().min(1),
  apiAsgName: z.string().min(1),
});
export type StandbyOutputs = z.infer<typeof standbyOutputsSchema>;

/**
 * Route53's own rule: an endpoint is healthy when more than 18 % of its checkers report success. Failback asks the
 * same question of the endpoint check the failover alarm watches (Seoul's web tier and, behind it, its API tier).
 */
export function endpointHealthFrom(observations: readonly HealthCheckObservation[]): {
  healthy: boolean;
  detail: string;
} {
  const ok = observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length;
  const total = observations.length;
  return { healthy: total > 0 && ok / total > 0.18, detail: `${ok} of ${total} Route53 checkers report success` };
}

/** The failback port against AWS: DynamoDB in both regions, Route53 (global), Step Functions in the standby region. */
export function awsFailbackPort(outputs: StandbyOutputs): FailbackPort & { scaleDownStandby(): Promise<void> } {
  const actor = `failback:${userInfo().username}`;
  const standbyDb = createDocumentClient({ region: outputs.region });
  const standby = new DynamoDrStateStore(standbyDb, outputs.drStateTable, actor);
  const primaryReplica = new DynamoDrStateStore(
    createDocumentClient({ region: outputs.primaryRegion }),
    outputs.drStateTable,
    actor,
  );
  const route53 = new Route53Client({ region: 'us-east-1' });
  const sfn = new SFNClient({ region: outputs.region });
  const autoscaling = new AutoScalingClient({ region: outputs.region });
  const bookings = new DynamoBookingStore(
    standbyDb,
    outputs.tableNames,
    new DynamoCatalog(standbyDb, outputs.tableNames),
  );
  return {
    standby,
    primaryReplica,
    primaryHealthy: async () => {
      const status = await route53.send(
        new GetHealthCheckStatusCommand({ HealthCheckId: outputs.primaryEndpointHealthCheckId }),
      );
      return endpointHealthFrom(status.HealthCheckObservations ?? []);
    },
    failoverRunning: async () => {
      const running = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: outputs.failoverStateMachineArn,
          statusFilter: 'RUNNING',
          maxResults: 1,
        }),
      );
      return (running.executions ?? []).length > 0;
    },
    unrecoveredHolds: (since) => unrecoveredHoldsIn(bookings, since, outputs.primaryRegion),
    unpinTraffic: async () => {
      await route53.send(
        new UpdateHealthCheckCommand({
          HealthCheckId: outputs.primaryGateHealthCheckId,
          HealthThreshold: GATE_OPEN_THRESHOLD,
        }),
      );
    },
    scaleDownStandby: async () => {
      const state = await standby.current();
      if (state.active) throw new Error('DR is still active: fail back before scaling the standby down.');
      for (const name of [outputs.webAsgName, outputs.apiAsgName]) {
        await autoscaling.send(
          new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0 }),
        );
      }
    },
  };
}
