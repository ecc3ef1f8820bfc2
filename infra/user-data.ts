import type { Tier } from './naming.js';

/**
 * The boot script of an instance, as a pure function of resolved values. It fetches and verifies a prebuilt artifact
 * that carries its own Node runtime (no package manager, no build, no git clone), writes the environment file from
 * *this stack's* outputs, and hands the app and its log shipper to systemd, which restarts them forever. Values are
 * validated as plain tokens and written through quoted heredocs, so nothing in them is ever interpreted by the shell.
 */
export const WEB_PORT = 3000;
export const API_PORT = 3001;
export const APP_USER = 'megaticket';
export const ENV_FILE = '/etc/megaticket/megaticket.env';
export const SERVICE_NAME = 'megaticket.service';
export const LOG_USER = 'megaticket-logs';
export const LOG_SERVICE_NAME = 'megaticket-logs.service';

export interface EnvironmentInput {
  readonly tier: Tier;
  readonly region: string;
  readonly primaryRegion: string;
  /** The region that takes bookings while DR is active (API only: it names it to the pages of a read-only primary). */
  readonly standbyRegion: string;
  readonly tablePrefix: string;
  /** This region's copy of the waiting room's admission key secret (ARN); only the API tier reads it. */
  readonly admissionKeySecretId: string;
  /** This stack's internal NLB DNS name; only the web tier uses it. */
  readonly nlbDnsName: string;
  readonly bedrockPrimaryModelId: string;
  readonly bedrockFallbackModelId: string;
  /** This region's copy of the CSRF key secret (ARN); only the web tier reads it. */
  readonly webCsrfSecretId: string;
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
    // The key every web instance in both regions shares, read once at start from this region's copy of the secret.
    env.push(['WEB_CSRF_SECRET_ID', input.webCsrfSecretId]);
    if (input.tls) env.push(['COOKIE_SECURE', 'true']);
  } else {
    env.push(
      // Where bookings go while DR is active: the API names it to the pages of a read-only primary.
      ['STANDBY_REGION', input.standbyRegion],
      ['ASSISTANT_MODE', 'bedrock'],
      ['BEDROCK_PRIMARY_MODEL_ID', input.bedrockPrimaryModelId],
      ['BEDROCK_FALLBACK_MODEL_ID', input.bedrockFallbackModelId],
      // The key both regions share (Seoul's admission tokens verify in Tokyo), from this region's copy of the secret.
      ['ADMISSION_KEY_SECRET_ID', input.admissionKeySecretId],
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

const RELEASES = '/opt/megaticket/releases';
const CURRENT = '/opt/megaticket/current';

export function systemdUnit(tier: Tier, nodePath: string): string {
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
WorkingDirectory=${CURRENT}
ExecStart=${CURRENT}/${nodePath} ${CURRENT}/server.mjs
Restart=always
RestartSec=2
# stdout/stderr go to the journal (rotated by journald, see JOURNALD_CONFIG); megaticket-logs ships them.
SyslogIdentifier=megaticket
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** The log shipper (app/logship) from the same artifact and runtime: the app unit's journal → the tier's log group. */
export function logShipperUnit(input: { region: string; logGroup: string; nodePath: string }): string {
  return `[Unit]
Description=MegaTicket log shipper (journal to CloudWatch Logs)
Wants=network-online.target
After=network-online.target ${SERVICE_NAME}
StartLimitIntervalSec=0

[Service]
Type=simple
User=${LOG_USER}
Group=${LOG_USER}
SupplementaryGroups=systemd-journal
Environment=AWS_REGION=${input.region} LOG_GROUP=${input.logGroup} JOURNAL_UNIT=${SERVICE_NAME}
StateDirectory=megaticket-logs
ExecStart=${CURRENT}/${input.nodePath} ${CURRENT}/log-shipper.mjs
Restart=always
RestartSec=5
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Log rotation: journald keeps the app's output, bounded in size and age, on the persistent journal; the shipper has
 * already sent it to CloudWatch Logs (30-day retention there).
 */
export const JOURNALD_CONFIG = `[Journal]
Storage=persistent
SystemMaxUse=1G
SystemMaxFileSize=64M
MaxRetentionSec=14day
`;

export interface UserDataInput extends EnvironmentInput {
  readonly artifactBucket: string;
  readonly artifactKey: string;
  readonly artifactSha256: string;
  readonly logGroup: string;
  /** The Node runtime inside the artifact: where, which version, and the sha256 the instance checks before use. */
  readonly node: { readonly path: string; readonly version: string; readonly sha256: string };
}

/** EC2 refuses user data over 16 KB (before base64). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

export function renderUserData(input: UserDataInput): string {
  for (const [name, value] of [
    ['artifactBucket', input.artifactBucket],
    ['artifactKey', input.artifactKey],
    ['logGroup', input.logGroup],
    ['node.path', input.node.path],
  ] as const) {
    if (!SAFE_VALUE.test(value)) throw new Error(`${name} has unsafe characters: ${value}`);
  }
  for (const [name, value] of [
    ['artifactSha256', input.artifactSha256],
    ['node.sha256', input.node.sha256],
  ] as const) {
    if (!/^[0-9a-f]{64}$/.test(value)) throw new Error(`${name} must be 64 hex characters`);
  }
  if (!/^\d+\.\d+\.\d+$/.test(input.node.version)) throw new Error(`node.version must be x.y.z: ${input.node.version}`);
  const release = `${RELEASES}/${input.artifactSha256.slice(0, 16)}`;
  const script = `#!/bin/bash
# MegaTicket ${input.tier} tier bootstrap (generated by infra/user-data.ts; a change here rolls the ASG).
# It installs nothing from a package repository: the artifact carries the app and its Node runtime. It only fetches the
# artifact from this stack's own bucket, verifies it, writes this stack's environment and starts systemd units.
set -euo pipefail
exec > >(tee -a /var/log/megaticket-bootstrap.log) 2>&1
umask 022

id -u ${APP_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${APP_USER}
id -u ${LOG_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${LOG_USER}
install -d -m 0755 ${RELEASES}

# The prebuilt artifact from this stack's own bucket, checked against the hash Pulumi uploaded.
aws s3 cp --only-show-errors --region ${input.region} 's3://${input.artifactBucket}/${input.artifactKey}' /tmp/megaticket-app.tar.gz
echo '${input.artifactSha256}  /tmp/megaticket-app.tar.gz' | sha256sum --check --strict
install -d -m 0755 ${release}
tar -xzf /tmp/megaticket-app.tar.gz -C ${release} --no-same-owner
rm -f /tmp/megaticket-app.tar.gz

# The Node.js runtime inside it: the pinned binary, the pinned version.
echo '${input.node.sha256}  ${release}/${input.node.path}' | sha256sum --check --strict
test "$(${release}/${input.node.path} --version)" = 'v${input.node.version}'
ln -sfn ${release} ${CURRENT}

install -d -m 0750 -o root -g ${APP_USER} /etc/megaticket
cat > ${ENV_FILE} <<'MEGATICKET_ENV'
${renderEnvFile(appEnvironment(input))}MEGATICKET_ENV
chown root:${APP_USER} ${ENV_FILE}
chmod 0640 ${ENV_FILE}

install -d -m 0755 /etc/systemd/journald.conf.d
cat > /etc/systemd/journald.conf.d/megaticket.conf <<'MEGATICKET_JOURNALD'
${JOURNALD_CONFIG}MEGATICKET_JOURNALD
systemctl restart systemd-journald

cat > /etc/systemd/system/${SERVICE_NAME} <<'MEGATICKET_UNIT'
${systemdUnit(input.tier, input.node.path)}MEGATICKET_UNIT
cat > /etc/systemd/system/${LOG_SERVICE_NAME} <<'MEGATICKET_LOGS_UNIT'
${logShipperUnit({ region: input.region, logGroup: input.logGroup, nodePath: input.node.path })}MEGATICKET_LOGS_UNIT
systemctl daemon-reload
systemctl enable --now ${SERVICE_NAME} ${LOG_SERVICE_NAME}
`;
  const bytes = Buffer.byteLength(script);
  if (bytes > USER_DATA_LIMIT_BYTES)
    throw new Error(`user data is ${bytes} bytes; EC2 accepts ${USER_DATA_LIMIT_BYTES}`);
  return script;
}

/** Extracts the env file an instance will write from its user data (for tests and the offline plan). */
export function envFromUserData(userData: string): Record<string, string> {
  const match = /<<'MEGATICKET_ENV'\n([\s\S]*?)MEGATICKET_ENV\n/.exec(userData);
  if (!match?.[1]) throw new Error('user data has no environment file');
  return parseEnvFile(match[1]);
}
