import type { SeatGrade } from './types.js';

type GradeStyle = Pick<SeatGrade, 'name' | 'color' | 'pattern'>;

/**
 * One look per grade code across every performance, so "R석" is the same colour and pattern everywhere. Each code has
 * its own pattern too, because colour alone must never be the only way to tell grades apart.
 */
const STYLES = {
  VIP: { name: { ko: 'VIP석', en: 'VIP' }, color: '#7B2CBF', pattern: 'solid' },
  OP: { name: { ko: 'OP석', en: 'OP (orchestra pit)' }, color: '#D62828', pattern: 'ring' },
  R: { name: { ko: 'R석', en: 'R seat' }, color: '#2A9D8F', pattern: 'striped' },
  S: { name: { ko: 'S석', en: 'S seat' }, color: '#3A86FF', pattern: 'dotted' },
  A: { name: { ko: 'A석', en: 'A seat' }, color: '#E76F51', pattern: 'diagonal' },
  B: { name: { ko: 'B석', en: 'B seat' }, color: '#6C757D', pattern: 'cross' },
} as const satisfies Record<string, GradeStyle>;

export type GradeCode = keyof typeof STYLES;

/** A seat grade with the standard name, colour and pattern for its code; price in KRW. */
export function grade(code: GradeCode, price: number): SeatGrade {
  return { code, price, ...STYLES[code] };
}
