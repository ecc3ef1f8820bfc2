import type { BenchArgs } from './args.js';
import type { DoubleBookingReport } from './double-booking.js';
import type { PhaseResult } from './load.js';
import type { MachineInfo } from './machine.js';
import { ratio, summarize, type LatencySummary } from './stats.js';

export interface ScenarioFigures {
  readonly name: string;
  readonly result: PhaseResult;
  /** Completed hold+confirm pairs per second of measured wall time. */
  readonly opsPerSecond: number;
  readonly hold: LatencySummary;
  readonly pair: LatencySummary;
}

export function figuresOf(name: string, result: PhaseResult): ScenarioFigures {
  return {
    name,
    result,
    opsPerSecond: result.elapsedMs > 0 ? result.completed / (result.elapsedMs / 1000) : Number.NaN,
    hold: summarize(result.holdMs),
    pair: summarize(result.pairMs),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const times = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

export function header(machine: MachineInfo, args: BenchArgs, extra: { sellable: number; users: number }): string {
  return [
    'MegaTicket hold benchmark: web forms (web → API) and API (HTTP → Express → BookingService → DynamoDB) vs raw TransactWriteItems',
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, node ${machine.node}, ` +
      `DynamoDB Local ${machine.dynamoLocal}; app, load generator and DynamoDB Local (one JVM) share this machine ` +
      `(1-min load average before the run: ${machine.loadAverage})`,
    `parameters: clients=${args.clients} ops=${args.ops} hold attempts each for API and raw, web-ops=${args.webOps}, ` +
      `warmup-rounds=${args.warmupRounds} (not counted), rounds=${args.rounds} (API and raw back to back, alternating first), ` +
      `holds-per-slot=${args.holdsPerSlot}, max-seconds=${args.maxSeconds}`,
    `workload: 1–4 random seats of ${extra.sellable} sellable (perf-moonlight-garden, 1,210-seat theatre), then confirm; ` +
      `${extra.users} bench users (scrypt lowered to N=2^10,r=8,p=1 for bench users only)`,
  ].join('\n');
}

export function figuresTable(...figures: readonly ScenarioFigures[]): string {
  const row = (f: ScenarioFigures) =>
    `| ${f.name} | ${f.result.attempts} | ${f.result.completed} | ${f.result.conflicts} | ${f.result.raced} | ` +
    `${f.result.errors} | ${f.opsPerSecond.toFixed(1)} | ${ms(f.pair.p50)} | ${ms(f.pair.p95)} | ${ms(f.pair.p99)} | ` +
    `${ms(f.hold.p50)} | ${ms(f.hold.p95)} | ${ms(f.hold.p99)} |`;
  return [
    '| scenario | attempts | completed | conflicts | raced | errors | ops/s | pair p50 ms | pair p95 ms | pair p99 ms | hold p50 ms | hold p95 ms | hold p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...figures.map(row),
  ].join('\n');
}

export function ratioLines(x: ScenarioFigures, base: ScenarioFigures): string {
  const r = `ratio ${x.name}/${base.name}`;
  return [
    `${r}: throughput ${times(ratio(x.opsPerSecond, base.opsPerSecond))} ` +
      `(${base.name} is ${times(ratio(base.opsPerSecond, x.opsPerSecond))} the ${x.name}'s ops/s)`,
    `${r}: hold+confirm p50 ${times(ratio(x.pair.p50, base.pair.p50))}, p99 ${times(ratio(x.pair.p99, base.pair.p99))}; ` +
      `hold alone p50 ${times(ratio(x.hold.p50, base.hold.p50))}, p99 ${times(ratio(x.hold.p99, base.hold.p99))}`,
  ].join('\n');
}

export function doubleBookingLines(r: DoubleBookingReport): string {
  return [
    `double-bookings: ${r.doubleBooked}`,
    `  slots checked: ${r.slots}; CONFIRMED seat items ${r.confirmedSeatItems} vs seats confirmed by clients ` +
      `${r.expectedConfirmedSeats}; reservations ${r.reservations} vs successful confirms ${r.expectedReservations}; ` +
      `seat items not matching their reservation: ${r.orphanSeatItems} → ${r.ok ? 'OK' : 'MISMATCH'}`,
    `  confirms the clients got no answer to (client or web-tier timeouts): ${r.unanswered}, of which the store ` +
      `shows ${r.unansweredPaid} paid (counted above as confirmed) and ${r.unanswered - r.unansweredPaid} not`,
  ].join('\n');
}

export function phaseLine(round: number | string, name: string, r: PhaseResult): string {
  return (
    `  round ${round} ${name.padEnd(3)}: ${r.completed}/${r.attempts} completed, ${r.conflicts} conflicts, ` +
    `${r.raced} raced, ${r.unanswered} unanswered, ${r.errors} errors in ${(r.elapsedMs / 1000).toFixed(1)} s${r.capped ? ' (time cap reached)' : ''}`
  );
}
