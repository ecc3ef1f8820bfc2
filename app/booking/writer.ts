import { DomainError } from '../shared/errors.js';
import type { DrState } from './dr.js';
import type { DrStateSource } from './ports.js';

/**
 * One writer at a time. Global tables are last-writer-wins across regions and conditional writes only protect within
 * one region, so exactly one region may take bookings: the primary normally, the standby while DR is active, and
 * nobody for the few seconds a failback needs to hand writes back. Every region reads the same replicated DR state, so
 * Seoul coming back after a failover refuses writes by itself until an operator fails back.
 */
export const WRITERS = ['primary', 'standby', 'none'] as const;
export type Writer = (typeof WRITERS)[number];

export function writerOf(state: DrState): Writer {
  if (state.failbackStartedAt !== undefined) return 'none';
  return state.active ? 'standby' : 'primary';
}

export function mayWrite(state: DrState, region: string, primaryRegion: string): boolean {
  switch (writerOf(state)) {
    case 'primary':
      return region === primaryRegion;
    case 'standby':
      return region !== primaryRegion;
    case 'none':
      return false;
  }
}

/** The region that takes writes: the primary normally, the standby during DR, none during the failback hand-over. */
export function writerRegion(writer: Writer, regions: { primary: string; standby: string }): string | undefined {
  switch (writer) {
    case 'primary':
      return regions.primary;
    case 'standby':
      return regions.standby;
    case 'none':
      return undefined;
  }
}

export interface WriterStatus {
  readonly region: string;
  readonly writer: Writer;
  /** Where bookings are taken now (what a read-only region's pages tell users); absent while nobody writes. */
  readonly writerRegion?: string;
  readonly acceptsWrites: boolean;
}

export function regionReadOnly(status: WriterStatus, state: DrState): DomainError {
  const message =
    status.writer === 'none'
      ? 'Bookings are paused for a few seconds while the service moves back to its primary region. Please try again.'
      : status.writer === 'standby'
        ? `This region (${status.region}) is read-only while disaster recovery is active: bookings are taken in the standby region until an operator fails back.`
        : `This region (${status.region}) is read-only: bookings are taken in the primary region.`;
  return new DomainError('REGION_READ_ONLY', message, {
    region: status.region,
    writer: status.writer,
    drActive: state.active,
    ...(status.writer === 'none' ? { retryAfter: 10 } : {}),
  });
}

/** The API's view of the rule: asks the (cached) DR state and refuses a write with REGION_READ_ONLY. */
export class WriterGate {
  constructor(
    private readonly drState: DrStateSource,
    private readonly region: string,
    private readonly primaryRegion: string,
    private readonly standbyRegion: string,
  ) {}

  async status(state?: DrState): Promise<WriterStatus> {
    const current = state ?? (await this.drState.current());
    const writer = writerOf(current);
    return {
      region: this.region,
      writer,
      writerRegion: writerRegion(writer, { primary: this.primaryRegion, standby: this.standbyRegion }),
      acceptsWrites: mayWrite(current, this.region, this.primaryRegion),
    };
  }

  async assertMayWrite(): Promise<void> {
    const state = await this.drState.current();
    const status = await this.status(state);
    if (!status.acceptsWrites) throw regionReadOnly(status, state);
  }
}
