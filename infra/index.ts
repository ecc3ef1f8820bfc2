/**
 * Pulumi entry point (Pulumi.yaml `main`): load this stack's config, build the stack, export its outputs.
 * Run with `pulumi up -s seoul` / `-s tokyo`; see docs/infrastructure.md.
 */
import { readArtifact } from './artifact.js';
import { loadConfig } from './config.js';
import { createStack } from './stack.js';

const config = loadConfig();
const outputs = createStack(config, { artifact: readArtifact(config.artifactPath) });

export const role = outputs.role;
export const region = outputs.region;
export const vpcId = outputs.vpcId;
export const albDnsName = outputs.albDnsName;
export const albZoneId = outputs.albZoneId;
export const albProtocol = outputs.albProtocol;
export const nlbDnsName = outputs.nlbDnsName;
export const artifactBucket = outputs.artifactBucket;
export const artifactKey = outputs.artifactKey;
export const tableNames = outputs.tableNames;
export const primaryRegion = outputs.primaryRegion;
export const drStateTable = outputs.drStateTable;
export const webAsgName = outputs.webAsgName;
export const apiAsgName = outputs.apiAsgName;
export const dashboardName = outputs.dashboardName;
export const alertsTopicArn = outputs.alertsTopicArn;
export const webCsrfSecretArn = outputs.webCsrfSecretArn;
export const admissionKeySecretArn = outputs.admissionKeySecretArn;
export const failoverStateMachineArn = outputs.failoverStateMachineArn;
export const primaryDownAlarmName = outputs.primaryDownAlarmName;
export const primaryDownTopicArn = outputs.primaryDownTopicArn;
export const primaryEndpointHealthCheckId = outputs.primaryEndpointHealthCheckId;
export const primaryGateHealthCheckId = outputs.primaryGateHealthCheckId;
