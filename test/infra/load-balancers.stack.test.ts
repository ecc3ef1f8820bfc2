import { expect } from 'chai';
import { ALB_IDLE_TIMEOUT_SECONDS } from '../../app/shared/load-balancing.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { SEOUL_CERT, TOKYO_CERT, named, nameOf, ofType, scenario, type Scenario } from '../support/pulumi-mocks.js';

// Load balancers, listeners and target groups as declared. Does not prove AWS accepts the certificate or that
// targets become healthy (that needs instances answering /health).
const listeners = (run: OfflineRun) =>
  ofType(run, 'aws:lb/listener:Listener')
    .map((l) => {
      const action = (l.inputs['defaultActions'] as Record<string, unknown>[])[0] ?? {};
      return {
        lb: nameOf(run, l.inputs['loadBalancerArn']),
        protocol: l.inputs['protocol'],
        port: l.inputs['port'],
        sslPolicy: l.inputs['sslPolicy'],
        certificateArn: l.inputs['certificateArn'],
        action:
          action['type'] === 'forward'
            ? `forward:${nameOf(run, action['targetGroupArn'])}`
            : `redirect:${JSON.stringify(action['redirect'])}`,
      };
    })
    .sort((a, b) => `${String(a.lb)}${String(a.port)}`.localeCompare(`${String(b.lb)}${String(b.port)}`));

describe('load balancers (mocks)', () => {
  const runs = {} as Record<Scenario, OfflineRun>;
  before(async () => {
    for (const s of ['seoul', 'tokyo', 'seoulTls', 'tokyoDns'] as const) runs[s] = await scenario(s);
  });

  it('both stacks: an internet-facing ALB in the public subnets and an internal NLB (cross-zone) in the private ones', () => {
    for (const run of Object.values(runs)) {
      const alb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-alb');
      const nlb = named(run, 'aws:lb/loadBalancer:LoadBalancer', 'megaticket-lb-nlb');
      expect([
        alb.inputs['loadBalancerType'],
        alb.inputs['internal'],
        alb.inputs['dropInvalidHeaderFields'],
        alb.inputs['idleTimeout'],
      ]).to.deep.equal(['application', false, true, ALB_IDLE_TIMEOUT_SECONDS]);
      expect((alb.inputs['subnets'] as string[]).map((s) => nameOf(run, s))).to.deep.equal([
        'megaticket-net-public-0',
        'megaticket-net-public-1',
      ]);
      expect([
        nlb.inputs['loadBalancerType'],
        nlb.inputs['internal'],
        nlb.inputs['enableCrossZoneLoadBalancing'],
      ]).to.deep.equal(['network', true, true]);
      expect((nlb.inputs['subnets'] as string[]).map((s) => nameOf(run, s))).to.deep.equal([
        'megaticket-net-private-0',
        'megaticket-net-private-1',
      ]);
      expect(ofType(run, 'aws:lb/loadBalancer:LoadBalancer')).to.have.length(2);
    }
  });

  it('target groups: web HTTP:3000 and API TCP:3001, both health-checked over HTTP on /health (200)', () => {
    for (const run of Object.values(runs)) {
      const tg = (n: string) => {
        const r = named(run, 'aws:lb/targetGroup:TargetGroup', n);
        const hc = r.inputs['healthCheck'] as Record<string, unknown>;
        return [
          r.inputs['protocol'],
          r.inputs['port'],
          r.inputs['targetType'],
          hc['protocol'],
          hc['path'],
          hc['matcher'],
          hc['port'],
        ];
      };
      expect(tg('megaticket-lb-web-tg')).to.deep.equal([
        'HTTP',
        3000,
        'instance',
        'HTTP',
        '/health',
        '200',
        'traffic-port',
      ]);
      expect(tg('megaticket-lb-api-tg')).to.deep.equal([
        'TCP',
        3001,
        'instance',
        'HTTP',
        '/health',
        '200',
        'traffic-port',
      ]);
    }
  });

  it('domainless demo (stack files as committed): ALB :80 forwards to the web tier; NLB :3001 → API', () => {
    for (const s of ['seoul', 'tokyo'] as const) {
      expect(listeners(runs[s])).to.deep.equal([
        {
          lb: 'megaticket-lb-alb',
          protocol: 'HTTP',
          port: 80,
          sslPolicy: undefined,
          certificateArn: undefined,
          action: 'forward:megaticket-lb-web-tg',
        },
        {
          lb: 'megaticket-lb-nlb',
          protocol: 'TCP',
          port: 3001,
          sslPolicy: undefined,
          certificateArn: undefined,
          action: 'forward:megaticket-lb-api-tg',
        },
      ]);
    }
  });

  it('with a certificate: :80 answers 301 → HTTPS:443; :443 uses TLS13-1-2-2021-06 and this region’s certificate', () => {
    for (const [s, cert] of [
      ['seoulTls', SEOUL_CERT],
      ['tokyoDns', TOKYO_CERT],
    ] as const) {
      expect(listeners(runs[s])).to.deep.equal(
        [
          {
            lb: 'megaticket-lb-alb',
            protocol: 'HTTPS',
            port: 443,
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            certificateArn: cert,
            action: 'forward:megaticket-lb-web-tg',
          },
          {
            lb: 'megaticket-lb-alb',
            protocol: 'HTTP',
            port: 80,
            sslPolicy: undefined,
            certificateArn: undefined,
            action: `redirect:${JSON.stringify({ port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' })}`,
          },
          {
            lb: 'megaticket-lb-nlb',
            protocol: 'TCP',
            port: 3001,
            sslPolicy: undefined,
            certificateArn: undefined,
            action: 'forward:megaticket-lb-api-tg',
          },
        ].sort((a, b) => `${a.lb}${a.port}`.localeCompare(`${b.lb}${b.port}`)),
      );
    }
  });
});
