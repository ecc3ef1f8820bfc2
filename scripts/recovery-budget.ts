/**
 * `npm run dr:budget [-- --write | --check]`: the failover RTO budget computed from the committed standby stack
 * configuration (infra/recovery-budget.ts). Prints it; `--write` puts it into docs/disaster-recovery.md between the
 * recovery-budget markers; `--check` exits 1 when the document is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parseStackConfig, type RawConfig, type StackConfig } from '../infra/config.js';
import { projectValues, stackConfigValues } from '../infra/offline/stack-files.js';
import { renderBudget } from '../infra/recovery-budget.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DR_DOC = join(ROOT, 'docs', 'disaster-recovery.md');
const START = '<!-- recovery-budget:start (generated: npm run dr:budget -- --write) -->';
const END = '<!-- recovery-budget:end -->';

/** The standby stack's configuration exactly as `pulumi up -s tokyo` would read it from the committed files. */
export function committedStandbyConfig(root = ROOT): StackConfig {
  const values = stackConfigValues(root, 'tokyo');
  return parseStackConfig('tokyo', values['aws:region'], projectValues(values) as RawConfig);
}

/** The section as it stands in the document: rendered, then formatted like every other file (`npm run format`). */
export async function budgetSection(config: StackConfig = committedStandbyConfig()): Promise<string> {
  const options = (await resolveConfig(DR_DOC)) ?? {};
  return (await format(renderBudget(config), { ...options, parser: 'markdown' })).trim();
}

export function documentedBudget(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DR_DOC} has no recovery-budget markers`);
  return doc.slice(start + START.length, end).trim();
}

export function withBudget(doc: string, section: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DR_DOC} has no recovery-budget markers`);
  return `${doc.slice(0, start + START.length)}\n\n${section}\n\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const section = await budgetSection();
  const doc = readFileSync(DR_DOC, 'utf8');
  if (process.argv.includes('--write')) {
    writeFileSync(DR_DOC, withBudget(doc, section));
    console.log(`dr:budget: wrote the recovery budget into ${DR_DOC}`);
  } else if (process.argv.includes('--check')) {
    if (documentedBudget(doc) !== section) {
      console.error('dr:budget: docs/disaster-recovery.md is stale: run `npm run dr:budget -- --write`');
      process.exit(1);
    }
    console.log('dr:budget: docs/disaster-recovery.md matches the configuration');
  } else {
    console.log(section);
  }
}
