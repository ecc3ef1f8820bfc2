import type { AssistantTool } from './define.js';
import { cancelHold } from './cancel-hold.js';
import { getAvailableSeats } from './get-available-seats.js';
import { getCancellationPolicy } from './get-cancellation-policy.js';
import { getMyReservations } from './get-my-reservations.js';
import { getPerformanceDetails } from './get-performance-details.js';
import { getPerformanceSchedules } from './get-performance-schedules.js';
import { getPerformances } from './get-performances.js';
import { getSeatGrades } from './get-seat-grades.js';
import { getVenueInfo } from './get-venue-info.js';
import { holdSeats } from './hold-seats.js';

/** The assistant's tools, in the order the model sees them (that order is part of the cached prompt prefix). */
export const ASSISTANT_TOOLS: readonly AssistantTool[] = [
  getPerformances,
  getPerformanceDetails,
  getPerformanceSchedules,
  getSeatGrades,
  getVenueInfo,
  getAvailableSeats,
  holdSeats,
  cancelHold,
  getMyReservations,
  getCancellationPolicy,
] as readonly AssistantTool[];
