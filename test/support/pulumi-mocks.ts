import { runOffline, type OfflineRun, type StackResource } from '../../infra/offline/run.js';
import type { PolicyDocument } from '../../infra/policies.js';
import { envFromUserData } from '../../infra/user-data.js';
import { PRIMARY_OUTPUTS_READ_BY_STANDBY } from '../../infra/stack.js';

/**
 * Shared Pulumi-mock runs of the real program for the infra tests. Each scenario runs once per mocha process (the
 * program takes ~1 s); runs are sequential, and each installs fresh mocks and config, so the stacks never share state.
 *
 * Scenarios: the two stack files exactly as committed (domainless HTTP demo; tokyo's StackReference reads the seoul
 * run's outputs), Seoul with a certificate, and Tokyo with a domain, hosted zone, certificate and alarm e-mail whose StackReference
 * reads the Seoul-with-certificate run's real outputs.
 */
export const SEOUL_CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/seoul-cert';
export const TOKYO_CERT = 'arn:aws:acm:ap-northeast-1:111122223333:certificate/tokyo-cert';
export const DOMAIN = 'tickets.example.com';
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const PRIMARY_REF = 'organization/megaticket/seoul';
export const ALARM_EMAIL = 'ops@example.com';

export type Scenario = 'seoul' | 'tokyo' | 'seoulTls' | 'tokyoDns';
const cache = new Map<Scenario, Promise<OfflineRun>>();

export function scenario(name: Scenario): Promise<OfflineRun> {
  const existing = cache.get(name);
  if (existing) return existing;
  const run = (async () => {
    switch (name) {
      case 'seoul':
        return runOffline(name);
      case 'tokyo': {
        // Domainless, as committed: it still reads Seoul's ALB for the health check that drives failover.
        const seoul = await scenario('seoul');
        return runOffline('tokyo', { stackOutputs: { [PRIMARY_REF]: primaryOutputs(seoul) } });
      }
      case 'seoulTls':
        return runOffline('seoul', { overrides: { 'megaticket:certificateArn': SEOUL_CERT } });
      case 'tokyoDns': {
        const seoul = await scenario('seoulTls');
        return runOffline('tokyo', {
          overrides: {
            'megaticket:domainName': DOMAIN,
            'megaticket:hostedZoneId': ZONE_ID,
            'megaticket:certificateArn': TOKYO_CERT,
            'megaticket:alarmEmail': ALARM_EMAIL,
          },
          stackOutputs: { [PRIMARY_REF]: primaryOutputs(seoul) },
        });
      }
    }
  })();
  cache.set(name, run);
  return run;
}

/** What the standby's StackReference reads from a primary run. */
function primaryOutputs(seoul: OfflineRun): Record<string, unknown> {
  return Object.fromEntries(PRIMARY_OUTPUTS_READ_BY_STANDBY.map((name) => [name, seoul.outputs[name]]));
}

export function ofType(run: OfflineRun, type: string): StackResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: OfflineRun, type: string, name: string): StackResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`${run.stack}: no ${type} named ${name}`);
  return found;
}

/** Logical name of the resource whose id or ARN is `value` (to compare wiring by name, not by mock ids). */
export function nameOf(run: OfflineRun, value: unknown): string {
  const found = run.resources.find((r) => r.id === value || r.state['arn'] === value);
  if (!found) throw new Error(`${run.stack}: nothing has id/arn ${String(value)}`);
  return found.name;
}

export function policyOf(r: StackResource, field = 'policy'): PolicyDocument {
  return JSON.parse(String(r.inputs[field])) as PolicyDocument;
}

export function userDataOf(run: OfflineRun, tier: 'web' | 'api'): string {
  const lt = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', `megaticket-${tier}-lt`);
  return Buffer.from(String(lt.inputs['userData']), 'base64').toString('utf8');
}

export function envOf(run: OfflineRun, tier: 'web' | 'api'): Record<string, string> {
  return envFromUserData(userDataOf(run, tier));
}
