import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where a running `npm start` says its embedded DynamoDB Local listens (an ephemeral port), so local operator
 * commands (`npm run queue`) find the same database without being told. Removed again when the app stops.
 */
export const RUNNING_ENDPOINT_FILE = '.megaticket/dynamodb-endpoint';

export async function recordRunningEndpoint(
  endpoint: string,
  path = RUNNING_ENDPOINT_FILE,
): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${endpoint}\n`);
  return async () => {
    if ((await runningEndpoint(path)) === endpoint) await rm(path, { force: true });
  };
}

export async function runningEndpoint(path = RUNNING_ENDPOINT_FILE): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
