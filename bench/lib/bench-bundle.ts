import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { ESM_REQUIRE_BANNER } from '../../scripts/bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `app/main.ts` bundled by esbuild as the deployed artifact is (`npm run bundle`, the same banner), so a benchmark runs the
 * code the instances run, without tsx's loader hooks on the request path (the AWS SDK resolves a `require` per
 * event-stream request, which tsx's resolver makes measurably slow). Written to `dist/bench-server.mjs`: one level
 * below the repository root, where the app finds views/ and public/ as it does in the artifact.
 */
export async function bundleApp(): Promise<string> {
  return bundleEntry('app/main.ts', 'dist/bench-server.mjs');
}

/** Any entry point (a path from the repository root) bundled the same way, to `outfile` (also from the root). */
export async function bundleEntry(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [`${ROOT}${entry}`],
    outfile: `${ROOT}${outfile}`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'warning',
  });
  return `${ROOT}${outfile}`;
}
