import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('loadConfig', () => {
  it('an empty environment yields the local defaults: both roles, embedded DynamoDB Local, Seoul, 600 s holds', () => {
    const config = loadConfig({});
    expect(config.role).to.equal('all');
    expect(config.dynamodb).to.include({ mode: 'embedded', tablePrefix: 'megaticket', bootstrap: true });
    expect(config.aws).to.deep.equal({
      region: 'ap-northeast-2',
      primaryRegion: 'ap-northeast-2',
      standbyRegion: 'ap-northeast-1',
    });
    expect(config.booking).to.deep.equal({ holdSeconds: 600, bookingFeeKrw: 2000, drGraceSeconds: 1800 });
    expect(config.web.port).to.equal(3000);
    expect(config.api.port).to.equal(3001);
  });

  it('a malformed value stops start-up naming the variable', () => {
    expect(() => loadConfig({ HOLD_SECONDS: 'ten' })).to.throw(ConfigError, /HOLD_SECONDS/);
    expect(() => loadConfig({ AWS_REGION: 'seoul' })).to.throw(ConfigError, /AWS_REGION/);
    expect(() => loadConfig({ MEGATICKET_ROLE: 'worker' })).to.throw(ConfigError, /MEGATICKET_ROLE/);
    expect(() => loadConfig({ API_URL: 'not a url' })).to.throw(ConfigError, /API_URL/);
  });

  it('the web role without API_URL is refused: it must be given its region-local API', () => {
    expect(() => loadConfig({ MEGATICKET_ROLE: 'web' })).to.throw(ConfigError, /API_URL: required/);
    expect(loadConfig({ MEGATICKET_ROLE: 'web', API_URL: 'http://internal-nlb:3001' }).web.apiUrl).to.equal(
      'http://internal-nlb:3001',
    );
  });

  it('production without an explicit AWS_REGION is refused (the Seoul default must never label a Tokyo instance)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(
      ConfigError,
      /AWS_REGION: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', AWS_REGION: '' })).to.throw(ConfigError, /AWS_REGION/);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        AWS_REGION: 'ap-northeast-1',
        MEGATICKET_ROLE: 'api',
        ADMISSION_KEY: Buffer.alloc(32, 7).toString('base64url'),
      }).aws.region,
    ).to.equal('ap-northeast-1');
    expect(loadConfig({}).aws.region).to.equal('ap-northeast-2');
  });

  it('an empty string counts as unset (an env file line FOO= keeps the default)', () => {
    expect(loadConfig({ HOLD_SECONDS: '' }).booking.holdSeconds).to.equal(600);
  });

  it('external DynamoDB does not bootstrap tables unless asked', () => {
    expect(loadConfig({ DYNAMODB_MODE: 'external' }).dynamodb.bootstrap).to.equal(false);
    expect(loadConfig({ DYNAMODB_MODE: 'external', BOOTSTRAP_TABLES: 'true' }).dynamodb.bootstrap).to.equal(true);
  });

  it('the admission key: required for the API in production (directly or as a Secrets Manager secret), never a dev default', () => {
    const key = Buffer.alloc(32, 7).toString('base64url');
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /ADMISSION_KEY_SECRET_ID: required/);
    const region = { AWS_REGION: 'ap-northeast-2', MEGATICKET_ROLE: 'api' };
    expect(loadConfig({ NODE_ENV: 'production', ADMISSION_KEY: key, ...region }).queue.admissionKey).to.equal(key);
    const seoulCopy = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:megaticket-admission-key-AbCdEf';
    expect(
      loadConfig({ NODE_ENV: 'production', ADMISSION_KEY_SECRET_ID: seoulCopy, ...region }).queue.admissionKeySecretId,
    ).to.equal(seoulCopy);
    // The web tier never signs or verifies admissions.
    expect(
      loadConfig({
        NODE_ENV: 'production',
        AWS_REGION: 'ap-northeast-2',
        MEGATICKET_ROLE: 'web',
        API_URL: 'http://nlb:3001',
        WEB_CSRF_SECRET: 'k'.repeat(32),
      }).role,
    ).to.equal('web');
    expect(loadConfig({}).queue).to.deep.equal({
      admissionKey: undefined,
      admissionKeySecretId: undefined,
      admissionKeyFile: '.megaticket/admission-key',
    });
  });

  it("the admission key's secret: another region's copy, or both a secret and a key, is refused naming the variable", () => {
    const tokyoCopy = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:megaticket-admission-key-AbCdEf';
    expect(() => loadConfig({ AWS_REGION: 'ap-northeast-2', ADMISSION_KEY_SECRET_ID: tokyoCopy })).to.throw(
      ConfigError,
      /ADMISSION_KEY_SECRET_ID: names a secret in ap-northeast-1, but this instance serves ap-northeast-2/,
    );
    expect(() =>
      loadConfig({ ADMISSION_KEY: Buffer.alloc(32, 7).toString('base64url'), ADMISSION_KEY_SECRET_ID: 'admission' }),
    ).to.throw(ConfigError, /ADMISSION_KEY_SECRET_ID: set either it or ADMISSION_KEY, not both/);
    expect(() => loadConfig({ ADMISSION_KEY_SECRET_ID: 'bad id with spaces' })).to.throw(
      ConfigError,
      /ADMISSION_KEY_SECRET_ID/,
    );
  });

  it('a short or non-base64url admission key is refused naming ADMISSION_KEY', () => {
    expect(() => loadConfig({ ADMISSION_KEY: 'c2hvcnQ' })).to.throw(ConfigError, /ADMISSION_KEY/);
    expect(() => loadConfig({ ADMISSION_KEY: '!'.repeat(50) })).to.throw(ConfigError, /ADMISSION_KEY/);
  });

  it('the assistant fallback policy defaults to SPEC §5 and is configurable; a malformed list names the variable', () => {
    expect(loadConfig({}).assistant.policy).to.deep.equal({
      fallbackStatuses: [400, 401, 403, 404, 429, 503],
      retryStatuses: [500, 502, 504],
      retryDelaysMs: [1000, 1500],
      firstEventTimeoutMs: { primary: 10_000, fallback: 15_000 },
      streamIdleMs: 30_000,
    });
    const custom = loadConfig({ ASSISTANT_RETRY_STATUSES: '500, 504', ASSISTANT_RETRY_DELAYS_MS: '200' });
    expect(custom.assistant.policy.retryStatuses).to.deep.equal([500, 504]);
    expect(custom.assistant.policy.retryDelaysMs).to.deep.equal([200]);
    expect(() => loadConfig({ ASSISTANT_FALLBACK_STATUSES: '429,abc' })).to.throw(
      ConfigError,
      /ASSISTANT_FALLBACK_STATUSES/,
    );
    expect(() => loadConfig({ ASSISTANT_PRIMARY_TIMEOUT_MS: '0' })).to.throw(
      ConfigError,
      /ASSISTANT_PRIMARY_TIMEOUT_MS/,
    );
  });

  describe('the web tier’s CSRF key source', () => {
    const ARN = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:megaticket-csrf-AbCdEf';
    const prod = { NODE_ENV: 'production', AWS_REGION: 'ap-northeast-2' };

    it('production with the web tier and no key source is refused, naming WEB_CSRF_SECRET_ID; the API role needs none', () => {
      for (const role of ['web', 'all']) {
        expect(() => loadConfig({ ...prod, MEGATICKET_ROLE: role, API_URL: 'http://nlb:3001' })).to.throw(
          ConfigError,
          /WEB_CSRF_SECRET_ID: required when NODE_ENV=production and the web tier runs/,
        );
      }
      const admissionKey = Buffer.alloc(32, 7).toString('base64url');
      expect(loadConfig({ ...prod, MEGATICKET_ROLE: 'api', ADMISSION_KEY: admissionKey }).web.csrfSecretId).to.equal(
        undefined,
      );
    });

    it('production accepts the secret id (AWS) or a direct key (one machine); development needs neither', () => {
      const web = { ...prod, MEGATICKET_ROLE: 'web', API_URL: 'http://nlb:3001' };
      expect(loadConfig({ ...web, WEB_CSRF_SECRET_ID: ARN }).web.csrfSecretId).to.equal(ARN);
      expect(loadConfig({ ...web, WEB_CSRF_SECRET_ID: 'megaticket-csrf' }).web.csrfSecretId).to.equal(
        'megaticket-csrf',
      );
      expect(loadConfig({ ...web, WEB_CSRF_SECRET: 'k'.repeat(32) }).web.csrfSecret).to.equal('k'.repeat(32));
      expect(loadConfig({}).web).to.include({ csrfSecret: undefined, csrfSecretId: undefined });
    });

    it('both sources at once, a short key, a malformed id or another region’s ARN are refused by name', () => {
      expect(() => loadConfig({ WEB_CSRF_SECRET_ID: ARN, WEB_CSRF_SECRET: 'k'.repeat(32) })).to.throw(
        ConfigError,
        /set either it or WEB_CSRF_SECRET, not both/,
      );
      expect(() => loadConfig({ WEB_CSRF_SECRET: 'k'.repeat(31) })).to.throw(
        ConfigError,
        /WEB_CSRF_SECRET: at least 32/,
      );
      expect(() => loadConfig({ WEB_CSRF_SECRET_ID: 'has space' })).to.throw(ConfigError, /WEB_CSRF_SECRET_ID/);
      // Tokyo's instances read Tokyo's replica: the Seoul ARN there would be another region's secret.
      expect(() => loadConfig({ AWS_REGION: 'ap-northeast-1', WEB_CSRF_SECRET_ID: ARN })).to.throw(
        ConfigError,
        /WEB_CSRF_SECRET_ID: names a secret in ap-northeast-2, but this instance serves ap-northeast-1/,
      );
    });

    it('STANDBY_REGION defaults to Tokyo and must differ from PRIMARY_REGION', () => {
      expect(loadConfig({ STANDBY_REGION: 'ap-southeast-1' }).aws.standbyRegion).to.equal('ap-southeast-1');
      expect(() => loadConfig({ STANDBY_REGION: 'ap-northeast-2' })).to.throw(ConfigError, /STANDBY_REGION/);
    });
  });
});
