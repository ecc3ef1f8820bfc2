import { expect } from 'chai';
import { loadConfig as loadAppConfig } from '../../app/config.js';
import { NODE_RUNTIME } from '../../infra/node-runtime.js';
import { FORBIDDEN_AT_BOOT, lintUserData } from '../../infra/user-data-lint.js';
import {
  JOURNALD_CONFIG,
  USER_DATA_LIMIT_BYTES,
  appEnvironment,
  envFromUserData,
  logShipperUnit,
  renderEnvFile,
  renderUserData,
  systemdUnit,
  type UserDataInput,
} from '../../infra/user-data.js';

// Pure rendering plus `bash -n`. Does not prove the script succeeds on a real AL2023 instance (S3 access, systemd).
const base: UserDataInput = {
  tier: 'web',
  region: 'ap-northeast-1',
  primaryRegion: 'ap-northeast-2',
  standbyRegion: 'ap-northeast-1',
  webCsrfSecretId:
    'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:megaticket-csrf-key-secret-1a2b3c4-AbCdEf',
  tablePrefix: 'megaticket',
  admissionKeySecretId:
    'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:megaticket-admission-key-secret-5e6f7a8-GhIjKl',
  nlbDnsName: 'megaticket-lb-nlb-abc.elb.ap-northeast-1.amazonaws.com',
  bedrockPrimaryModelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
  bedrockFallbackModelId: 'apac.amazon.nova-lite-v1:0',
  tls: true,
  artifactBucket: 'megaticket-artifacts-bucket-1234567',
  artifactKey: 'artifacts/megaticket-app-0123456789abcdef.tar.gz',
  artifactSha256: '0123456789abcdef'.repeat(4),
  logGroup: '/megaticket/tokyo/web-abc1234',
  node: { path: 'runtime/node/bin/node', version: '22.23.5', sha256: 'fedcba9876543210'.repeat(4) },
};

describe('infra/user-data', () => {
  it('appEnvironment(web): exact keys; API_URL is the given NLB on 3001; this region’s CSRF key secret; COOKIE_SECURE only with TLS; no Bedrock', () => {
    expect(Object.fromEntries(appEnvironment(base))).to.deep.equal({
      MEGATICKET_ROLE: 'web',
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      WEB_PORT: '3000',
      API_PORT: '3001',
      AWS_REGION: 'ap-northeast-1',
      PRIMARY_REGION: 'ap-northeast-2',
      TABLE_PREFIX: 'megaticket',
      DYNAMODB_MODE: 'external',
      BOOTSTRAP_TABLES: 'false',
      DR_STATE_SOURCE: 'dynamodb',
      API_URL: 'http://megaticket-lb-nlb-abc.elb.ap-northeast-1.amazonaws.com:3001',
      WEB_CSRF_SECRET_ID: base.webCsrfSecretId,
      COOKIE_SECURE: 'true',
    });
    expect(Object.keys(Object.fromEntries(appEnvironment({ ...base, tls: false })))).not.to.include('COOKIE_SECURE');
  });

  it('appEnvironment(api): Bedrock mode and both model ids; no API_URL, no CSRF key', () => {
    const env = Object.fromEntries(appEnvironment({ ...base, tier: 'api' }));
    expect(env).to.include({
      MEGATICKET_ROLE: 'api',
      ASSISTANT_MODE: 'bedrock',
      BEDROCK_PRIMARY_MODEL_ID: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      BEDROCK_FALLBACK_MODEL_ID: 'apac.amazon.nova-lite-v1:0',
      ADMISSION_KEY_SECRET_ID: base.admissionKeySecretId,
      STANDBY_REGION: 'ap-northeast-1',
    });
    expect(env).not.to.have.property('API_URL');
    expect(env).not.to.have.property('WEB_CSRF_SECRET_ID');
  });

  it('both environments pass the app’s own config schema (app/config.ts, production mode), so instances start', () => {
    for (const tier of ['web', 'api'] as const) {
      const config = loadAppConfig(Object.fromEntries(appEnvironment({ ...base, tier })));
      expect(config.role).to.equal(tier);
      expect(config.production).to.equal(true);
      expect(config.host).to.equal('0.0.0.0');
      expect(config.aws.region).to.equal('ap-northeast-1');
      expect(config.dynamodb.bootstrap).to.equal(false);
      expect(config.dr.source).to.equal('dynamodb');
      expect(config.aws.standbyRegion).to.equal('ap-northeast-1');
      expect(config.web.csrfSecretId).to.equal(tier === 'web' ? base.webCsrfSecretId : undefined);
    }
  });

  it('renderEnvFile: refuses values that could break out of the file (newline, quote, $)', () => {
    expect(() => renderEnvFile([['API_URL', 'http://x\nEVIL=1']])).to.throw('unsafe characters');
    expect(() => renderEnvFile([['A', '$(reboot)']])).to.throw('unsafe characters');
    expect(() => renderEnvFile([['a-b', 'x']])).to.throw('invalid environment key');
  });

  it('renderUserData: fetches the artifact from the given bucket, checks its hash, then the Node binary’s hash and version', () => {
    const script = renderUserData(base);
    const release = '/opt/megaticket/releases/0123456789abcdef';
    const lines = script.split('\n');
    const at = (fragment: string) => lines.findIndex((l) => l.includes(fragment));
    const steps = [
      "aws s3 cp --only-show-errors --region ap-northeast-1 's3://megaticket-artifacts-bucket-1234567/artifacts/megaticket-app-0123456789abcdef.tar.gz' /tmp/megaticket-app.tar.gz",
      `echo '${base.artifactSha256}  /tmp/megaticket-app.tar.gz' | sha256sum --check --strict`,
      `tar -xzf /tmp/megaticket-app.tar.gz -C ${release} --no-same-owner`,
      `echo '${base.node.sha256}  ${release}/runtime/node/bin/node' | sha256sum --check --strict`,
      `test "$(${release}/runtime/node/bin/node --version)" = 'v22.23.5'`,
      `ln -sfn ${release} /opt/megaticket/current`,
      'systemctl enable --now megaticket.service megaticket-logs.service',
    ];
    const positions = steps.map(at);
    expect(positions, 'every step present').not.to.include(-1);
    expect(
      [...positions].sort((a, b) => a - b),
      'in this order',
    ).to.deep.equal(positions);
    expect(script).to.include('set -euo pipefail');
    expect(envFromUserData(script)).to.deep.equal(Object.fromEntries(appEnvironment(base)));
  });

  it('renderUserData installs nothing: no package manager, downloader or build tool anywhere in the script', () => {
    for (const tier of ['web', 'api'] as const) {
      const script = renderUserData({ ...base, tier });
      const offending = script.split('\n').filter((line) => FORBIDDEN_AT_BOOT.test(line));
      expect(offending, tier).to.deep.equal([]);
    }
    expect(FORBIDDEN_AT_BOOT.test('dnf install -y nodejs20')).to.equal(true);
  });

  it('renderUserData: bash -n accepts it and it stays under the 16 KB user-data limit, for both tiers', () => {
    for (const tier of ['web', 'api'] as const) {
      const script = renderUserData({ ...base, tier });
      expect(lintUserData(script), tier).to.deep.equal([]);
      expect(Buffer.byteLength(script)).to.be.below(USER_DATA_LIMIT_BYTES);
    }
    expect(lintUserData('if then fi\n')[0]).to.match(/^bash -n: /);
    expect(lintUserData(`#!/bin/bash\n# ${'x'.repeat(USER_DATA_LIMIT_BYTES)}\n`)[0]).to.match(
      /over EC2's 16384-byte limit/,
    );
  });

  it('the app and its log shipper run as two non-root users under systemd, forever restarted, from the artifact’s runtime', () => {
    const script = renderUserData(base);
    expect(script).to.include('useradd --system --no-create-home --shell /sbin/nologin megaticket\n');
    expect(script).to.include('useradd --system --no-create-home --shell /sbin/nologin megaticket-logs\n');
    expect(script).to.include(systemdUnit('web', base.node.path));
    expect(script).to.include(
      logShipperUnit({ region: base.region, logGroup: base.logGroup, nodePath: base.node.path }),
    );
    const unit = systemdUnit('api', NODE_RUNTIME.binaryPath).split('\n');
    for (const line of [
      'User=megaticket',
      'EnvironmentFile=/etc/megaticket/megaticket.env',
      'Restart=always',
      'StartLimitIntervalSec=0',
      'NoNewPrivileges=true',
      'ProtectSystem=strict',
      'ExecStart=/opt/megaticket/current/runtime/node/bin/node /opt/megaticket/current/server.mjs',
    ]) {
      expect(unit, line).to.include(line);
    }
    const shipper = logShipperUnit({
      region: 'ap-northeast-1',
      logGroup: '/g',
      nodePath: NODE_RUNTIME.binaryPath,
    }).split('\n');
    for (const line of [
      'User=megaticket-logs',
      'SupplementaryGroups=systemd-journal',
      'Environment=AWS_REGION=ap-northeast-1 LOG_GROUP=/g JOURNAL_UNIT=megaticket.service',
      'StateDirectory=megaticket-logs',
      'ExecStart=/opt/megaticket/current/runtime/node/bin/node /opt/megaticket/current/log-shipper.mjs',
      'Restart=always',
    ]) {
      expect(shipper, line).to.include(line);
    }
  });

  it('log rotation: journald keeps the app’s output bounded in size and age (1 GB, 64 MB files, 14 days)', () => {
    expect(renderUserData(base)).to.include(
      `cat > /etc/systemd/journald.conf.d/megaticket.conf <<'MEGATICKET_JOURNALD'\n${JOURNALD_CONFIG}`,
    );
    expect(JOURNALD_CONFIG.split('\n')).to.include.members([
      'SystemMaxUse=1G',
      'SystemMaxFileSize=64M',
      'MaxRetentionSec=14day',
    ]);
  });

  it('renderUserData: refuses a malformed hash, version or unsafe bucket name', () => {
    expect(() => renderUserData({ ...base, artifactSha256: 'abc' })).to.throw('64 hex');
    expect(() => renderUserData({ ...base, node: { ...base.node, sha256: 'abc' } })).to.throw('node.sha256');
    expect(() => renderUserData({ ...base, node: { ...base.node, version: '22; reboot' } })).to.throw('node.version');
    expect(() => renderUserData({ ...base, artifactBucket: "b'; rm -rf /" })).to.throw('unsafe');
  });
});
