import { formatKst, type EpochMs } from '../shared/time.js';
import type { QueueControl } from './model.js';
import type { QueueService } from './service.js';
import type { QueueStats } from './views.js';

/**
 * `npm run queue -- <command> [event]`: the operator's switches and live numbers. The parsing and the report are
 * here (testable against any QueueService); scripts/queue.ts only wires it to the configured DynamoDB.
 */
export const OPERATOR_COMMANDS = ['status', 'open', 'pause', 'close', 'arm', 'list'] as const;
export type OperatorCommand = (typeof OPERATOR_COMMANDS)[number];

const CONTROL_OF: Partial<Record<OperatorCommand, QueueControl>> = { open: 'ACTIVE', pause: 'PAUSED', close: 'CLOSED' };

export const OPERATOR_USAGE = [
  'usage: npm run queue -- <command> [event] [--json]',
  '  list                 queued events and their phase',
  '  status <event>       live numbers: waiting, admitted, claim rate, no-shows, lottery, writer',
  '  open <event>         admit at the configured rate (opens early if before the opening time; resumes a pause)',
  '  pause <event>        keep joins and places, release and admit nobody',
  '  close <event>        halt the on-sale: no joins, no admissions, no admission token honoured',
  '  arm <event>          commit the lottery seed now and publish its hash (the admitter also does this)',
].join('\n');

export async function runOperatorCommand(queue: QueueService, argv: readonly string[], now: EpochMs): Promise<string> {
  const json = argv.includes('--json');
  const [command, eventId] = argv.filter((a) => a !== '--json' && a !== '--');
  if (!command || !(OPERATOR_COMMANDS as readonly string[]).includes(command)) {
    throw new Error(`${command ? `unknown command "${command}"\n` : ''}${OPERATOR_USAGE}`);
  }
  if (command === 'list') {
    const events = await Promise.all((await queue.queuedEvents()).map((id) => queue.status(id)));
    if (json) return JSON.stringify(events, null, 2);
    if (events.length === 0) return 'No event is sold through a waiting room.';
    return events
      .map((s) => `${s.eventId.padEnd(34)} ${s.phase.padEnd(10)} opens ${formatKst(s.opensAt, 'en')}`)
      .join('\n');
  }
  if (!eventId) throw new Error(`"${command}" needs an event id\n${OPERATOR_USAGE}`);
  const control = CONTROL_OF[command as OperatorCommand];
  let stats: QueueStats;
  if (control) stats = await queue.setControl(eventId, control);
  else if (command === 'arm') {
    await queue.arm(eventId);
    stats = await queue.stats(eventId);
  } else stats = await queue.stats(eventId);
  return json ? JSON.stringify(stats, null, 2) : formatStats(stats, now);
}

const n = (value: number) => value.toLocaleString('en-US');

/** The live numbers, laid out for a terminal. */
export function formatStats(s: QueueStats, now: EpochMs): string {
  const lottery =
    s.seed !== undefined
      ? `drawn ${formatKst(s.drawnAt!, 'en')}: ${n(s.preQueueSize ?? 0)} tickets; seed ${s.seed} (sha256 ${s.seedHash})`
      : s.seedHash
        ? `not drawn yet; seed committed ${formatKst(s.committedAt!, 'en')} as sha256 ${s.seedHash}`
        : 'not armed yet (no seed committed)';
  const lastTick = s.lastTickAt ? `${((now - s.lastTickAt) / 1000).toFixed(1)} s ago` : 'never';
  return [
    `${s.eventId}: ${s.phase} (control ${s.control ?? '-'}, writer ${s.writerRegion ?? '-'}, epoch ${s.epoch ?? '-'})`,
    `  pre-queue ${formatKst(s.preQueueOpensAt, 'en')} · opens ${formatKst(s.opensAt, 'en')}`,
    `  lottery        ${lottery}`,
    `  waiting        ${n(s.waiting)} (issued ${n(s.issued)}, released ${n(s.serving)})`,
    `  admitted       ${n(s.admitted)} of a budget of ${n(s.allowed)}`,
    `  claim rate     ${n(s.claimRatePerMinute)}/min (configured ${n(s.admitPerMinute)}/min)`,
    `  release rate   ${n(s.releasedPerMinute)}/min (show-up ratio ${s.showRatio.toFixed(2)})`,
    `  no-shows       ${n(s.noShows)}`,
    `  window         ${s.admissionWindowMinutes} min, ${s.maxHoldsPerAdmission} holds per admission`,
    `  last tick      ${lastTick}`,
  ].join('\n');
}
