import type { Tier } from './naming.js';

/**
 * The boot script of an instance, as a pure function of resolved values. It installs a prebuilt artifact (no build,
 * no git clone), writes the environment file from *this stack's* outputs, and hands the process to systemd, which
 * restarts it forever. Values are validated as plain tokens and written through quoted heredocs, so nothing in them
 * is ever interpreted by the shell.
 */
export const WEB_PORT = 3000;
export const API_PORT = 3001;
export const APP_USER = 'megaticket';
export const ENV_FILE = '/etc/megaticket/megaticket.env';
export const APP_LOG = '/var/log/megaticket/app.log';
export const SERVICE_NAME = 'megaticket.service';
/** AL2023 ships Node 20 as the `nodejs20` package (binary `node-20`); the app targets Node 20. */
export const NODE_PACKAGE = 'nodejs20';

export interface EnvironmentInput {
  readonly tier: Tier;
  readonly region: string;
  readonly primaryRegion: string;
  readonly tablePrefix: string;
  /** This stack's internal NLB DNS name; only the web tier uses it. */
  readonly nlbDnsName: string;
  readonly bedrockPrimaryModelId: string;
  readonly bedrockFallbackModelId: string;
  /** True when the ALB terminates TLS (certificate configured): cookies get the Secure flag. */
  readonly tls: boolean;
}

/** The app's environment (keys from app/config.ts), in a stable order so the rendered file never churns. */
export function appEnvironment(input: EnvironmentInput): [string, string][] {
  const env: [string, string][] = [
    ['MEGATICKET_ROLE', input.tier],
    ['NODE_ENV', 'production'],
    ['HOST', '0.0.0.0'],
    ['WEB_PORT', String(WEB_PORT)],
    ['API_PORT', String(API_PORT)],
    ['AWS_REGION', input.region],
    ['PRIMARY_REGION', input.primaryRegion],
    ['TABLE_PREFIX', input.tablePrefix],
    ['DYNAMODB_MODE', 'external'],
    ['BOOTSTRAP_TABLES', 'false'],
    // The DR state is an item of the replicated control table (<prefix>-control), read from this region's replica.
    ['DR_STATE_SOURCE', 'dynamodb'],
  ];
  if (input.tier === 'web') {
    // The region-local NLB, resolved at deploy time from this stack's own resource: never another region's.
    env.push(['API_URL', `http://${input.nlbDnsName}:${API_PORT}`]);
    if (input.tls) env.push(['COOKIE_SECURE', 'true']);
  } else {
    env.push(
      ['ASSISTANT_MODE', 'bedrock'],
      ['BEDROCK_PRIMARY_MODEL_ID', input.bedrockPrimaryModelId],
      ['BEDROCK_FALLBACK_MODEL_ID', input.bedrockFallbackModelId],
    );
  }
  return env;
}

const SAFE_VALUE = /^[A-Za-z0-9._:/@+=,-]*$/;

export function renderEnvFile(env: readonly (readonly [string, string])[]): string {
  return env
    .map(([key, value]) => {
      if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`invalid environment key ${key}`);
      if (!SAFE_VALUE.test(value)) throw new Error(`environment value for ${key} has unsafe characters: ${value}`);
      return `${key}=${value}\n`;
    })
    .join('');
}

/** Parses an env file back into pairs (used by tests and the offline plan to show what an instance will get). */
export function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

export function systemdUnit(tier: Tier): string {
  return `[Unit]
Description=MegaTicket ${tier} tier
Wants=network-online.target
After=network-online.target
# Never give up restarting: a crash loop must not leave an instance that passes EC2 checks but serves nothing.
StartLimitIntervalSec=0

[Service]
Type=simple
User=${APP_USER}
Group=${APP_USER}
EnvironmentFile=${ENV_FILE}
WorkingDirectory=/opt/megaticket/current
ExecStart=/usr/local/bin/megaticket-node /opt/megaticket/current/server.mjs
Restart=always
RestartSec=2
StandardOutput=append:${APP_LOG}
StandardError=append:${APP_LOG}
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=/var/log/megaticket
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** CloudWatch agent: ship the app log (which carries the EMF lines CloudWatch turns into metrics). */
export function cloudWatchAgentConfig(logGroup: string): string {
  return JSON.stringify(
    {
      agent: { run_as_user: 'root' },
      logs: {
        logs_collected: {
          files: {
            collect_list: [{ file_path: APP_LOG, log_group_name: logGroup, log_stream_name: '{instance_id}' }],
          },
        },
      },
    },
    null,
    2,
  );
}

export interface UserDataInput extends EnvironmentInput {
  readonly artifactBucket: string;
  readonly artifactKey: string;
  readonly artifactSha256: string;
  readonly logGroup: string;
}

export function renderUserData(input: UserDataInput): string {
  for (const [name, value] of [
    ['artifactBucket', input.artifactBucket],
    ['artifactKey', input.artifactKey],
    ['logGroup', input.logGroup],
  ] as const) {
    if (!SAFE_VALUE.test(value)) throw new Error(`${name} has unsafe characters: ${value}`);
  }
  if (!/^[0-9a-f]{64}$/.test(input.artifactSha256)) throw new Error('artifactSha256 must be 64 hex characters');
  const release = `/opt/megaticket/releases/${input.artifactSha256.slice(0, 16)}`;
  return `#!/bin/bash
# MegaTicket ${input.tier} tier bootstrap (generated by infra/user-data.ts; a change here rolls the ASG).
set -euo pipefail
exec > >(tee -a /var/log/megaticket-bootstrap.log) 2>&1

dnf install -y ${NODE_PACKAGE} amazon-cloudwatch-agent
NODE_BIN="$(command -v node-20 || command -v node)"
"$NODE_BIN" -e 'process.exit(process.versions.node.split(".")[0] === "20" ? 0 : 1)'
ln -sfn "$NODE_BIN" /usr/local/bin/megaticket-node

id -u ${APP_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${APP_USER}
install -d -m 0755 /opt/megaticket/releases
install -d -m 0750 -o ${APP_USER} -g ${APP_USER} /var/log/megaticket

# The prebuilt artifact from this stack's own bucket, checked against the hash Pulumi uploaded.
aws s3 cp --region ${input.region} 's3://${input.artifactBucket}/${input.artifactKey}' /tmp/megaticket-app.tar.gz
echo '${input.artifactSha256}  /tmp/megaticket-app.tar.gz' | sha256sum --check --strict
install -d -m 0755 ${release}
tar -xzf /tmp/megaticket-app.tar.gz -C ${release} --no-same-owner
rm -f /tmp/megaticket-app.tar.gz
ln -sfn ${release} /opt/megaticket/current

install -d -m 0750 -o root -g ${APP_USER} /etc/megaticket
cat > ${ENV_FILE} <<'MEGATICKET_ENV'
${renderEnvFile(appEnvironment(input))}MEGATICKET_ENV
chown root:${APP_USER} ${ENV_FILE}
chmod 0640 ${ENV_FILE}

cat > /opt/aws/amazon-cloudwatch-agent/etc/megaticket.json <<'MEGATICKET_CWAGENT'
${cloudWatchAgentConfig(input.logGroup)}
MEGATICKET_CWAGENT
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/megaticket.json

cat > /etc/systemd/system/${SERVICE_NAME} <<'MEGATICKET_UNIT'
${systemdUnit(input.tier)}MEGATICKET_UNIT
systemctl daemon-reload
systemctl enable --now ${SERVICE_NAME}
`;
}

/** Extracts the env file an instance will write from its user data (for tests and the offline plan). */
export function envFromUserData(userData: string): Record<string, string> {
  const match = /<<'MEGATICKET_ENV'\n([\s\S]*?)MEGATICKET_ENV\n/.exec(userData);
  if (!match?.[1]) throw new Error('user data has no environment file');
  return parseEnvFile(match[1]);
}
