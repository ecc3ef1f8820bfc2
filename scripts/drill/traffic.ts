import { GATE_OPEN_THRESHOLD, GATE_PINNED_THRESHOLD } from '../../infra/failover-definition.js';

/**
 * Route53 failover routing as the drill models it, with the thresholds the infrastructure uses: the PRIMARY record's
 * calculated gate check is healthy when at least `threshold` of its one child (Seoul's endpoint check) is healthy;
 * otherwise DNS answers with the SECONDARY (Tokyo). The failover workflow pins by raising the threshold; failback
 * lowers it. A model of AWS's behaviour, not a test of it.
 */
export class LocalTraffic {
  private threshold: number = GATE_OPEN_THRESHOLD;

  pin(): void {
    this.threshold = GATE_PINNED_THRESHOLD;
  }

  unpin(): void {
    this.threshold = GATE_OPEN_THRESHOLD;
  }

  get pinned(): boolean {
    return this.threshold !== GATE_OPEN_THRESHOLD;
  }

  route(primaryEndpointHealthy: boolean): 'primary' | 'standby' {
    return (primaryEndpointHealthy ? 1 : 0) >= this.threshold ? 'primary' : 'standby';
  }
}
