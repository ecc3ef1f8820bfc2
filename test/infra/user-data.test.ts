import { expect } from 'chai';
import { loadConfig as loadAppConfig } from '../../app/config.js';
import {
  appEnvironment,
  envFromUserData,
  renderEnvFile,
  renderUserData,
  systemdUnit,
  type UserDataInput,
} from '../../infra/user-data.js';

// Pure rendering. Does not prove the script succeeds on a real AL2023 instance (packages, network, IAM at boot).
const base: UserDataInput = {
  tier: 'web',
  region: 'ap-northeast-1',
  primaryRegion: 'ap-northeast-2',
  tablePrefix: 'megaticket',
  nlbDnsName: 'megaticket-lb-nlb-abc.elb.ap-northeast-1.amazonaws.com',
  bedrockPrimaryModelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
  bedrockFallbackModelId: 'apac.amazon.nova-lite-v1:0',
  tls: true,
  artifactBucket: 'megaticket-artifacts-bucket-1234567',
  artifactKey: 'artifacts/megaticket-app-0123456789abcdef.tar.gz',
  artifactSha256: '0123456789abcdef'.repeat(4),
  logGroup: '/megaticket/web',
};

describe('infra/user-data', () => {
  it('appEnvironment(web): exact keys; API_URL is the given NLB on 3001; COOKIE_SECURE only with TLS; no Bedrock', () => {
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
      COOKIE_SECURE: 'true',
    });
    expect(Object.keys(Object.fromEntries(appEnvironment({ ...base, tls: false })))).not.to.include('COOKIE_SECURE');
  });

  it('appEnvironment(api): Bedrock mode and both model ids; no API_URL', () => {
    const env = Object.fromEntries(appEnvironment({ ...base, tier: 'api' }));
    expect(env).to.include({
      MEGATICKET_ROLE: 'api',
      ASSISTANT_MODE: 'bedrock',
      BEDROCK_PRIMARY_MODEL_ID: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      BEDROCK_FALLBACK_MODEL_ID: 'apac.amazon.nova-lite-v1:0',
    });
    expect(env).not.to.have.property('API_URL');
  });

  it('both environments pass the app’s own config schema (app/config.ts), so instances start', () => {
    for (const tier of ['web', 'api'] as const) {
      const config = loadAppConfig(Object.fromEntries(appEnvironment({ ...base, tier })));
      expect(config.role).to.equal(tier);
      expect(config.host).to.equal('0.0.0.0');
      expect(config.aws.region).to.equal('ap-northeast-1');
      expect(config.dynamodb.bootstrap).to.equal(false);
    }
  });

  it('renderEnvFile: refuses values that could break out of the file (newline, quote, $)', () => {
    expect(() => renderEnvFile([['API_URL', 'http://x\nEVIL=1']])).to.throw('unsafe characters');
    expect(() => renderEnvFile([['A', '$(reboot)']])).to.throw('unsafe characters');
    expect(() => renderEnvFile([['a-b', 'x']])).to.throw('invalid environment key');
  });

  it('renderUserData: installs the prebuilt artifact, checks its hash, no build and no git at boot', () => {
    const script = renderUserData(base);
    expect(script.startsWith('#!/bin/bash\n')).to.equal(true);
    expect(script).to.include('set -euo pipefail');
    expect(script).to.include(
      "aws s3 cp --region ap-northeast-1 's3://megaticket-artifacts-bucket-1234567/artifacts/megaticket-app-0123456789abcdef.tar.gz'",
    );
    expect(script).to.include(`echo '${base.artifactSha256}  /tmp/megaticket-app.tar.gz' | sha256sum --check --strict`);
    for (const forbidden of ['git clone', 'npm install', 'npm ci', 'npm run build', 'tsc', 'esbuild']) {
      expect(script, forbidden).not.to.include(forbidden);
    }
    expect(envFromUserData(script)).to.deep.equal(Object.fromEntries(appEnvironment(base)));
  });

  it('renderUserData: starts a systemd service as the non-root user, enabled for every boot', () => {
    const script = renderUserData(base);
    expect(script).to.include('useradd --system --no-create-home --shell /sbin/nologin megaticket');
    expect(script).to.include('systemctl enable --now megaticket.service');
    expect(script).to.include(systemdUnit('web'));
  });

  it('systemdUnit: Restart=always, no start limit, non-root user, env file, hardening', () => {
    const unit = systemdUnit('api');
    for (const line of [
      'User=megaticket',
      'Group=megaticket',
      'EnvironmentFile=/etc/megaticket/megaticket.env',
      'Restart=always',
      'StartLimitIntervalSec=0',
      'NoNewPrivileges=true',
      'ProtectSystem=strict',
      'WantedBy=multi-user.target',
      'ExecStart=/usr/local/bin/megaticket-node /opt/megaticket/current/server.mjs',
    ]) {
      expect(unit.split('\n'), line).to.include(line);
    }
    expect(unit).not.to.match(/^User=root/m);
  });

  it('renderUserData: refuses a malformed hash or unsafe bucket name', () => {
    expect(() => renderUserData({ ...base, artifactSha256: 'abc' })).to.throw('64 hex');
    expect(() => renderUserData({ ...base, artifactBucket: "b'; rm -rf /" })).to.throw('unsafe');
  });
});
