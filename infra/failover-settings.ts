/**
 * The numbers failover speed and cost depend on, in one pure module: the components declare resources with them and
 * the recovery budget (recovery-budget.ts → docs/disaster-recovery.md) adds them up, so the document cannot drift
 * from what `pulumi up` creates.
 */

/** Consecutive failed Route53 checks before Seoul counts as unhealthy (and passed ones before it is healthy again). */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

/** The primary-down alarm: one 1-minute period. The health check's own consecutive failures are the debounce. */
export const PRIMARY_DOWN_ALARM = { periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 } as const;

/**
 * Target-group health checks (liveness `/health`, no DynamoDB). A new instance serves after `healthy × interval`
 * seconds; both tiers become healthy in parallel.
 */
export const TARGET_HEALTH = {
  web: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
  api: { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
} as const;

/**
 * Boot headroom. An instance boots in about a minute (EC2 launch, AL2023 boot, user data that only fetches, verifies
 * and starts); the ASG ignores its ELB health for five times that, so a slow boot is never mistaken for a broken one
 * and replaced in a loop.
 */
export const HEALTH_CHECK_GRACE_SECONDS = 300;
/** After passing its health checks, an instance counts for scaling and for the next instance-refresh batch. */
export const INSTANCE_WARMUP_SECONDS = 60;

/** Every instance's root volume (gp3); what a stopped warm-pool instance costs. */
export const ROOT_VOLUME_GB = 20;
