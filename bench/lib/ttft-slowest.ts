import { percentile } from './stats.js';
import type { TraceMarks } from './ttft-stages.js';

/**
 * The p99 messages of a traced run, hop by hop (bench:chat with MT_TTFT_TRACE): which hop holds their time, against the
 * same hop in a typical message, and what each of them met on its way — its place in the phase (the first ones come
 * after the app sat idle through a model-only phase), a new connection, a new HTTP/2 session to the model, a
 * conversation read from the table, a garbage collection in one of the processes.
 */
const HOPS = [
  ['to web', 'bench.send', 'web.in'],
  ['web', 'web.in', 'web.apiSend'],
  ['to API', 'web.apiSend', 'api.in'],
  ['API to model call', 'api.in', 'api.modelSend'],
  ['SDK', 'api.modelSend', 'api.modelWritten'],
  ['model (fake)', 'api.modelWritten', 'api.modelText'],
  ['text back', 'api.modelText', 'bench.firstText'],
] as const;
/** What a message may meet on its way: marks that exist only when it happened to it. */
const MARKS = [
  ['new conn. to web', 'web.newSocket'],
  ['new conn. to API', 'api.newSocket'],
  ['new lane', 'api.modelNewLane'],
  ['conversation read', 'api.conversationRead'],
  // A status or session read the web tier waited for before relaying (refreshes ahead run outside any request).
  ['web read from the API first', 'web.apiRead'],
] as const;
const GC_ROLES = ['bench', 'web', 'api'] as const;
/** The first messages of a phase, reported apart. */
export const PHASE_START = 5;

interface Message {
  readonly id: string;
  readonly m: ReadonlyMap<string, number>;
  /** Time the app adds to it: all of it but the wait for the model (its start in the SDK is the app's). */
  readonly added: number;
  readonly order: number;
}

/** Event time of `name` (`<role>.<name>` events) overlapping [from, to] (epoch ms); an instant event counts 1 ms. */
function within(trace: TraceMarks, name: string, from: number, to: number): number {
  let ms = 0;
  for (const e of trace.events.get(name) ?? []) {
    const overlap = Math.min(to, e.at + Math.max(e.ms, 1)) - Math.max(from, e.at);
    if (overlap > 0) ms += Math.min(overlap, Math.max(e.ms, 1));
  }
  return ms;
}

function messagesOf(trace: TraceMarks, orderInPhase: ReadonlyMap<string, number>): Message[] {
  return [...trace.marks.entries()].flatMap(([id, m]) => {
    const [send, first, written, text] = ['bench.send', 'bench.firstText', 'api.modelWritten', 'api.modelText'].map(
      (k) => m.get(k),
    );
    if (send === undefined || first === undefined || written === undefined || text === undefined) return [];
    return [{ id, m, added: first - send - (text - written), order: orderInPhase.get(id) ?? -1 }];
  });
}

const hop = (m: ReadonlyMap<string, number>, from: string, to: string) =>
  m.has(from) && m.has(to) ? m.get(to)! - m.get(from)! : Number.NaN;

/**
 * The slowest 1 % of messages (at least `atLeast`) one row each; each hop's median over them against every message's;
 * and the added time of a phase's first `PHASE_START` messages against the rest.
 */
export function slowestTable(trace: TraceMarks, orderInPhase: ReadonlyMap<string, number>, atLeast = 5): string {
  const all = messagesOf(trace, orderInPhase).sort((a, b) => b.added - a.added);
  if (all.length === 0) return '';
  const slow = all.slice(0, Math.max(atLeast, Math.ceil(all.length / 100)));
  // Pauses and connections outside the wait for the model; during it they delay nobody (a new model session is
  // opened inside it, so that one is looked for there).
  const onPath = (m: ReadonlyMap<string, number>, name: string) =>
    within(trace, name, m.get('bench.send')!, m.get('api.modelWritten')!) +
    within(trace, name, m.get('api.modelText')!, m.get('bench.firstText')!);
  const newSession = (m: ReadonlyMap<string, number>) =>
    within(trace, 'bench.modelSession', m.get('api.modelSend')!, m.get('api.modelText')!) > 0;
  const metOf = (m: ReadonlyMap<string, number>) => [
    ...MARKS.filter(([, mark]) => m.has(mark)).map(([name]) => name),
    ...(newSession(m) ? ['a model session opened meanwhile'] : []),
  ];
  const rows = [
    `The slowest ${slow.length} of ${all.length} messages by the time the app adds (to the first text, minus the wait ` +
      `for the model), hop by hop, ms:`,
    '',
    `| message | place in its phase | added | ${HOPS.map(([name]) => name).join(' | ')} | API CPU to the model call | ` +
      `met on the way | GC on its path: ${GC_ROLES.join(' / ')} |`,
    `| --- | ---: | ---: | ${HOPS.map(() => '---:').join(' | ')} | ---: | --- | ---: |`,
  ];
  for (const { id, m, added, order } of slow) {
    const cpu = trace.cpu.get(id)!;
    const apiCpu = (cpu.get('api.modelWritten') ?? Number.NaN) - (cpu.get('api.in') ?? Number.NaN);
    const gc = GC_ROLES.map((r) => onPath(m, `${r}.gc`).toFixed(1)).join(' / ');
    rows.push(
      `| ${id} | ${order + 1} | ${added.toFixed(1)} | ${HOPS.map(([, f, t]) => hop(m, f, t).toFixed(1)).join(' | ')} | ` +
        `${apiCpu.toFixed(1)} | ${metOf(m).join(', ') || '–'} | ${gc} |`,
    );
  }
  const median = (of: readonly Message[], f: string, t: string) =>
    percentile(
      of
        .map(({ m }) => hop(m, f, t))
        .filter((v) => !Number.isNaN(v))
        .sort((a, b) => a - b),
      50,
    ).toFixed(1);
  const share = (of: readonly Message[], met: (x: Message) => boolean) =>
    `${((100 * of.filter(met).length) / of.length).toFixed(0)} %`;
  const anyGc = (m: ReadonlyMap<string, number>) => GC_ROLES.some((r) => onPath(m, `${r}.gc`) > 0);
  rows.push(
    '',
    `| median ms, or share of messages | the slowest ${slow.length} | every message |`,
    '| --- | ---: | ---: |',
  );
  for (const [name, f, t] of HOPS) rows.push(`| ${name} | ${median(slow, f, t)} | ${median(all, f, t)} |`);
  const shares: [string, (x: Message) => boolean][] = [
    ...MARKS.map(([name, mark]): [string, (x: Message) => boolean] => [name, ({ m }) => m.has(mark)]),
    ['a model session opened meanwhile', ({ m }) => newSession(m)],
    ['a GC pause on its path (any process)', ({ m }) => anyGc(m)],
    [`among the first ${PHASE_START} of their phase`, ({ order }) => order >= 0 && order < PHASE_START],
  ];
  for (const [name, met] of shares) rows.push(`| ${name} | ${share(slow, met)} | ${share(all, met)} |`);
  const starts = all.filter((x) => x.order >= 0 && x.order < PHASE_START);
  const rest = all.filter((x) => x.order >= PHASE_START);
  const line = (name: string, of: readonly Message[]) => {
    const sorted = of.map((x) => x.added).sort((a, b) => a - b);
    const at = (p: number) => percentile(sorted, p).toFixed(1);
    return `| ${name} | ${of.length} | ${at(50)} | ${at(90)} | ${at(99)} | ${sorted.at(-1)?.toFixed(1)} |`;
  };
  rows.push(
    '',
    `Time the app adds per message, by its place in the phase (before an app phase its processes sat idle through a ` +
      `model-only phase):`,
    '',
    '| messages | count | p50 ms | p90 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    line(`the first ${PHASE_START} of each app phase`, starts),
    line('the rest', rest),
    line('all', all),
  );
  return rows.join('\n');
}
