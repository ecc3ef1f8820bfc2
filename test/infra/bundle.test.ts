import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { tarGzip } from '../../scripts/bundle.js';

// The archive writer of `npm run bundle`. Does not build app/main.ts (that needs the app) or prove the instance can
// run it; it proves the artifact format the user data extracts.
const LONG_DIR = `${'d'.repeat(60)}/${'e'.repeat(50)}`;

describe('scripts/bundle tarGzip', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'megaticket-bundle-'));
    mkdirSync(join(dir, 'views', 'pages'), { recursive: true });
    writeFileSync(join(dir, 'server.mjs'), 'console.log("hi")\n');
    mkdirSync(join(dir, 'runtime', 'node', 'bin'), { recursive: true });
    writeFileSync(join(dir, 'runtime', 'node', 'bin', 'node'), '#!/bin/sh\necho v22\n', { mode: 0o755 });
    writeFileSync(join(dir, 'views', 'pages', 'home.eta'), '<h1>홈</h1>\n');
    // > 100 characters in total: stored with the ustar prefix field.
    mkdirSync(join(dir, 'views', LONG_DIR), { recursive: true });
    writeFileSync(join(dir, 'views', LONG_DIR, 'deep.eta'), 'long path\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is reproducible: the same files give byte-identical archives (so the S3 key and launch templates only change with content)', () => {
    expect(tarGzip(dir).equals(tarGzip(dir))).to.equal(true);
  });

  it('is a valid tar.gz GNU tar lists and extracts, with sorted entries, root owner, 0755 only for executables, intact content', () => {
    const archive = join(dir, '..', `${dir.split('/').pop()}.tar.gz`);
    writeFileSync(archive, tarGzip(dir));
    try {
      const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
      expect(listing).to.deep.equal([
        'runtime/node/bin/node',
        'server.mjs',
        `views/${LONG_DIR}/deep.eta`,
        'views/pages/home.eta',
      ]);
      const verbose = execFileSync('tar', ['-tzvf', archive], { encoding: 'utf8' });
      expect(verbose).to.match(/^-rw-r--r-- 0\/0 .* server\.mjs$/m);
      // The runtime must stay executable after extraction on the instance.
      expect(verbose).to.match(/^-rwxr-xr-x 0\/0 .* runtime\/node\/bin\/node$/m);
      const home = execFileSync('tar', ['-xzOf', archive, 'views/pages/home.eta'], { encoding: 'utf8' });
      expect(home).to.equal('<h1>홈</h1>\n');
      const deep = execFileSync('tar', ['-xzOf', archive, `views/${LONG_DIR}/deep.eta`], { encoding: 'utf8' });
      expect(deep).to.equal('long path\n');
    } finally {
      rmSync(archive, { force: true });
    }
  });
});
