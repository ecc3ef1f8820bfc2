/**
 * The log shipper an instance runs beside the app (megaticket-logs.service, from the same artifact and Node runtime):
 * follows the app unit's journal and puts its lines into the tier's CloudWatch log group, one stream per instance.
 * It replaces the CloudWatch agent, which AL2023 does not ship and which would have to be installed at boot.
 *   node log-shipper.mjs           run (systemd restarts it if journalctl or the process dies)
 *   node log-shipper.mjs --check   validate the environment and exit (CI's artifact smoke test)
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import type { LogEvent } from './batch.js';
import { journalctlArgs, parseJournalLine } from './journal.js';
import { LogShipper, runShipper, type CursorStore } from './shipper.js';

const envSchema = z.object({
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-2'),
  LOG_GROUP: z.string().regex(/^[\w./#-]{1,512}$/, 'a CloudWatch log group name'),
  JOURNAL_UNIT: z
    .string()
    .regex(/^[\w@.-]+$/)
    .default('megaticket.service'),
  /** systemd's StateDirectory= (the cursor survives restarts and reboots). */
  STATE_DIRECTORY: z.string().min(1),
  LOG_STREAM: z
    .string()
    .regex(/^[^:*]{1,512}$/)
    .optional(),
  FLUSH_MS: z.coerce.number().int().min(100).default(5000),
});

function fileCursors(directory: string): CursorStore {
  const path = join(directory, 'journal-cursor');
  return {
    read: async () => (await readFile(path, 'utf8').catch(() => '')).trim() || undefined,
    write: async (cursor) => {
      await mkdir(directory, { recursive: true });
      await writeFile(`${path}.tmp`, cursor);
      await rename(`${path}.tmp`, path);
    },
  };
}

/** The instance id (IMDSv2) names the stream, as the CloudWatch agent's {instance_id} did; the host name otherwise. */
async function instanceId(): Promise<string> {
  try {
    const base = 'http://169.254.169.254/latest';
    const token = await (
      await fetch(`${base}/api/token`, {
        method: 'PUT',
        headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
        signal: AbortSignal.timeout(1000),
      })
    ).text();
    const response = await fetch(`${base}/meta-data/instance-id`, {
      headers: { 'X-aws-ec2-metadata-token': token },
      signal: AbortSignal.timeout(1000),
    });
    if (response.ok) return await response.text();
  } catch {
    // not on EC2
  }
  return hostname();
}

async function* journalEvents(unit: string, afterCursor: string | undefined): AsyncIterable<LogEvent> {
  const child = spawn('journalctl', journalctlArgs(unit, afterCursor), { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout })) {
    const event = parseJournalLine(line);
    if (event) yield event;
  }
  throw new Error(`journalctl exited with ${String(await exited)}`);
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const env = parsed.data;
  if (process.argv.includes('--check')) {
    console.log(
      `log shipper ok on Node ${process.versions.node}: ${env.JOURNAL_UNIT} → ${env.LOG_GROUP} (${env.AWS_REGION})`,
    );
    return;
  }
  const cursors = fileCursors(env.STATE_DIRECTORY);
  const warn = (message: string) => console.error(message);
  const shipper = new LogShipper({
    client: new CloudWatchLogsClient({ region: env.AWS_REGION }),
    logGroup: env.LOG_GROUP,
    logStream: env.LOG_STREAM ?? (await instanceId()),
    cursors,
    warn,
  });
  // On stop, ship what is queued (bounded); anything not shipped is re-read from the journal next time (the cursor
  // only moves after CloudWatch accepted a batch).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(0), 5000).unref();
      void shipper
        .flush()
        .catch((error: unknown) => warn(`log shipper: final flush failed: ${(error as Error).message}`))
        .finally(() => process.exit(0));
    });
  }
  await runShipper(shipper, journalEvents(env.JOURNAL_UNIT, await cursors.read()), { flushMs: env.FLUSH_MS, warn });
}

main().catch((error: unknown) => {
  console.error(`log shipper: ${(error as Error).message}`);
  process.exit(1);
});
