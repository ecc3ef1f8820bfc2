import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { artifactKey } from './naming.js';

/**
 * The app artifact as the stack sees it: a local file, its content hash, and the S3 key derived from the hash.
 * `pulumi up` reads the real file (built by `npm run bundle`); tests and the offline plan pass a stand-in so they never
 * need a build, and Pulumi mocks never read the asset's file.
 */
export interface Artifact {
  readonly path: string;
  readonly sha256: string;
  readonly key: string;
}

export function readArtifact(path: string): Artifact {
  if (!existsSync(path)) {
    throw new Error(`App artifact ${path} not found: run \`npm run bundle\` before \`pulumi up\`.`);
  }
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { path, sha256, key: artifactKey(sha256) };
}

/** A stand-in with a fixed hash, for runs under Pulumi mocks. */
export function placeholderArtifact(path: string): Artifact {
  const sha256 = createHash('sha256').update('megaticket offline placeholder artifact').digest('hex');
  return { path, sha256, key: artifactKey(sha256) };
}
