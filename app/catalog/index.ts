/** The catalog's public API: a pure domain core (no AWS, Express or templates). */
export * from './types.js';
export { seatId, parseSeatId, seatLabel, rowLabel, seatsOf, seatIndexOf, findSeat, totalSeats } from './seats.js';
export type { SeatIdParts } from './seats.js';
export { gradeOf, sellableSeats, sellableSeat, startingPrice, priceTable } from './grades.js';
export type { SellableSeat, PriceRow } from './grades.js';
export { generateSchedules, demoSchedules, scheduleId, DEMO_SCHEDULE_DAYS } from './schedules.js';
export { posterSvg, wrapTitle } from './poster.js';
export { escapeXml } from './escape-xml.js';
export { GENRE_LABELS } from './genres.js';
export { performanceProblems } from './validation.js';
export { demoPerformances } from './demo-catalog.js';
export {
  demoVenues,
  HANGANG_GRAND_THEATER,
  HANGANG_DEFAULT_GRADE_RULES,
  DAEHANGNO_PLAYHOUSE,
  SEONGSU_MID_THEATER,
  SEOUL_HARMONIA_HALL,
} from './venues.js';
