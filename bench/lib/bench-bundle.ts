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
  const outfile = `${ROOT}dist/bench-server.mjs`;
  await build({
    entryPoints: [`${ROOT}app/main.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'warning',
  });
  return outfile;
}
