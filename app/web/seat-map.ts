import type { SeatLayout, SeatOverlay } from '../api/contracts.js';
import { seatId } from '../catalog/seats.js';
import type { Renderer } from './render.js';
import type { ViewHelpers } from './view-helpers.js';

/** How one seat looks to one viewer. `taken-now` = just taken by someone else (named in a refused hold). */
export const SEAT_VARIANTS = ['available', 'selected', 'sold', 'held', 'mine', 'taken-now'] as const;
export type SeatVariant = (typeof SEAT_VARIANTS)[number];

/** The state of every sellable seat, 2 bits each, in layout order: what a page shows, encoded into its refresh URL. */
const STATE_CODE = { available: 0, sold: 1, held: 2, mine: 3 } as const;
type SeatStateName = keyof typeof STATE_CODE;
const STATE_NAMES = ['available', 'sold', 'held', 'mine'] as const satisfies readonly SeatStateName[];

interface SeatRef {
  readonly id: string;
  readonly grade: string;
}

/**
 * The static seat layout of one performance in one language, rendered through the Eta partials once and kept:
 * `chunks[i]` is the markup before sellable seat i, `variants[i][v]` the seat itself in each variant. A page view
 * then only interleaves strings for the current state (SPEC §8: no per-seat template work per request).
 */
export class CompiledSeatMap {
  readonly index: ReadonlyMap<string, number>;

  constructor(
    readonly seats: readonly SeatRef[],
    private readonly chunks: readonly string[],
    private readonly variants: readonly (readonly string[])[],
  ) {
    this.index = new Map(seats.map((s, i) => [s.id, i]));
  }

  /** The states of an overlay as one byte per seat. */
  statesOf(overlay: SeatOverlay): Uint8Array {
    const states = new Uint8Array(this.seats.length);
    const mark = (ids: readonly string[], code: number) => {
      for (const id of ids) {
        const i = this.index.get(id);
        if (i !== undefined) states[i] = code;
      }
    };
    mark(overlay.sold, STATE_CODE.sold);
    mark(overlay.held, STATE_CODE.held);
    mark(overlay.mine, STATE_CODE.mine);
    return states;
  }

  /**
   * Seats a refused hold named as taken are held, whatever the overlay says: the overlay may come from a read that
   * started before the winning hold committed (cache, single flight), and the map must not offer them again.
   */
  markTaken(states: Uint8Array, ids: readonly string[]): Uint8Array {
    for (const id of ids) {
      const i = this.index.get(id);
      if (i !== undefined && states[i] === STATE_CODE.available) states[i] = STATE_CODE.held;
    }
    return states;
  }

  variantOf(i: number, states: Uint8Array, selected: ReadonlySet<string>, justTaken: ReadonlySet<string>): SeatVariant {
    const state = STATE_NAMES[states[i]!]!;
    const id = this.seats[i]!.id;
    if (state === 'available') return selected.has(id) ? 'selected' : 'available';
    if (justTaken.has(id) && state !== 'mine') return 'taken-now';
    return state;
  }

  seat(i: number, variant: SeatVariant): string {
    return this.variants[i]![SEAT_VARIANTS.indexOf(variant)]!;
  }

  html(
    states: Uint8Array,
    selected: ReadonlySet<string> = new Set(),
    justTaken: ReadonlySet<string> = new Set(),
  ): string {
    let out = '';
    for (let i = 0; i < this.seats.length; i++) {
      out += this.chunks[i]! + this.seat(i, this.variantOf(i, states, selected, justTaken));
    }
    return out + this.chunks[this.seats.length]!;
  }

  /** The refresh token: the states a page shows, 4 seats a byte, base64url (about 400 characters for 1,210 seats). */
  token(states: Uint8Array): string {
    const packed = new Uint8Array(Math.ceil(states.length / 4));
    for (let i = 0; i < states.length; i++) packed[i >> 2]! |= states[i]! << ((i & 3) * 2);
    return Buffer.from(packed).toString('base64url');
  }

  /** The states a token describes, or undefined for a token of another layout (then the page is sent whole). */
  fromToken(token: string): Uint8Array | undefined {
    const packed = Buffer.from(token, 'base64url');
    if (packed.length !== Math.ceil(this.seats.length / 4)) return undefined;
    const states = new Uint8Array(this.seats.length);
    for (let i = 0; i < states.length; i++) states[i] = (packed[i >> 2]! >> ((i & 3) * 2)) & 3;
    return states;
  }
}

/** Compiles and keeps one CompiledSeatMap per (performance layout, language). */
export class SeatMapViews {
  private readonly compiled = new Map<string, { layout: SeatLayout; map: CompiledSeatMap }>();

  constructor(private readonly render: Renderer) {}

  of(layout: SeatLayout, fmt: ViewHelpers): CompiledSeatMap {
    const key = `${layout.performanceId}|${fmt.locale}`;
    const hit = this.compiled.get(key);
    if (hit && hit.layout === layout) return hit.map;
    const map = this.compile(layout, fmt);
    if (this.compiled.size > 200) this.compiled.clear();
    this.compiled.set(key, { layout, map });
    return map;
  }

  private compile(layout: SeatLayout, fmt: ViewHelpers): CompiledSeatMap {
    const MARK = '\u0000seat\u0000';
    const seats: SeatRef[] = [];
    const variants: string[][] = [];
    const grades = new Map(layout.grades.map((g) => [g.code, g]));
    for (const floor of layout.floors)
      for (const section of floor.sections)
        for (const row of section.rows) {
          const grade = row.grade ? grades.get(row.grade) : undefined;
          if (!grade) continue;
          for (let n = 1; n <= row.seats; n++) {
            const id = seatId(floor.floor, section.id, row.row, n);
            seats.push({ id, grade: grade.code });
            variants.push(
              SEAT_VARIANTS.map((variant) =>
                this.render.render('partials/seat', { fmt, id, number: n, row, grade, variant }).trim(),
              ),
            );
          }
        }
    const skeleton = this.render.render('partials/seat-grid', { fmt, t: fmt.t, layout, mark: MARK });
    return new CompiledSeatMap(seats, skeleton.split(MARK), variants);
  }
}
