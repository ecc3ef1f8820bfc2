import type { WeeklyPattern } from './types.js';

/** Typical Seoul large-musical week: dark on Monday, two shows on weekends. */
export const MUSICAL_WEEK: WeeklyPattern = {
  2: ['19:30'],
  3: ['19:30'],
  4: ['19:30'],
  5: ['19:30'],
  6: ['14:00', '19:00'],
  0: ['14:00', '18:00'],
};

/** Daehangno-style play week: later weekday curtain for office workers, weekend matinee and evening. */
export const PLAY_WEEK: WeeklyPattern = {
  2: ['20:00'],
  3: ['20:00'],
  4: ['20:00'],
  5: ['20:00'],
  6: ['15:00', '19:00'],
  0: ['15:00', '19:00'],
};

/** Small-musical week: like a play week but with earlier Sunday shows. */
export const SMALL_MUSICAL_WEEK: WeeklyPattern = {
  2: ['20:00'],
  3: ['20:00'],
  4: ['20:00'],
  5: ['20:00'],
  6: ['15:00', '19:00'],
  0: ['14:00', '18:00'],
};
