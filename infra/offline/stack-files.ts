import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { PROJECT } from '../config.js';

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI presents them to a program: project defaults first,
 * stack values on top, every value a string (objects as JSON). Used by the offline plan and the mock tests so they
 * run the real stack files, not a copy.
 */
export interface ProjectKey {
  readonly type: string;
  readonly description?: string;
  readonly default?: unknown;
}

function readYaml(path: string): Record<string, unknown> {
  const parsed = yaml.load(readFileSync(path, 'utf8'), { filename: path });
  if (parsed === null || typeof parsed !== 'object') throw new Error(`${path} is not a YAML mapping`);
  return parsed as Record<string, unknown>;
}

export function readProject(root: string): {
  name: string;
  main?: string;
  runtime: unknown;
  config: Record<string, ProjectKey>;
} {
  const project = readYaml(join(root, 'Pulumi.yaml'));
  return {
    name: String(project['name']),
    main: project['main'] === undefined ? undefined : String(project['main']),
    runtime: project['runtime'],
    config: (project['config'] ?? {}) as Record<string, ProjectKey>,
  };
}

export function readStackFile(root: string, stack: string): Record<string, unknown> {
  const file = readYaml(join(root, `Pulumi.${stack}.yaml`));
  return (file['config'] ?? {}) as Record<string, unknown>;
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Fully-qualified config (`megaticket:vpcCidr`, `aws:region`, …) → string, as `pulumi.runtime.setAllConfig` takes it. */
export function stackConfigValues(
  root: string,
  stack: string,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, spec] of Object.entries(readProject(root).config)) {
    if (spec.default !== undefined) values[key.includes(':') ? key : `${PROJECT}:${key}`] = asString(spec.default);
  }
  for (const [key, value] of Object.entries(readStackFile(root, stack))) values[key] = asString(value);
  return { ...values, ...overrides };
}

/** The `megaticket:*` part of a config map, without the namespace, for `parseStackConfig`. */
export function projectValues(values: Readonly<Record<string, string>>): Record<string, string> {
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}
