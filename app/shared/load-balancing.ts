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

/** Liveness of one process (target-group health). Never touches DynamoDB. */
export const HEALTH_PATH = '/health';

/**
 * A region as Route53 sees it: the web tier answers and reaches its API tier through the internal NLB. No DynamoDB
 * call (a DynamoDB hiccup must not move a region), so a dead API tier fails the region over and a slow table does not.
 */
export const DEEP_HEALTH_PATH = '/health/deep';

/** Route53 wants an answer within 2 s of connecting; the web tier gives its API 1 s of that. */
export const DEEP_HEALTH_API_TIMEOUT_MS = 1000;
