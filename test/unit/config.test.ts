import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../app/config.js';

describe('loadConfig', () => {
  it('an empty environment yields the local defaults: both roles, embedded DynamoDB Local, Seoul, 600 s holds', () => {
    const config = loadConfig({});
    expect(config.role).to.equal('all');
    expect(config.dynamodb).to.include({ mode: 'embedded', tablePrefix: 'megaticket', bootstrap: true });
    expect(config.aws).to.deep.equal({ region: 'ap-northeast-2', primaryRegion: 'ap-northeast-2' });
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
    const key = { ADMISSION_KEY: Buffer.alloc(32, 7).toString('base64url') };
    expect(loadConfig({ NODE_ENV: 'production', AWS_REGION: 'ap-northeast-1', ...key }).aws.region).to.equal(
      'ap-northeast-1',
    );
    expect(loadConfig({}).aws.region).to.equal('ap-northeast-2');
  });

  it('an empty string counts as unset (an env file line FOO= keeps the default)', () => {
    expect(loadConfig({ HOLD_SECONDS: '' }).booking.holdSeconds).to.equal(600);
  });

  it('external DynamoDB does not bootstrap tables unless asked', () => {
    expect(loadConfig({ DYNAMODB_MODE: 'external' }).dynamodb.bootstrap).to.equal(false);
    expect(loadConfig({ DYNAMODB_MODE: 'external', BOOTSTRAP_TABLES: 'true' }).dynamodb.bootstrap).to.equal(true);
  });

  it('the admission key: required for the API in production (directly or as an SSM parameter), never a dev default', () => {
    const key = Buffer.alloc(32, 7).toString('base64url');
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /ADMISSION_KEY: required/);
    const region = { AWS_REGION: 'ap-northeast-2' };
    expect(loadConfig({ NODE_ENV: 'production', ADMISSION_KEY: key, ...region }).queue.admissionKey).to.equal(key);
    expect(
      loadConfig({ NODE_ENV: 'production', ADMISSION_KEY_PARAMETER: '/megaticket/admission-key', ...region }).queue
        .admissionKeyParameter,
    ).to.equal('/megaticket/admission-key');
    // The web tier never signs or verifies admissions.
    expect(
      loadConfig({ NODE_ENV: 'production', MEGATICKET_ROLE: 'web', API_URL: 'http://nlb:3001', ...region }).role,
    ).to.equal('web');
    expect(loadConfig({}).queue).to.deep.equal({
      admissionKey: undefined,
      admissionKeyParameter: undefined,
      admissionKeyFile: '.megaticket/admission-key',
    });
  });

  it('a short or non-base64url admission key is refused naming ADMISSION_KEY', () => {
    expect(() => loadConfig({ ADMISSION_KEY: 'c2hvcnQ' })).to.throw(ConfigError, /ADMISSION_KEY/);
    expect(() => loadConfig({ ADMISSION_KEY: '!'.repeat(50) })).to.throw(ConfigError, /ADMISSION_KEY/);
  });
});
