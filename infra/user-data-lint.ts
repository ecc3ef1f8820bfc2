import { spawnSync } from 'node:child_process';
import { USER_DATA_LIMIT_BYTES } from './user-data.js';

/**
 * Checks a rendered user-data script the way an instance would first fail on it: over EC2's 16 KB limit, or not
 * parseable by bash (`bash -n`). Returns the problems; empty means it would at least start. Used by the mock tests and
 * by the CI artifact smoke test (scripts/smoke-artifact.ts).
 */
export function lintUserData(script: string): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(script);
  if (bytes > USER_DATA_LIMIT_BYTES) problems.push(`${bytes} bytes, over EC2's ${USER_DATA_LIMIT_BYTES}-byte limit`);
  const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  if (check.error) problems.push(`bash -n could not run: ${check.error.message}`);
  else if (check.status !== 0) problems.push(`bash -n: ${check.stderr.trim()}`);
  return problems;
}

/** Package managers and build tools that must never run at boot (a regional outage takes their mirrors too). */
export const FORBIDDEN_AT_BOOT =
  /\b(dnf|yum|rpm|apt-get|apt|pip3?|npm|npx|yarn|pnpm|curl|wget|git|tsc|esbuild|amazon-linux-extras)\b/;
