import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { artifactKey } from './naming.js';
import { ARCHES, NODE_RUNTIME, type Arch } from './node-runtime.js';

/**
 * The app artifact as the stack sees it: the archive `npm run bundle` wrote, its content hash and S3 key, and what its
 * metadata file (`<archive>.json`, written beside it) says about the Node runtime inside: the architecture it was built
 * for and the sha256 the instance checks before starting it. `pulumi up` reads the real files; tests and the offline
 * plan pass a stand-in so they never need a build, and Pulumi mocks never read the asset's file.
 */
export interface Artifact {
  readonly path: string;
  readonly sha256: string;
  readonly key: string;
  readonly arch: Arch;
  readonly node: { readonly version: string; readonly sha256: string; readonly path: string };
}

export const artifactMetadataSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  arch: z.enum(ARCHES as [Arch, ...Arch[]]),
  node: z.object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    path: z.string().regex(/^[a-z0-9/_.-]+$/),
  }),
});
export type ArtifactMetadata = z.infer<typeof artifactMetadataSchema>;

export const metadataPathOf = (archivePath: string) => archivePath.replace(/\.tar\.gz$/, '.json');

export function readArtifact(path: string): Artifact {
  const metadataPath = metadataPathOf(path);
  if (!existsSync(path) || !existsSync(metadataPath)) {
    throw new Error(
      `App artifact ${path} (and ${metadataPath}) not found: run \`npm run bundle\` before \`pulumi up\`.`,
    );
  }
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  const metadata = artifactMetadataSchema.parse(JSON.parse(readFileSync(metadataPath, 'utf8')));
  if (metadata.sha256 !== sha256) {
    throw new Error(`${metadataPath} describes another archive than ${path}: run \`npm run bundle\` again.`);
  }
  return { path, sha256, key: artifactKey(sha256), arch: metadata.arch, node: metadata.node };
}

/** A stand-in with a fixed hash and the pinned runtime, for runs under Pulumi mocks. */
export function placeholderArtifact(path: string, arch: Arch = 'arm64'): Artifact {
  const sha256 = createHash('sha256').update('megaticket offline placeholder artifact').digest('hex');
  return {
    path,
    sha256,
    key: artifactKey(sha256),
    arch,
    node: {
      version: NODE_RUNTIME.version,
      sha256: NODE_RUNTIME.packages[arch].nodeSha256,
      path: NODE_RUNTIME.binaryPath,
    },
  };
}

/** Graviton families (a1, t4g, m7g, c7gn, r8gd, …) are arm64; every other instance family is x86_64. */
export function instanceArch(instanceType: string): Arch {
  return /^(a1|[a-z]+\d+g[a-z]*)\./.test(instanceType) ? 'arm64' : 'x64';
}
