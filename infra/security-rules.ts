/**
 * The whitelist chain as data: internet → ALB (80/443) → web (3000) → NLB (3001) → API (3001). Each group's rules
 * name their peer group, never a CIDR, except the ALB's public listeners and HTTPS egress to AWS APIs (SSM, S3,
 * CloudWatch Logs, Bedrock, DynamoDB; reached through the NAT gateway or the gateway endpoints). No port 22 anywhere:
 * shell access is SSM Session Manager.
 */
export type GroupName = 'alb' | 'web' | 'nlb' | 'api';
export const GROUP_NAMES: readonly GroupName[] = ['alb', 'web', 'nlb', 'api'];

export const ANYWHERE = '0.0.0.0/0';

export interface RuleSpec {
  readonly group: GroupName;
  readonly direction: 'ingress' | 'egress';
  readonly port: number;
  /** Exactly one of peerGroup / cidr. */
  readonly peerGroup?: GroupName;
  readonly cidr?: string;
  readonly description: string;
}

export function securityRules(opts: { tls: boolean; webPort: number; apiPort: number }): RuleSpec[] {
  const { webPort, apiPort } = opts;
  return [
    { group: 'alb', direction: 'ingress', port: 80, cidr: ANYWHERE, description: 'HTTP from the internet' },
    ...(opts.tls
      ? [
          {
            group: 'alb',
            direction: 'ingress',
            port: 443,
            cidr: ANYWHERE,
            description: 'HTTPS from the internet',
          } as const,
        ]
      : []),
    { group: 'alb', direction: 'egress', port: webPort, peerGroup: 'web', description: 'to the web tier' },
    { group: 'web', direction: 'ingress', port: webPort, peerGroup: 'alb', description: 'from the ALB only' },
    { group: 'web', direction: 'egress', port: apiPort, peerGroup: 'nlb', description: 'to the internal NLB' },
    { group: 'web', direction: 'egress', port: 443, cidr: ANYWHERE, description: 'HTTPS to AWS APIs (SSM, S3, Logs)' },
    { group: 'nlb', direction: 'ingress', port: apiPort, peerGroup: 'web', description: 'from the web tier only' },
    { group: 'nlb', direction: 'egress', port: apiPort, peerGroup: 'api', description: 'to the API tier' },
    // Referencing the NLB's group works with client IP preservation on (the default for instance targets):
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
    { group: 'api', direction: 'ingress', port: apiPort, peerGroup: 'nlb', description: 'from the internal NLB only' },
    {
      group: 'api',
      direction: 'egress',
      port: 443,
      cidr: ANYWHERE,
      description: 'HTTPS to AWS APIs (DynamoDB, Bedrock, SSM, S3, Logs)',
    },
  ];
}

export function ruleName(rule: RuleSpec): string {
  const peer = rule.peerGroup ?? (rule.cidr === ANYWHERE ? 'anywhere' : rule.cidr?.replace(/[./]/g, '-'));
  return `${rule.group}-${rule.direction === 'ingress' ? 'in' : 'out'}-${rule.port}-${rule.direction === 'ingress' ? 'from' : 'to'}-${peer}`;
}
