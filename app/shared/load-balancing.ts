/**
 * What the servers and the load balancers in front of them must agree on. The Pulumi program
 * (infra/components/load-balancers.ts, infra/components/primary-health.ts) and the app (app/server.ts, the health
 * routes) both import these, so neither side can drift from the other.
 */

/** The ALB's idle timeout: the assistant streams (SSE) for longer than the 60 s default. */
export const ALB_IDLE_TIMEOUT_SECONDS = 120;

/**
 * Idle keep-alive connections stay open longer on the server than on the load balancer, so the load balancer always
 * closes first. The other way round, it can send a request on a socket the server is just closing and answer 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = (ALB_IDLE_TIMEOUT_SECONDS + 5) * 1000;

/**
 * Connections the kernel may hold for a listener before the process accepts them, both tiers (one config value,
 * `LISTEN_BACKLOG`). Node's default, 511, was too few in the waiting room's benchmark: an API process busy placing
 * joins reset some of ≈ 2,300 waiters' connections (`read ECONNRESET`, docs/benchmarks.md). Linux caps it at
 * `net.core.somaxconn`: 4096 by default since kernel 5.4, so on the deployed Amazon Linux 2023 (kernel 6.1 or later) and here.
 */
export const DEFAULT_LISTEN_BACKLOG = 4096;

/** Liveness of one process (target-group health). Never touches DynamoDB. */
export const HEALTH_PATH = '/health';

/**
 * A region as Route53 sees it: the web tier answers and reaches its API tier through the internal NLB. No DynamoDB
 * call (a DynamoDB hiccup must not move a region), so a dead API tier fails the region over and a slow table does not.
 */
export const DEEP_HEALTH_PATH = '/health/deep';

/** Route53 wants an answer within 2 s of connecting; the web tier gives its API 1 s of that. */
export const DEEP_HEALTH_API_TIMEOUT_MS = 1000;
