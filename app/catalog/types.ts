import type { Localized } from '../shared/i18n.js';
import type { EpochMs, KstDate } from '../shared/time.js';

export const GENRES = ['musical', 'concert', 'play', 'classical'] as const;
export type Genre = (typeof GENRES)[number];

export const PERFORMANCE_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type PerformanceStatus = (typeof PERFORMANCE_STATUSES)[number];

export const SCHEDULE_STATUSES = ['ON_SALE', 'CLOSED', 'CANCELLED'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** The orchestra-pit row's name inside a section; every other row is numbered from 1. */
export const OP_ROW = 'OP' as const;
export type RowName = typeof OP_ROW | `${number}`;

export interface RowLayout {
  /** `OP` or a row number as a string ("1", "2", …). */
  readonly row: RowName;
  /** Seats are numbered 1..seats from the left as seen from the stage-facing audience. */
  readonly seats: number;
}

export interface SectionLayout {
  /** Single upper-case letter(s), unique within the venue, e.g. "B". */
  readonly id: string;
  readonly name: Localized;
  /** 0 = the centre section; larger = further from the centre line. Used to prefer centre seats. */
  readonly centrality: number;
  readonly rows: readonly RowLayout[];
}

export interface FloorLayout {
  /** 1-based floor number, as in seat ids "1F-…". */
  readonly floor: number;
  readonly sections: readonly SectionLayout[];
}

export interface Venue {
  readonly id: string;
  readonly name: Localized;
  readonly address: Localized;
  readonly floors: readonly FloorLayout[];
}

/** One physical seat, derived from the layout; never stored on its own. */
export interface Seat {
  /** Stable id `1F-B-7-14` (floor, section, row, seat number); the OP row is `1F-B-OP-3`. */
  readonly id: string;
  readonly floor: number;
  readonly section: string;
  readonly row: RowName;
  readonly number: number;
  readonly isOp: boolean;
  /** "1층 B구역 7열 14번" / "Floor 1, Section B, Row 7, Seat 14": built from the same parts as the id. */
  readonly label: Localized;
}

export interface SeatGrade {
  /** "VIP", "R", "S", "A", "OP", … unique within a performance. */
  readonly code: string;
  readonly name: Localized;
  /** KRW, integer. */
  readonly price: number;
  /** CSS colour for the seat map; grades are also told apart by a pattern so colour is never the only cue. */
  readonly color: string;
  readonly pattern: 'solid' | 'striped' | 'dotted' | 'cross' | 'ring' | 'diagonal';
}

/** Assigns a grade to the rows of a section (or of every section on a floor when `section` is omitted). */
export interface GradeRule {
  readonly floor: number;
  readonly section?: string;
  /** `OP`, or an inclusive numeric row range. */
  readonly rows: typeof OP_ROW | { readonly from: number; readonly to: number };
  readonly grade: string;
}

export interface CastEntry {
  readonly role: Localized;
  readonly actors: readonly string[];
}

/** Weekly slot pattern in KST: weekday (0 = Sunday) → start times "HH:mm". */
export type WeeklyPattern = Readonly<Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, readonly string[]>>>;

/**
 * How a performance goes on sale (catalog data, per performance). With `queue` on, every hold and confirm for the
 * performance needs an admission from its waiting room: joins from `preQueueOpensAt` enter a pre-queue whose order
 * is drawn by lottery at `opensAt`; later joins are first come, first served; admissions are released at
 * `admitPerMinute`, each valid for `admissionWindowMinutes` and up to `maxHoldsPerAdmission` holds.
 */
export interface OnSaleConfig {
  readonly queue: boolean;
  readonly preQueueOpensAt: EpochMs;
  readonly opensAt: EpochMs;
  readonly admitPerMinute: number;
  readonly admissionWindowMinutes: number;
  readonly maxHoldsPerAdmission: number;
}

export interface Performance {
  readonly id: string;
  readonly title: Localized;
  readonly genre: Genre;
  readonly description: Localized;
  readonly venueId: string;
  readonly runStart: KstDate;
  readonly runEnd: KstDate;
  readonly runtimeMinutes: number;
  /** Minimum age, e.g. 8 for "8세 이상"; 0 = all ages. */
  readonly minAge: number;
  readonly cast: readonly CastEntry[];
  readonly grades: readonly SeatGrade[];
  /** First matching rule wins; a seat no rule matches is not sold for this performance. */
  readonly gradeRules: readonly GradeRule[];
  readonly sellsOp: boolean;
  readonly status: PerformanceStatus;
  readonly weeklyPattern: WeeklyPattern;
  /** Poster background colours for the generated SVG poster (no copyrighted images). */
  readonly posterPalette: readonly [string, string];
  /** Absent: on sale without a waiting room. */
  readonly onSale?: OnSaleConfig;
}

export interface ScheduleCasting {
  readonly role: Localized;
  readonly actor: string;
}

/** One show slot of a performance. */
export interface Schedule {
  readonly id: string;
  readonly performanceId: string;
  readonly startsAt: EpochMs;
  /** KST date and time of `startsAt`, kept for display and date filters. */
  readonly date: KstDate;
  readonly time: string;
  readonly casting: readonly ScheduleCasting[];
  readonly status: ScheduleStatus;
}
