import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { placeholderArtifact } from '../artifact.js';
import type { Arch } from '../node-runtime.js';
import { PROJECT, loadConfig, type StackConfig } from '../config.js';
import { createStack, type PrimaryOutputReadByStandby, type StackOutputs } from '../stack.js';
import { OFFLINE_ACCOUNT_ID, createMocks, type RecordedResource } from './mocks.js';
import { stackConfigValues } from './stack-files.js';

/**
 * Runs the real Pulumi program for one stack under mocks, with that stack's real Pulumi.<stack>.yaml (plus optional
 * overrides), and returns every resource with its resolved inputs and the options a transformation on the root
 * component saw (`ignoreChanges`, `protect`, parent), which mocks alone cannot show.
 *
 * Each run installs fresh mocks and config before building the stack, so seoul and tokyo can run one after the other
 * in one process without sharing state.
 */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CapturedOptions {
  readonly ignoreChanges: readonly string[];
  readonly protect: boolean;
  readonly parent?: string;
  /** Logical names of explicit `dependsOn` resources (when given as a plain array). */
  readonly dependsOn: readonly string[];
  /** The types of the resource's `aliases` given as objects (what keeps a renamed resource in place). */
  readonly aliasTypes: readonly string[];
}

export interface StackResource extends RecordedResource {
  readonly options: CapturedOptions;
}

export interface OfflineRun {
  readonly stack: string;
  readonly config: StackConfig;
  readonly resources: readonly StackResource[];
  readonly outputs: Record<string, unknown>;
  /** Provider functions the program called (getCallerIdentity, the AMI parameter, …) with their inputs. */
  readonly calls: readonly { readonly token: string; readonly inputs: unknown }[];
}

export interface OfflineRunOptions {
  /** Extra `namespace:key` config values on top of the stack file (e.g. a domain and certificate). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Outputs the primary stack would export, for the standby's StackReference. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
  readonly root?: string;
  /** The architecture of the stand-in artifact (arm64, like `npm run bundle`'s default). */
  readonly artifactArch?: Arch;
}

/** Outputs the primary (seoul) stack would export: what the standby's StackReference reads. */
export const PRIMARY_OUTPUTS_FOR_OFFLINE: Readonly<Record<PrimaryOutputReadByStandby, string>> = {
  albDnsName: 'megaticket-lb-alb-0a1b2c3d4e.ap-northeast-2.elb.amazonaws.com',
  albZoneId: 'ZWKZPGTI48KDX',
  albProtocol: 'HTTPS',
  webCsrfSecretArn: `arn:aws:secretsmanager:ap-northeast-2:${OFFLINE_ACCOUNT_ID}:secret:megaticket-csrf-key-secret-0a1b2c3-AbCdEf`,
  admissionKeySecretArn: `arn:aws:secretsmanager:ap-northeast-2:${OFFLINE_ACCOUNT_ID}:secret:megaticket-admission-key-secret-4d5e6f7-GhIjKl`,
};

type WaitForRpcs = () => Promise<void>;

function settle<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => {
    pulumi.output(value).apply((v) => {
      resolve(v);
      return v;
    });
  });
}

export async function runOffline(stack: string, options: OfflineRunOptions = {}): Promise<OfflineRun> {
  const values = stackConfigValues(options.root ?? REPO_ROOT, stack, options.overrides);
  const region = values['aws:region'];
  if (!region) throw new Error(`Pulumi.${stack}.yaml sets no aws:region`);

  const mocks = createMocks({ stack, region, stackOutputs: options.stackOutputs });
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  pulumi.runtime.setAllConfig(values);

  const captured = new Map<string, CapturedOptions>();
  const names = new WeakMap<pulumi.Resource, string>();
  const capture: pulumi.ResourceTransformation = (args) => {
    names.set(args.resource, args.name);
    const ignore = args.opts.ignoreChanges ?? [];
    captured.set(`${args.type}::${args.name}`, {
      ignoreChanges: [...ignore],
      protect: args.opts.protect === true,
      parent: args.opts.parent ? names.get(args.opts.parent) : undefined,
      dependsOn: (Array.isArray(args.opts.dependsOn) ? args.opts.dependsOn : [args.opts.dependsOn])
        .filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d))
        .map((d) => names.get(d) ?? '?'),
      aliasTypes: (args.opts.aliases ?? []).flatMap((a) =>
        typeof a === 'object' && 'type' in a && typeof a.type === 'string' ? [a.type] : [],
      ),
    });
    return undefined;
  };

  const config = loadConfig();
  const outputs: StackOutputs = createStack(
    config,
    { artifact: placeholderArtifact(config.artifactPath, options.artifactArch) },
    {
      transformations: [capture],
    },
  );
  const resolved = (await settle(outputs as unknown as Record<string, pulumi.Input<unknown>>)) as Record<
    string,
    unknown
  >;
  // Resources registered inside applies (none today) would still be in flight: drain the RPC queue too.
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: WaitForRpcs }).waitForRPCs;
  if (waitForRPCs) await waitForRPCs();

  const resources = mocks.resources.map((r) => ({
    ...r,
    options: captured.get(`${r.type}::${r.name}`) ?? {
      ignoreChanges: [],
      protect: false,
      dependsOn: [],
      aliasTypes: [],
    },
  }));
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.type}::${r.name}`;
    if (seen.has(key)) throw new Error(`two resources share type and name: ${key}`);
    seen.add(key);
  }
  return { stack, config, resources, outputs: resolved, calls: mocks.calls };
}
