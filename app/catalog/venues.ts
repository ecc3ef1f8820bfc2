import type { GradeRule, Venue } from './types.js';
import { opRow, rows, section } from './layout-builders.js';

/*
 * Demo venues. Names and addresses are fictional; the grand theatre's layout is the SPEC's reference layout of a real
 * 1,210-seat Seoul theatre, so tests can pin its numbers exactly.
 */

/** The reference 1,210-seat musical theatre (SPEC 2): two floors, an OP row in front of section B. */
export const HANGANG_GRAND_THEATER: Venue = {
  id: 'venue-hangang-grand',
  name: { ko: '한강아트센터 대극장', en: 'Hangang Arts Center Grand Theater' },
  address: { ko: '서울특별시 용산구 한강대로 901', en: '901 Hangang-daero, Yongsan-gu, Seoul' },
  floors: [
    {
      floor: 1,
      sections: [
        section('A', 1, [...rows(1, 10, 12), ...rows(11, 15, 14), ...rows(16, 17, 15)]), // 220
        section('B', 0, [opRow(12), ...rows(1, 17, 14)]), // 12 + 238 = 250
        section('C', 1, [...rows(1, 10, 12), ...rows(11, 15, 14), ...rows(16, 17, 15)]), // 220
      ],
    },
    {
      floor: 2,
      sections: [
        section('D', 1, rows(1, 13, 13)), // 169
        section('E', 0, rows(1, 13, 14)), // 182
        section('F', 1, rows(1, 13, 13)), // 169
      ],
    },
  ],
};

/** SPEC 2 default row grades for the reference theatre. Order matters: the first matching rule wins. */
export const HANGANG_DEFAULT_GRADE_RULES: readonly GradeRule[] = [
  { floor: 1, section: 'B', rows: 'OP', grade: 'OP' },
  { floor: 1, section: 'B', rows: { from: 1, to: 3 }, grade: 'VIP' },
  { floor: 1, section: 'B', rows: { from: 4, to: 10 }, grade: 'R' },
  { floor: 1, section: 'B', rows: { from: 11, to: 14 }, grade: 'S' },
  { floor: 1, section: 'B', rows: { from: 15, to: 17 }, grade: 'A' },
  { floor: 1, section: 'A', rows: { from: 1, to: 5 }, grade: 'R' },
  { floor: 1, section: 'A', rows: { from: 6, to: 10 }, grade: 'S' },
  { floor: 1, section: 'A', rows: { from: 11, to: 17 }, grade: 'A' },
  { floor: 1, section: 'C', rows: { from: 1, to: 5 }, grade: 'R' },
  { floor: 1, section: 'C', rows: { from: 6, to: 10 }, grade: 'S' },
  { floor: 1, section: 'C', rows: { from: 11, to: 17 }, grade: 'A' },
  { floor: 2, rows: { from: 1, to: 3 }, grade: 'S' },
  { floor: 2, rows: { from: 4, to: 13 }, grade: 'A' },
];

/** A 298-seat Daehangno-style playhouse: one raked floor, a wider centre block. */
export const DAEHANGNO_PLAYHOUSE: Venue = {
  id: 'venue-daehangno-starlight',
  name: { ko: '대학로 별빛소극장', en: 'Daehangno Starlight Playhouse' },
  address: { ko: '서울특별시 종로구 대학로 988', en: '988 Daehak-ro, Jongno-gu, Seoul' },
  floors: [
    {
      floor: 1,
      sections: [
        section('A', 1, rows(1, 11, 8)), // 88
        section('B', 0, [...rows(1, 5, 10), ...rows(6, 11, 12)]), // 50 + 72 = 122
        section('C', 1, rows(1, 11, 8)), // 88
      ],
    },
  ],
};

/** A 520-seat mid-size theatre: a three-block stalls floor and a single wide balcony. */
export const SEONGSU_MID_THEATER: Venue = {
  id: 'venue-seongsu-mid',
  name: { ko: '성수아트홀 중극장', en: 'Seongsu Art Hall Mid Theater' },
  address: { ko: '서울특별시 성동구 성수이로 977', en: '977 Seongsui-ro, Seongdong-gu, Seoul' },
  floors: [
    {
      floor: 1,
      sections: [
        section('A', 1, rows(1, 12, 8)), // 96
        section('B', 0, rows(1, 12, 14)), // 168
        section('C', 1, rows(1, 12, 8)), // 96
      ],
    },
    { floor: 2, sections: [section('D', 0, rows(1, 8, 20))] }, // 160
  ],
};

/** A 2,100-seat concert hall over three floors, for concerts and orchestras. */
export const SEOUL_HARMONIA_HALL: Venue = {
  id: 'venue-seoul-harmonia',
  name: { ko: '서울하모니아 콘서트홀', en: 'Seoul Harmonia Concert Hall' },
  address: { ko: '서울특별시 송파구 올림픽로 990', en: '990 Olympic-ro, Songpa-gu, Seoul' },
  floors: [
    {
      floor: 1,
      sections: [
        section('A', 1, rows(1, 20, 16)), // 320
        section('B', 0, rows(1, 20, 24)), // 480
        section('C', 1, rows(1, 20, 16)), // 320
      ],
    },
    {
      floor: 2,
      sections: [
        section('D', 1, rows(1, 10, 14)), // 140
        section('E', 0, rows(1, 10, 20)), // 200
        section('F', 1, rows(1, 10, 14)), // 140
      ],
    },
    {
      floor: 3,
      sections: [
        section('G', 1, rows(1, 10, 14)), // 140
        section('H', 0, rows(1, 10, 22)), // 220
        section('I', 1, rows(1, 10, 14)), // 140
      ],
    },
  ],
};

export const demoVenues: readonly Venue[] = [
  HANGANG_GRAND_THEATER,
  DAEHANGNO_PLAYHOUSE,
  SEONGSU_MID_THEATER,
  SEOUL_HARMONIA_HALL,
];
