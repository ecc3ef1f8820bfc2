/**
 * Where the gate's added CPU per hold goes (issue 10, gate cost, eighth look), part by part, as the hold path meets it
 * (bench/lib/gate-cost.ts runs these on its stubbed hold path):
 *
 * 1. In situ, paired: the same stubbed rounds run four kinds of 20 holds — plain; gated as the app runs it; gated with
 *    the gate's answer handed over ready-made (the admission's use object, no token read, no queue state awaited); and
 *    the queued performance held with a gate that answers "no waiting room" (no item). The differences split the
 *    gate's addition into the check (gated − handed over), the transaction item (handed over − no item: built,
 *    serialised, signed, sent) and whatever else differs (no item − plain: the call, the performance object).
 * 2. Cold, part by part: each piece of the check timed alone right after a whole stubbed hold (medians of wall time,
 *    the pieces taking turns), and the MAC over texts of one to four SHA-256 blocks, which is what a token's length
 *    decides.
 */
import { performance } from 'node:perf_hooks';
import type { AdmissionGate, AdmissionUse } from '../../app/booking/ports.js';
import type { Performance } from '../../app/catalog/index.js';
import { admissionHoldWireItem } from '../../app/adapters/dynamodb/queue-conditions.js';
import { ADMISSION_CLAIMS, checkAdmission } from '../../app/queue/admission-token.js';
import { HmacSha256Check } from '../../app/queue/hmac-sha256.js';
import { TokenSigner } from '../../app/queue/signed-token.js';
import { pairedMeanDifference, type Interval } from './paired.js';
import { summarize } from './stats.js';
import { mainThreadCpuMicros } from './thread-cpu.js';

/** What the parts measurement needs of the stubbed hold path. */
export interface PartsHarness {
  /** One stubbed hold: on the plain performance, or on the queued one with the token. */
  readonly hold: { readonly plain: () => Promise<unknown>; readonly gated: () => Promise<unknown> };
  /** The gate the booking service calls; `setGate` swaps it (the app's own gate is `appGate`). */
  readonly appGate: AdmissionGate;
  readonly setGate: (gate: AdmissionGate) => void;
  readonly now: () => number;
  readonly gatedPerformance: Performance;
  readonly user: string;
  readonly token: string;
  readonly key: Buffer;
  readonly queueTable: string;
}

export const PART_KINDS = ['gated', 'handedOver', 'noItem', 'plain'] as const;
export type PartKind = (typeof PART_KINDS)[number];

export interface GateParts {
  readonly rounds: number;
  readonly holdsPerRound: number;
  /** Main-thread CPU µs per hold of each kind (process CPU where /proc is missing). */
  readonly micros: Record<PartKind, number>;
  /** gated − plain, and its three parts (paired by round). */
  readonly added: Interval;
  readonly check: Interval;
  readonly item: Interval;
  readonly rest: Interval;
  /** Medians (µs of wall time) of each piece timed alone right after a stubbed hold. */
  readonly cold: Readonly<Record<string, number>>;
  /** The token's length and the SHA-256 compressions its MAC takes (inner blocks + the outer one). */
  readonly tokenChars: number;
  readonly compressions: number;
}

/** The parts, in situ and cold. `rounds`: paired rounds of 20 holds of each of the four kinds. */
export async function measureGateParts(h: PartsHarness, rounds: number): Promise<GateParts> {
  const use = await h.appGate.admissionFor(h.gatedPerformance, h.user, h.token);
  if (!use) throw new Error('the gate let the token through with no admission');
  const gates: Record<PartKind, AdmissionGate> = {
    gated: h.appGate,
    plain: h.appGate,
    handedOver: {
      admissionFor: async (performance) => (performance.onSale?.queue ? { ...use, now: h.now() } : undefined),
      refusalOf: (u, purpose) => h.appGate.refusalOf(u, purpose),
    },
    noItem: { admissionFor: async () => undefined, refusalOf: (u, purpose) => h.appGate.refusalOf(u, purpose) },
  };
  const holdOf = (kind: PartKind) => (kind === 'plain' ? h.hold.plain : h.hold.gated);
  const holdsPerRound = 20;
  const warm = 10;
  const cpu: Record<PartKind, number[]> = { gated: [], handedOver: [], noItem: [], plain: [] };
  const now = () => mainThreadCpuMicros() ?? process.cpuUsage().user;
  try {
    for (let round = 0; round < warm + rounds; round++) {
      // Each kind first in turn, and the order reversed every other round.
      const shift = round % PART_KINDS.length;
      const order = [...PART_KINDS.slice(shift), ...PART_KINDS.slice(0, shift)];
      for (const kind of round % 2 === 0 ? order : order.reverse()) {
        h.setGate(gates[kind]);
        const hold = holdOf(kind);
        const t0 = now();
        for (let i = 0; i < holdsPerRound; i++) await hold();
        const t1 = now();
        if (round >= warm) cpu[kind].push((t1 - t0) / holdsPerRound);
      }
    }
  } finally {
    h.setGate(h.appGate);
  }
  const mean = (xs: number[]) => summarize(xs).mean;
  const cold = await coldParts(h, use);
  return {
    rounds,
    holdsPerRound,
    micros: {
      gated: mean(cpu.gated),
      handedOver: mean(cpu.handedOver),
      noItem: mean(cpu.noItem),
      plain: mean(cpu.plain),
    },
    added: pairedMeanDifference(cpu.gated, cpu.plain),
    check: pairedMeanDifference(cpu.gated, cpu.handedOver),
    item: pairedMeanDifference(cpu.handedOver, cpu.noItem),
    rest: pairedMeanDifference(cpu.noItem, cpu.plain),
    cold,
    tokenChars: h.token.length,
    compressions: macCompressions(h.token.lastIndexOf('.')),
  };
}

/** SHA-256 compressions of an HMAC over `chars` ASCII characters, the key's pads precomputed. */
export const macCompressions = (chars: number) => Math.floor((chars + 8) / 64) + 1 + 1;

/**
 * Each piece of the check alone, right after a whole stubbed hold (caches cold, as the hold path meets them): median
 * wall time, the pieces taking turns. Pieces timed alone each pay their own cold start, so they add up to more than
 * the whole check; the whole check is timed the same way.
 */
async function coldParts(h: PartsHarness, use: AdmissionUse): Promise<Record<string, number>> {
  const signer = new TokenSigner(h.key);
  const mac = new HmacSha256Check(h.key);
  const macAt = h.token.lastIndexOf('.');
  const signed = h.token.slice(0, macAt);
  const given = h.token.slice(macAt + 1);
  const body = signed.slice(signed.indexOf('.') + 1);
  const settled = Promise.resolve(use);
  const expected = { userId: h.user, eventId: h.gatedPerformance.id, now: h.now() };
  const ascii = (chars: number) => 'x'.repeat(chars);
  const measured: Record<string, () => unknown> = {
    'nothing (the timer and an await: subtract from the rest)': () => undefined,
    'whole check (admissionFor)': () => h.appGate.admissionFor(h.gatedPerformance, h.user, h.token),
    'token check (checkAdmission)': () => checkAdmission(signer, h.token, expected),
    'open (parse, MAC, decode)': () => signer.open('admission', h.token, ADMISSION_CLAIMS),
    MAC: () => mac.matches(signed, given),
    'claims decode': () => ADMISSION_CLAIMS.decode(body),
    'await of a settled promise': async () => {
      await settled;
    },
    'transaction item (built + JSON)': () => JSON.stringify(admissionHoldWireItem(h.queueTable, use)),
    'MAC, 55 chars (2 compressions)': () => mac.matches(ascii(55), given),
    'MAC, 119 chars (3 compressions)': () => mac.matches(ascii(119), given),
    'MAC, 183 chars (4 compressions)': () => mac.matches(ascii(183), given),
  };
  const names = Object.keys(measured);
  const micros: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < 400 * names.length; i++) {
    await h.hold.plain();
    const name = names[i % names.length]!;
    const t0 = performance.now();
    await measured[name]!();
    micros[name]!.push((performance.now() - t0) * 1000);
  }
  return Object.fromEntries(names.map((n) => [n, summarize(micros[n]!).p50]));
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const interval = (i: Interval) => `${fmt(i.value)} µs [95 %: ${fmt(i.low)} … ${fmt(i.high)}]`;

export function formatGateParts(p: GateParts): string {
  return [
    `  where the gate's CPU goes, in situ (${p.rounds} paired rounds of ${p.holdsPerRound} stubbed holds of each of four kinds, main thread):`,
    `    gated ${fmt(p.micros.gated)} µs | answer handed over ${fmt(p.micros.handedOver)} µs | queued, no item ${fmt(p.micros.noItem)} µs | plain ${fmt(p.micros.plain)} µs`,
    `    added ${interval(p.added)} = the check ${interval(p.check)} + the item ${interval(p.item)} + the rest ${interval(p.rest)}`,
    `  the check's pieces, each alone right after a hold (medians; the token ${p.tokenChars} characters, its MAC ${p.compressions} SHA-256 compressions):`,
    ...Object.entries(p.cold).map(([name, micros]) => `    ${name}: ${fmt(micros)} µs`),
  ].join('\n');
}
