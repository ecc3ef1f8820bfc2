import type { StackConfig } from './config.js';
import {
  HEALTH_CHECK_FAILURE_THRESHOLD,
  PRIMARY_DOWN_ALARM,
  ROOT_VOLUME_GB,
  TARGET_HEALTH,
} from './failover-settings.js';

/**
 * The failover's recovery-time budget computed from the standby stack's configuration and the settings the program
 * declares (failover-settings.ts), plus the few figures only AWS can give, each labelled as an estimate. Rendered into
 * docs/disaster-recovery.md by `npm run dr:budget -- --write`; a test fails when the document and the code disagree.
 */
export type Basis = 'config' | 'measured' | 'estimate';

export interface BudgetLine {
  readonly phase: string;
  readonly seconds: number;
  readonly basis: Basis;
  readonly how: string;
}

export interface RecoveryBudget {
  /** Route53 notices: from Seoul failing to its health check turning unhealthy (DNS answers Tokyo from here on). */
  readonly detection: BudgetLine;
  /** After detection, one after the other: alarm → workflow → instances serving. */
  readonly serial: readonly BudgetLine[];
  /** After detection, in parallel with `serial`: resolvers still holding Seoul's address. */
  readonly dns: BudgetLine;
  readonly rtoSeconds: number;
}

/** What only AWS can tell; not measurable on this machine. Each is a deliberate, rounded-up estimate. */
export const AWS_ESTIMATES = {
  alarmEvaluationLagSeconds: 30,
  eventBridgeAndStartSeconds: 5,
  workflowSeconds: 5,
  launchAndBootSeconds: 40,
  warmStartSeconds: 20,
  userDataSeconds: 10,
  /** Route53 alias records to a load balancer carry the load balancer's 60 s TTL. */
  aliasTtlSeconds: 60,
} as const;

/** `npm run smoke:artifact` on the 2-core, shared development machine (API 2.3 s, web 2.0 s to /health 200). */
export const MEASURED_APP_START = { seconds: 3, observedMs: 2300 } as const;

/** Monthly prices used for the cost column (AWS public price list for ap-northeast-1 at the time of writing). */
export const PRICES_USD = {
  /** Route53 optional feature "fast interval" (10 s) on a health check of an AWS endpoint, per month. */
  fastHealthCheckInterval: 1.0,
  /** gp3 storage in ap-northeast-1, per GB-month (a stopped instance pays only for its volume). */
  gp3GbMonth: 0.096,
} as const;

export function recoveryBudget(config: StackConfig): RecoveryBudget {
  const e = AWS_ESTIMATES;
  const detection: BudgetLine = {
    phase: 'Route53 detects the failure',
    seconds: config.healthCheckIntervalSeconds * HEALTH_CHECK_FAILURE_THRESHOLD,
    basis: 'config',
    how: `${config.healthCheckIntervalSeconds} s interval × ${HEALTH_CHECK_FAILURE_THRESHOLD} failures (healthCheckIntervalSeconds)`,
  };
  const targetSeconds = Math.max(
    TARGET_HEALTH.web.intervalSeconds * TARGET_HEALTH.web.healthyThreshold,
    TARGET_HEALTH.api.intervalSeconds * TARGET_HEALTH.api.healthyThreshold,
  );
  const instances: BudgetLine[] = config.standbyWarmPool
    ? [
        {
          phase: 'prepared instances start from the warm pool',
          seconds: e.warmStartSeconds,
          basis: 'estimate',
          how: 'start a stopped instance and boot; user data already ran when the pool was filled',
        },
      ]
    : [
        {
          phase: 'EC2 launches the instances, AL2023 boots',
          seconds: e.launchAndBootSeconds,
          basis: 'estimate',
          how: 'pending → running and boot until user data runs',
        },
        {
          phase: 'user data: fetch, verify, unpack the artifact',
          seconds: e.userDataSeconds,
          basis: 'estimate',
          how: '~46 MiB from the stack’s bucket over the S3 gateway endpoint, two sha256 checks, tar; nothing installed',
        },
      ];
  const serial: BudgetLine[] = [
    {
      phase: 'primary-down alarm (us-east-1) fires',
      seconds: PRIMARY_DOWN_ALARM.periodSeconds * PRIMARY_DOWN_ALARM.evaluationPeriods,
      basis: 'config',
      how: `${PRIMARY_DOWN_ALARM.evaluationPeriods} × ${PRIMARY_DOWN_ALARM.periodSeconds} s period of HealthCheckStatus (1-minute metric)`,
    },
    {
      phase: 'CloudWatch evaluates the closed period',
      seconds: e.alarmEvaluationLagSeconds,
      basis: 'estimate',
      how: 'alarm evaluation after the metric datapoint arrives',
    },
    {
      phase: 'EventBridge us-east-1 → Tokyo bus → workflow starts',
      seconds: e.eventBridgeAndStartSeconds,
      basis: 'estimate',
      how: 'two rules, one cross-region hop',
    },
    {
      phase: 'workflow: DR state, traffic pinned, ASGs raised',
      seconds: e.workflowSeconds,
      basis: 'estimate',
      how: 'four service calls (DynamoDB, Route53, 2 × Auto Scaling)',
    },
    ...instances,
    {
      phase: 'the app starts (web and API)',
      seconds: MEASURED_APP_START.seconds,
      basis: 'measured',
      how: `artifact under its own Node 22: ${MEASURED_APP_START.observedMs} ms to /health 200 here (npm run smoke:artifact), rounded up`,
    },
    {
      phase: 'target groups mark the instances healthy',
      seconds: targetSeconds,
      basis: 'config',
      how: `${TARGET_HEALTH.web.healthyThreshold} × ${TARGET_HEALTH.web.intervalSeconds} s (ALB, web) ∥ ${TARGET_HEALTH.api.healthyThreshold} × ${TARGET_HEALTH.api.intervalSeconds} s (NLB, API)`,
    },
  ];
  const dns: BudgetLine = {
    phase: 'resolvers drop Seoul’s cached address',
    seconds: e.aliasTtlSeconds,
    basis: 'estimate',
    how: 'alias TTL of the load balancer; runs in parallel with the steps above',
  };
  const serialSeconds = serial.reduce((sum, l) => sum + l.seconds, 0);
  return { detection, serial, dns, rtoSeconds: detection.seconds + Math.max(serialSeconds, dns.seconds) };
}

/** What a variant of the standby configuration costs per month over the cheapest one (30 s checks, no warm pool). */
export function extraMonthlyCostUsd(config: StackConfig): number {
  const fast = config.healthCheckIntervalSeconds === 10 ? PRICES_USD.fastHealthCheckInterval : 0;
  const pooled = config.standbyWarmPool ? config.web.drMinSize + config.api.drMinSize : 0;
  return fast + pooled * ROOT_VOLUME_GB * PRICES_USD.gp3GbMonth;
}

const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
const usd = (n: number) => `USD ${n.toFixed(2)}`;

/** The generated section of docs/disaster-recovery.md. */
export function renderBudget(standby: StackConfig): string {
  const budget = recoveryBudget(standby);
  const row = (l: BudgetLine) => `| ${l.phase} | ${l.seconds} s | ${l.basis} | ${l.how} |`;
  const variants = [
    { healthCheckIntervalSeconds: 30, standbyWarmPool: false },
    { healthCheckIntervalSeconds: 10, standbyWarmPool: false },
    { healthCheckIntervalSeconds: 30, standbyWarmPool: true },
    { healthCheckIntervalSeconds: 10, standbyWarmPool: true },
  ].map((v) => {
    const config = { ...standby, ...v };
    const isDefault =
      v.healthCheckIntervalSeconds === standby.healthCheckIntervalSeconds &&
      v.standbyWarmPool === standby.standbyWarmPool;
    const rto = recoveryBudget(config).rtoSeconds;
    return `| ${v.healthCheckIntervalSeconds} s | ${v.standbyWarmPool ? 'yes' : 'no'} | ${rto} s (${minutes(rto)})${isDefault ? ' — **default**' : ''} | ${rto <= 180 ? 'yes' : 'no'} | +${usd(extraMonthlyCostUsd(config))} |`;
  });
  return [
    `Computed by \`infra/recovery-budget.ts\` from \`Pulumi.yaml\` + \`Pulumi.${standby.stack}.yaml\` (healthCheckIntervalSeconds ${standby.healthCheckIntervalSeconds}, standbyWarmPool ${standby.standbyWarmPool}) and \`infra/failover-settings.ts\`. Regenerate with \`npm run dr:budget -- --write\`; \`npm test\` fails when this section and the code disagree.`,
    '',
    '| phase | seconds | basis | how |',
    '| --- | ---: | --- | --- |',
    row(budget.detection),
    ...budget.serial.map(row),
    `| ${budget.dns.phase} (parallel) | ${budget.dns.seconds} s | ${budget.dns.basis} | ${budget.dns.how} |`,
    `| **RTO** | **${budget.rtoSeconds} s** | | **${minutes(budget.rtoSeconds)}**: detection + max(alarm … healthy, DNS) |`,
    '',
    'Which configuration reaches the 3-minute goal, and its monthly cost over the cheapest (30 s checks, no warm pool):',
    '',
    '| health check interval | warm pool | RTO | ≤ 3 min | extra per month |',
    '| --- | --- | --- | --- | ---: |',
    ...variants,
  ].join('\n');
}
