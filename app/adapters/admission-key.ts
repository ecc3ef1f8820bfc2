import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import type { Log } from '../shared/log.js';
import { decodeKey } from '../queue/signed-token.js';
import {
  createSecretsManagerClient,
  readStagedSecret,
  stagedVersions,
  type SecretsManagerConnection,
} from './secrets/staged-secret.js';

/** The waiting room's HMAC keys: one signs; during a rotation the others are still accepted when verifying. */
export interface AdmissionKeys {
  readonly signing: Buffer;
  readonly alsoAccepted: readonly Buffer[];
}

/**
 * The waiting room's keys, resolved once at start: ADMISSION_KEY; else the Secrets Manager secret named by
 * ADMISSION_KEY_SECRET_ID (AWS: this region's copy of the deployment's secret — AWSCURRENT signs, AWSPENDING and
 * AWSPREVIOUS are still accepted, so a rotation never strands an admitted user); else — never in production — a
 * development key generated once and kept in ADMISSION_KEY_FILE, so every local process (and both regions of the
 * local drill) shares it across restarts.
 */
export async function resolveAdmissionKeys(
  config: Config,
  log: Log,
  connection: Partial<SecretsManagerConnection> = {},
): Promise<AdmissionKeys> {
  const { admissionKey, admissionKeySecretId, admissionKeyFile } = config.queue;
  if (admissionKey) return { signing: decodeKey(admissionKey), alsoAccepted: [] };
  if (admissionKeySecretId) return secretKeys(config, admissionKeySecretId, log, connection);
  if (config.production) throw new ConfigError(['ADMISSION_KEY: required when NODE_ENV=production']);
  return { signing: await developmentKey(admissionKeyFile), alsoAccepted: [] };
}

async function secretKeys(
  config: Config,
  secretId: string,
  log: Log,
  connection: Partial<SecretsManagerConnection>,
): Promise<AdmissionKeys> {
  const client = createSecretsManagerClient({ region: config.aws.region, ...connection });
  try {
    const secret = await readStagedSecret(client, secretId, 'ADMISSION_KEY_SECRET_ID');
    const decode = (value: string, stage: string) => {
      try {
        return decodeKey(value.trim());
      } catch {
        throw new ConfigError([`ADMISSION_KEY_SECRET_ID: ${secretId} (${stage}) is not base64 of ≥ 32 bytes`]);
      }
    };
    const keys = {
      signing: decode(secret.AWSCURRENT.value, 'AWSCURRENT'),
      alsoAccepted: [
        ...(secret.AWSPENDING ? [decode(secret.AWSPENDING.value, 'AWSPENDING')] : []),
        ...(secret.AWSPREVIOUS ? [decode(secret.AWSPREVIOUS.value, 'AWSPREVIOUS')] : []),
      ],
    };
    log('admission keys loaded', undefined, stagedVersions(secretId, secret));
    return keys;
  } finally {
    client.destroy();
  }
}

async function developmentKey(path: string): Promise<Buffer> {
  try {
    return decodeKey((await readFile(path, 'utf8')).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    // Exclusive create: two processes starting together end up with the one key that was written first.
    await writeFile(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey((await readFile(path, 'utf8')).trim());
}
