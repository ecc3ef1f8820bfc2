import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { decodeKey } from '../queue/signed-token.js';

/**
 * The waiting room's HMAC key, resolved once at start: ADMISSION_KEY, else the SSM SecureString named by
 * ADMISSION_KEY_PARAMETER (AWS), else — never in production — a development key generated once and kept in
 * ADMISSION_KEY_FILE, so every local process (and both regions of the local drill) shares it across restarts.
 */
export async function resolveAdmissionKey(config: Config, ssm?: SSMClient): Promise<Buffer> {
  const { admissionKey, admissionKeyParameter, admissionKeyFile } = config.queue;
  if (admissionKey) return decodeKey(admissionKey);
  if (admissionKeyParameter) {
    const client = ssm ?? new SSMClient({ region: config.aws.region });
    const { Parameter } = await client.send(
      new GetParameterCommand({ Name: admissionKeyParameter, WithDecryption: true }),
    );
    if (!Parameter?.Value) throw new ConfigError([`ADMISSION_KEY_PARAMETER: ${admissionKeyParameter} has no value`]);
    try {
      return decodeKey(Parameter.Value.trim());
    } catch {
      throw new ConfigError([`ADMISSION_KEY_PARAMETER: ${admissionKeyParameter} is not base64url of ≥ 32 bytes`]);
    }
  }
  if (config.production) throw new ConfigError(['ADMISSION_KEY: required when NODE_ENV=production']);
  return developmentKey(admissionKeyFile);
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
