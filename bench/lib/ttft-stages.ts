import { readFileSync } from 'node:fs';
import { percentile } from './stats.js';

/**
 * The hops of one message, in path order, as `ttftMark` names them (app/shared/ttft-trace.ts): the load generator
 * sends → the web tier receives it → relays it to the API → the API reaches its model call → the SDK's first text →
 * the API writes it → the web writes its fragment → the load generator reads it.
 */
const HOPS = [
  'bench.send',
  'web.in',
  'web.route',
  'web.apiSend',
  'web.apiFinish',
  'api.in',
  'api.route',
  'api.chat',
  'api.startEmit',
  'api.modelSend',
  'api.modelWritten',
  'api.modelText',
  'api.firstText',
  'api.firstTextWritten',
  'web.firstText',
  'web.firstTextWritten',
  'bench.firstText',
] as const;

/** Each traced message's marks (epoch ms) and its process's CPU (ms) at each, and every process's GC pauses. */
export interface TraceMarks {
  readonly marks: Map<string, Map<string, number>>;
  readonly cpu: Map<string, Map<string, number>>;
  /** Events not tied to one message (`ttftEvent`): `<role>.<name>` → (start epoch ms, duration ms), in file order. */
  readonly events: Map<string, { readonly at: number; readonly ms: number }[]>;
}

/** Reads `file`'s marks of the messages `ids` (the first of a stage counts: the first text, the first event). */
export function readMarks(file: string, ids: ReadonlySet<string>): TraceMarks {
  const marks = new Map<string, Map<string, number>>();
  const cpu = new Map<string, Map<string, number>>();
  const events = new Map<string, { at: number; ms: number }[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [id, stage, at, cpuMs] = line.split(' ');
    if (id === 'ev' && stage && at && cpuMs) {
      const seen = events.get(stage) ?? [];
      seen.push({ at: Number(at), ms: Number(cpuMs) });
      events.set(stage, seen);
      continue;
    }
    if (!id || !stage || !at || !ids.has(id)) continue;
    const seen = marks.get(id) ?? new Map<string, number>();
    const seenCpu = cpu.get(id) ?? new Map<string, number>();
    if (!seen.has(stage)) {
      seen.set(stage, Number(at));
      if (cpuMs !== undefined && cpuMs !== '-') seenCpu.set(stage, Number(cpuMs));
    }
    marks.set(id, seen);
    cpu.set(id, seenCpu);
  }
  return { marks, cpu, events };
}

/** What the stretch between two marks of one process does (the hop table's last column). */
const WHAT: Readonly<Record<string, string>> = {
  'web.in → web.route': 'security headers, cookies, body, locale, CSRF, status and session (cached), routing',
  'web.route → web.apiSend': 'the relay: conversation cookie, the API request built',
  'web.apiSend → web.apiFinish': 'the request written to the kept-alive connection',
  'api.in → api.route': 'request log, overload guard, JSON body, session, write guard, routing',
  'api.route → api.chat': 'rate limits, input parse, message rules, the SSE writer',
  'api.chat → api.startEmit': 'understanding, the conversation (trusted copy or read), `start` event',
  'api.startEmit → api.modelSend': 'prompt context and request assembly (prefix prepared)',
  'api.modelSend → api.modelWritten': 'the SDK: middleware, SigV4, the HTTP/2 stream and body',
};

/**
 * A markdown table of each hop's time (p50/p90/p99 ms) over the traced messages `ids`, read from `file`; for a hop
 * between two marks of one process, also that process's CPU between them (p50/p90: the split of a message start's
 * CPU by what runs; other requests' work done in between counts too, which is what the tail of that column shows).
 */
export function stageTable(file: string, ids: ReadonlySet<string>): string {
  const { marks, cpu } = readMarks(file, ids);
  const rows = [
    '| hop | samples | p50 ms | p90 ms | p99 ms | process CPU p50 / p90 ms | what runs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const gapsOf = (of: Map<string, Map<string, number>>, from: string, to: string) =>
    [...of.values()]
      .flatMap((m) => (m.has(from) && m.has(to) ? [m.get(to)! - m.get(from)!] : []))
      .sort((a, b) => a - b);
  const row = (label: string, from: string, to: string, of = marks) => {
    const gaps = gapsOf(of, from, to);
    if (gaps.length === 0) return;
    const at = (p: number) => percentile(gaps, p).toFixed(1);
    const sameProcess = of === marks && from.split('.')[0] === to.split('.')[0];
    const cpuGaps = sameProcess ? gapsOf(cpu, from, to) : [];
    const cpuCell =
      cpuGaps.length > 0 ? `${percentile(cpuGaps, 50).toFixed(2)} / ${percentile(cpuGaps, 90).toFixed(2)}` : '';
    rows.push(`| ${label} | ${gaps.length} | ${at(50)} | ${at(90)} | ${at(99)} | ${cpuCell} | ${WHAT[label] ?? ''} |`);
  };
  for (let i = 1; i < HOPS.length; i++) row(`${HOPS[i - 1]} → ${HOPS[i]}`, HOPS[i - 1]!, HOPS[i]!);
  row('**before the model call** (bench.send → api.modelSend)', 'bench.send', 'api.modelSend');
  row('**the model call** (api.modelSend → api.modelText)', 'api.modelSend', 'api.modelText');
  row('**after the first text** (api.modelText → bench.firstText)', 'api.modelText', 'bench.firstText');
  // The API starts a message (route, service, the SDK up to the request on the HTTP/2 session) in one stretch, so the
  // process's CPU between the two marks is that message's serial cost: what the next message of a burst waits.
  row('**API CPU per message start** (api.route → api.modelWritten, CPU ms)', 'api.route', 'api.modelWritten', cpu);
  row('the same from its arrival (api.in → api.modelWritten, CPU ms)', 'api.in', 'api.modelWritten', cpu);
  row('of which route and service (api.route → api.modelSend, CPU ms)', 'api.route', 'api.modelSend', cpu);
  row('of which the SDK (api.modelSend → api.modelWritten, CPU ms)', 'api.modelSend', 'api.modelWritten', cpu);
  // The web tier's share: the request parsed, CSRF and cookies checked, the relay's request to the API written. Other
  // requests' work can run between these marks (the route awaits), so this is an upper bound per message.
  row('**web CPU per message start** (web.in → web.apiFinish, CPU ms)', 'web.in', 'web.apiFinish', cpu);
  row('of which up to the route (web.in → web.route, CPU ms)', 'web.in', 'web.route', cpu);
  return rows.join('\n');
}
