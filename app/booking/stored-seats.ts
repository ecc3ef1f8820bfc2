import { parseSeatId, seatLabel } from '../catalog/seats.js';
import type { SeatGrade } from '../catalog/types.js';
import type { Localized } from '../shared/i18n.js';
import type { PricedSeat } from './model.js';

/**
 * A priced seat as hold and reservation items store it: what was decided when it was held (which seat, which grade,
 * what price) and nothing that can be derived again. The label is a function of the seat id (the venue builds its
 * own labels from the same parts) and the grade's name comes from the performance's grades; both are filled in on
 * read (`pricedSeatOf`). Items written before this change still carry both, and those stored values win.
 */
export interface StoredSeat {
  readonly seatId: string;
  readonly grade: string;
  readonly price: number;
  readonly label?: Localized;
  readonly gradeName?: Localized;
}

/** What a new hold or reservation item stores of a seat: id, grade code and the server's price. */
export function storedSeatOf(seat: PricedSeat): StoredSeat {
  return { seatId: seat.seatId, grade: seat.grade, price: seat.price };
}

/**
 * The seat as readers see it. `grades` are the performance's (undefined when the catalog no longer has it); a grade
 * it no longer defines is named by its code, so a reservation stays readable whatever happens to the catalog.
 */
export function pricedSeatOf(stored: StoredSeat, grades: readonly SeatGrade[] | undefined): PricedSeat {
  return {
    seatId: stored.seatId,
    label: stored.label ?? labelOf(stored.seatId),
    grade: stored.grade,
    gradeName: stored.gradeName ??
      grades?.find((g) => g.code === stored.grade)?.name ?? { ko: stored.grade, en: stored.grade },
    price: stored.price,
  };
}

function labelOf(seatId: string): Localized {
  const parts = parseSeatId(seatId);
  return parts ? seatLabel(parts) : { ko: seatId, en: seatId };
}
