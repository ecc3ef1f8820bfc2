import { envFromUserData } from '../user-data.js';
import type { OfflineRun, StackResource } from './run.js';

/**
 * Renders an offline run as a reviewable inventory: per component, each resource's type, logical name and the
 * properties a reviewer cares about (CIDRs, ports, peers, capacities, the instance environment, IAM grants).
 */
type Props = Record<string, unknown>;

const short = (type: string) => type.replace(/^aws:/, '').replace(/\/[a-zA-Z]+:/, ':');

function get(p: Props, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Props)[k] : undefined), p);
}

function policyLines(json: unknown): string[] {
  if (typeof json !== 'string') return [];
  const doc = JSON.parse(json) as {
    Statement: {
      Sid?: string;
      Action: string | string[];
      Resource?: string | string[];
      Principal?: unknown;
      Condition?: unknown;
    }[];
  };
  return doc.Statement.flatMap((s) => {
    const actions = [s.Action].flat().join(', ');
    const resources = [s.Resource ?? []].flat();
    const head = `${s.Sid ?? 'statement'}: ${actions}`;
    const cond = s.Condition ? [`  if ${JSON.stringify(s.Condition)}`] : [];
    return [head, ...resources.map((r) => `  on ${r}`), ...cond];
  });
}

function details(r: StackResource, names: Map<string, string>): string[] {
  const p = r.inputs;
  const ref = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? id) : String(id));
  switch (r.type) {
    case 'aws:ec2/vpc:Vpc':
      return [`cidr ${String(p['cidrBlock'])}`];
    case 'aws:ec2/subnet:Subnet':
      return [
        `${String(p['cidrBlock'])} in ${String(p['availabilityZone'])}, public IPs on launch: ${String(p['mapPublicIpOnLaunch'])}`,
      ];
    case 'aws:ec2/route:Route':
      return [
        `${String(p['destinationCidrBlock'])} → ${ref(p['gatewayId'] ?? p['natGatewayId'])} (table ${ref(p['routeTableId'])})`,
      ];
    case 'aws:ec2/routeTableAssociation:RouteTableAssociation':
      return [`${ref(p['subnetId'])} → ${ref(p['routeTableId'])}`];
    case 'aws:ec2/vpcEndpoint:VpcEndpoint':
      return [
        `${String(p['serviceName'])} (${String(p['vpcEndpointType'])}) on ${[p['routeTableIds']].flat().map(ref).join(', ')}`,
      ];
    case 'aws:ec2/natGateway:NatGateway':
      return [`in ${ref(p['subnetId'])}`];
    case 'aws:ec2/securityGroup:SecurityGroup':
      return [String(p['description'])];
    case 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule':
    case 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': {
      const peer = p['referencedSecurityGroupId'] ? ref(p['referencedSecurityGroupId']) : String(p['cidrIpv4']);
      const dir = r.type.includes('Ingress') ? 'from' : 'to';
      return [`${ref(p['securityGroupId'])}: ${String(p['ipProtocol'])}/${String(p['fromPort'])} ${dir} ${peer}`];
    }
    case 'aws:lb/loadBalancer:LoadBalancer':
      return [
        `${String(p['loadBalancerType'])}, ${p['internal'] ? 'internal' : 'internet-facing'}, subnets ${[p['subnets']].flat().map(ref).join(', ')}`,
        `security groups ${[p['securityGroups']].flat().map(ref).join(', ')}; dns ${String(r.state['dnsName'])}`,
      ];
    case 'aws:lb/targetGroup:TargetGroup':
      return [
        `${String(p['protocol'])}:${String(p['port'])}, health ${String(get(p, 'healthCheck.protocol'))} ${String(get(p, 'healthCheck.path'))}`,
      ];
    case 'aws:lb/listener:Listener': {
      const action = [p['defaultActions']].flat()[0] as Props | undefined;
      const what =
        action?.['type'] === 'redirect'
          ? `redirect ${String(get(action, 'redirect.statusCode'))} → ${String(get(action, 'redirect.protocol'))}:${String(get(action, 'redirect.port'))}`
          : `forward → ${ref(action?.['targetGroupArn'])}`;
      return [
        `${String(p['protocol'])}:${String(p['port'])} ${what}${p['sslPolicy'] ? `, ${String(p['sslPolicy'])}` : ''}`,
      ];
    }
    case 'aws:ec2/launchTemplate:LaunchTemplate': {
      const userData = Buffer.from(String(p['userData']), 'base64').toString('utf8');
      const env = envFromUserData(userData);
      return [
        `${String(p['instanceType'])}, image ${String(p['imageId'])}, IMDSv2 ${String(get(p, 'metadataOptions.httpTokens'))}`,
        'user-data environment:',
        ...Object.entries(env).map(([k, v]) => `  ${k}=${v}`),
      ];
    }
    case 'aws:autoscaling/group:Group':
      return [
        `min ${String(p['minSize'])} / desired ${String(p['desiredCapacity'])} / max ${String(p['maxSize'])}, health ${String(p['healthCheckType'])}`,
        `launch template ${ref(get(p, 'launchTemplate.id'))} version ${String(get(p, 'launchTemplate.version'))}; target groups ${[p['targetGroupArns']].flat().map(ref).join(', ')}`,
        ...(r.options.ignoreChanges.length ? [`ignoreChanges: ${r.options.ignoreChanges.join(', ')}`] : []),
        ...(p['warmPool'] ? [`warm pool ${JSON.stringify(p['warmPool'])}`] : []),
      ];
    case 'aws:iam/rolePolicy:RolePolicy':
      return policyLines(p['policy']);
    case 'aws:iam/rolePolicyAttachment:RolePolicyAttachment':
      return [String(p['policyArn'])];
    case 'aws:dynamodb/table:Table': {
      const gsis = [p['globalSecondaryIndexes'] ?? []].flat() as Props[];
      return [
        `${String(p['name'])}: ${String(p['hashKey'])}${p['rangeKey'] ? ` + ${String(p['rangeKey'])}` : ''}, ${String(p['billingMode'])}, stream ${String(p['streamViewType'])}`,
        ...gsis.map(
          (g) =>
            `  GSI ${String(g['name'])}: ${([g['keySchemas']].flat() as Props[]).map((k) => `${String(k['attributeName'])} ${String(k['keyType'])}`).join(', ')}`,
        ),
        `TTL ${String(get(p, 'ttl.attributeName') ?? '-')}, PITR ${String(get(p, 'pointInTimeRecovery.enabled'))}, deletion protection ${String(p['deletionProtectionEnabled'])}, protect ${String(r.options.protect)}`,
        `replicas ${([p['replicas']].flat() as Props[]).map((x) => String(x['regionName'])).join(', ')}`,
      ];
    }
    case 'aws:ssm/parameter:Parameter':
      return [
        `${String(p['name'])} = ${String(p['value'])}${r.options.ignoreChanges.length ? ` (ignoreChanges: ${r.options.ignoreChanges.join(', ')})` : ''}`,
      ];
    case 'aws:cloudwatch/logGroup:LogGroup':
      return [`${String(p['name'])}, retention ${String(p['retentionInDays'])} days`];
    case 'aws:cloudwatch/metricAlarm:MetricAlarm': {
      const queries = [p['metricQueries'] ?? []].flat() as Props[];
      const metric = p['metricName']
        ? `${String(p['namespace'])} ${String(p['metricName'])}`
        : queries.map((q) => q['expression'] ?? get(q, 'metric.metricName')).join(' | ');
      return [
        `${metric} ${String(p['comparisonOperator'])} ${String(p['threshold'])}${p['region'] ? ` [region ${String(p['region'])}]` : ''}`,
      ];
    }
    case 'aws:route53/healthCheck:HealthCheck':
      return p['type'] === 'CALCULATED'
        ? [
            `CALCULATED: healthy when ${String(p['childHealthThreshold'])} of ${[p['childHealthchecks']].flat().map(ref).join(', ')} are` +
              (r.options.ignoreChanges.length ? ` (ignoreChanges: ${r.options.ignoreChanges.join(', ')})` : ''),
          ]
        : [
            `${String(p['type'])} ${String(p['fqdn'])}:${String(p['port'])}${String(p['resourcePath'])} every ${String(p['requestInterval'])} s, ${String(p['failureThreshold'])} failures`,
          ];
    case 'aws:sns/topicPolicy:TopicPolicy':
      return policyLines(p['policy']);
    case 'aws:route53/record:Record': {
      const alias = [p['aliases']].flat()[0] as Props | undefined;
      const policy = [p['failoverRoutingPolicies']].flat()[0] as Props | undefined;
      return [
        `${String(p['name'])} ${String(p['type'])} ${String(policy?.['type'])} → ${String(alias?.['name'])}${p['healthCheckId'] ? `, health check ${String(p['healthCheckId'])}` : ''}`,
      ];
    }
    case 'aws:sfn/stateMachine:StateMachine': {
      const def = JSON.parse(String(p['definition'])) as { States: Record<string, Props> };
      return Object.entries(def.States).map(([name, s]) => `${name}: ${String(s['Resource'] ?? s['Type'])}`);
    }
    case 'aws:cloudwatch/eventRule:EventRule':
      return [`${String(p['eventPattern'])}${p['region'] ? ` [region ${String(p['region'])}]` : ''}`];
    case 'aws:cloudwatch/eventTarget:EventTarget':
      return [`→ ${String(p['arn'])}${p['region'] ? ` [region ${String(p['region'])}]` : ''}`];
    case 'aws:s3/bucketObjectv2:BucketObjectv2':
      return [`s3://${ref(p['bucket'])}/${String(p['key'])}`];
    default:
      return [];
  }
}

export function renderInventory(run: OfflineRun): string {
  const names = new Map<string, string>();
  for (const r of run.resources) {
    names.set(r.id, r.name);
    if (typeof r.state['arn'] === 'string') names.set(r.state['arn'], r.name);
  }
  const c = run.config;
  const lines = [
    `Stack ${run.stack}: ${c.role} in ${c.region} (primary ${c.primaryRegion}, standby ${c.standbyRegion})`,
    `Domain: ${c.domainName ?? '(none: no DNS resources)'}; TLS: ${c.certificateArn ? 'yes' : 'no (HTTP only)'}`,
    '',
  ];
  const byParent = new Map<string, StackResource[]>();
  for (const r of run.resources.filter((x) => x.custom)) {
    const parent = r.options.parent ?? '(root)';
    byParent.set(
      parent,
      [...(byParent.get(parent) ?? []), r].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  const components = new Map(run.resources.filter((r) => !r.custom).map((r) => [r.name, r.type]));
  for (const [parent, resources] of byParent) {
    lines.push(`== ${parent} (${components.get(parent) ?? 'root'}) — ${resources.length} resources`);
    for (const r of resources) {
      lines.push(`  ${short(r.type)}  ${r.name}`);
      for (const d of details(r, names)) lines.push(`      ${d}`);
    }
    lines.push('');
  }
  lines.push(`Total: ${run.resources.filter((r) => r.custom).length} resources in ${components.size} components`);
  lines.push('Outputs:');
  for (const [k, v] of Object.entries(run.outputs))
    lines.push(`  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return lines.join('\n');
}
