import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { instanceArch, readArtifact } from '../../infra/artifact.js';

describe('infra/artifact', () => {
  it('instanceArch: Graviton families are arm64, every other family x64', () => {
    for (const t of ['t4g.small', 'm7g.large', 'c7gn.xlarge', 'r8gd.2xlarge', 'a1.medium', 'im4gn.large']) {
      expect(instanceArch(t), t).to.equal('arm64');
    }
    for (const t of ['t3.small', 'm7i.large', 'c6a.xlarge', 'r5dn.large', 'g5.xlarge']) {
      expect(instanceArch(t), t).to.equal('x64');
    }
  });

  it('readArtifact: takes arch and runtime from the metadata beside the archive, and refuses metadata of another archive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'megaticket-artifact-'));
    try {
      const archive = join(dir, 'megaticket-app.tar.gz');
      writeFileSync(archive, 'archive bytes');
      const sha256 = createHash('sha256').update('archive bytes').digest('hex');
      const node = { version: '22.23.5', sha256: 'a'.repeat(64), path: 'runtime/node/bin/node' };
      writeFileSync(join(dir, 'megaticket-app.json'), JSON.stringify({ sha256, arch: 'x64', node }));
      expect(readArtifact(archive)).to.deep.include({ sha256, arch: 'x64', node });
      writeFileSync(archive, 'rebuilt without metadata');
      expect(() => readArtifact(archive)).to.throw('describes another archive');
      rmSync(join(dir, 'megaticket-app.json'));
      expect(() => readArtifact(archive)).to.throw('npm run bundle');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
