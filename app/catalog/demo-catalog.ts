import { addDays, kstInstant, weekdayOf } from '../shared/time.js';
import type { EpochMs, KstDate } from '../shared/time.js';
import type { GradeRule, OnSaleConfig, Performance } from './types.js';
import { grade } from './grade-styles.js';
import { MUSICAL_WEEK, PLAY_WEEK, SMALL_MUSICAL_WEEK } from './weekly-patterns.js';
import {
  DAEHANGNO_PLAYHOUSE,
  HANGANG_DEFAULT_GRADE_RULES,
  HANGANG_GRAND_THEATER,
  SEONGSU_MID_THEATER,
  SEOUL_HARMONIA_HALL,
} from './venues.js';

export { demoVenues } from './venues.js';

/*
 * The demo catalog. Every title is invented or a public-domain work; every person is fictional. Run dates are relative
 * to `today` so a freshly started demo always has shows to book, and shows sharing a venue never overlap in time.
 */

/** The first date on or after `from` that falls on `weekday` (0 = Sunday): concerts are booked on real weekends. */
function onOrAfter(from: KstDate, weekday: number): KstDate {
  return addDays(from, (weekday - weekdayOf(from) + 7) % 7);
}

/** The reference theatre's rules without the OP row, for a show that keeps its band in the pit. */
const HANGANG_RULES_WITHOUT_OP: readonly GradeRule[] = HANGANG_DEFAULT_GRADE_RULES.filter((rule) => rule.rows !== 'OP');

const PLAYHOUSE_RULES: readonly GradeRule[] = [
  { floor: 1, rows: { from: 1, to: 7 }, grade: 'R' },
  { floor: 1, rows: { from: 8, to: 11 }, grade: 'S' },
];

const HALL_CONCERT_RULES: readonly GradeRule[] = [
  { floor: 1, section: 'B', rows: { from: 1, to: 10 }, grade: 'VIP' },
  { floor: 1, rows: { from: 1, to: 10 }, grade: 'R' },
  { floor: 1, section: 'B', rows: { from: 11, to: 20 }, grade: 'R' },
  { floor: 1, rows: { from: 11, to: 20 }, grade: 'S' },
  { floor: 2, rows: { from: 1, to: 5 }, grade: 'S' },
  { floor: 2, rows: { from: 6, to: 10 }, grade: 'A' },
  { floor: 3, rows: { from: 1, to: 10 }, grade: 'A' },
];

const HALL_CLASSICAL_RULES: readonly GradeRule[] = [
  { floor: 1, rows: { from: 1, to: 14 }, grade: 'R' },
  { floor: 1, rows: { from: 15, to: 20 }, grade: 'S' },
  { floor: 2, rows: { from: 1, to: 10 }, grade: 'S' },
  { floor: 3, rows: { from: 1, to: 5 }, grade: 'A' },
  { floor: 3, rows: { from: 6, to: 10 }, grade: 'B' },
];

const MINUTE_MS = 60_000;

/**
 * The demo's stampede: the pre-queue opens at `now` (the seeding instant, when the lottery seed is committed) and the
 * sale opens at the next 5-minute mark at least 3 minutes later, so a freshly started demo shows the pre-queue, the
 * draw and the admissions within minutes.
 */
export function demoOnSale(now: EpochMs): OnSaleConfig {
  const step = 5 * MINUTE_MS;
  return {
    queue: true,
    preQueueOpensAt: now,
    opensAt: Math.ceil((now + 3 * MINUTE_MS) / step) * step,
    admitPerMinute: 120,
    admissionWindowMinutes: 10,
    maxHoldsPerAdmission: 3,
  };
}

/**
 * `now` places the demo on-sale (see `demoOnSale`); it defaults to noon of `today` so the catalog is a pure function of
 * its arguments in tests.
 */
export function demoPerformances(today: KstDate, now: EpochMs = kstInstant(today, '12:00')): Performance[] {
  const day = (offset: number): KstDate => addDays(today, offset);
  const rockFriday = onOrAfter(day(10), 5);
  const ripple = onOrAfter(day(24), 6);
  const recitalThursday = onOrAfter(day(6), 4);
  const choralFriday = onOrAfter(day(38), 5);
  const tideSaturday = onOrAfter(day(52), 6);

  return [
    {
      id: 'perf-moonlight-garden',
      title: { ko: '달빛 정원', en: 'Moonlight Garden' },
      genre: 'musical',
      description: {
        ko: '달이 뜨는 밤에만 꽃이 피는 비밀의 정원. 정원지기 한결과 달에서 내려온 소녀 세아가 사라져 가는 기억을 되찾기 위해 하룻밤의 여정을 떠난다. 20인조 오케스트라의 라이브 연주로 만나는 창작 뮤지컬.',
        en: 'A secret garden whose flowers bloom only under the moon. Hangyeol, its young keeper, and Sea, a girl fallen from the moon, set out on a one-night journey to win back memories that are fading away. An original Korean musical with a live 20-piece orchestra.',
      },
      venueId: HANGANG_GRAND_THEATER.id,
      runStart: day(-20),
      runEnd: day(55),
      runtimeMinutes: 160,
      minAge: 8,
      cast: [
        { role: { ko: '한결', en: 'Hangyeol' }, actors: ['김도윤', '이서준', '박지훈'] },
        { role: { ko: '세아', en: 'Sea' }, actors: ['최유나', '정하은'] },
        { role: { ko: '늙은 시계공', en: 'The Old Clockmaker' }, actors: ['윤상철', '강민호'] },
      ],
      grades: [
        grade('OP', 170_000),
        grade('VIP', 170_000),
        grade('R', 140_000),
        grade('S', 110_000),
        grade('A', 80_000),
      ],
      gradeRules: HANGANG_DEFAULT_GRADE_RULES,
      sellsOp: true,
      status: 'ACTIVE',
      weeklyPattern: MUSICAL_WEEK,
      posterPalette: ['#1B1F4B', '#C9A227'],
    },
    {
      id: 'perf-boy-who-swallowed-stars',
      title: { ko: '별을 삼킨 소년', en: 'The Boy Who Swallowed the Stars' },
      genre: 'musical',
      description: {
        ko: '밤하늘의 별이 하나씩 사라지는 마을, 별을 삼켜 버린 소년 별이와 늙은 천문학자가 하늘에 별을 되돌려 놓기 위해 길을 나선다. 온 가족이 함께 보는 창작 뮤지컬.',
        en: 'In a village where the stars go out one by one, Byeori, the boy who swallowed them, and an old astronomer set out to put them back in the sky. An original musical for the whole family.',
      },
      venueId: HANGANG_GRAND_THEATER.id,
      runStart: day(60),
      runEnd: day(150),
      runtimeMinutes: 150,
      minAge: 8,
      cast: [
        { role: { ko: '별이', en: 'Byeori' }, actors: ['한지우', '오승현'] },
        { role: { ko: '천문학자', en: 'The Astronomer' }, actors: ['임재성', '문경호'] },
        { role: { ko: '달토끼', en: 'The Moon Rabbit' }, actors: ['신아름', '조예린', '황보미'] },
      ],
      grades: [grade('VIP', 170_000), grade('R', 140_000), grade('S', 110_000), grade('A', 80_000)],
      gradeRules: HANGANG_RULES_WITHOUT_OP,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: MUSICAL_WEEK,
      posterPalette: ['#0B132B', '#5BC0BE'],
    },
    {
      id: 'perf-alley-laundromat',
      title: { ko: '골목길 세탁소', en: 'The Alley Laundromat' },
      genre: 'musical',
      description: {
        ko: '재개발을 앞둔 골목의 마지막 동네 세탁소. 30년째 가게를 지켜 온 말순 씨와 아르바이트생 도현이 손님들의 옷과 함께 맡겨진 사연을 하나씩 돌려준다.',
        en: 'The last neighbourhood laundromat in an alley about to be redeveloped. Malsun, who has run it for thirty years, and Dohyeon, her part-timer, return the stories left behind with their customers’ clothes.',
      },
      venueId: SEONGSU_MID_THEATER.id,
      runStart: day(-30),
      runEnd: day(80),
      runtimeMinutes: 110,
      minAge: 8,
      cast: [
        { role: { ko: '말순', en: 'Malsun' }, actors: ['배윤경', '신혜진'] },
        { role: { ko: '도현', en: 'Dohyeon' }, actors: ['장우진', '류하준', '송태윤'] },
      ],
      grades: [grade('R', 77_000), grade('S', 55_000)],
      gradeRules: [
        { floor: 1, rows: { from: 1, to: 8 }, grade: 'R' },
        { floor: 1, rows: { from: 9, to: 12 }, grade: 'S' },
        { floor: 2, rows: { from: 1, to: 8 }, grade: 'S' },
      ],
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: SMALL_MUSICAL_WEEK,
      posterPalette: ['#386641', '#F2E8CF'],
    },
    {
      id: 'perf-hamlet',
      title: { ko: '햄릿', en: 'Hamlet' },
      genre: 'play',
      description: {
        ko: '셰익스피어의 비극을 여섯 명의 배우가 빈 무대 위에서 다시 쓴다. 복수와 망설임 사이에 선 덴마크 왕자의 이야기.',
        en: 'Shakespeare’s tragedy retold by six actors on a bare stage: the Prince of Denmark, caught between revenge and hesitation.',
      },
      venueId: DAEHANGNO_PLAYHOUSE.id,
      runStart: day(-20),
      runEnd: day(30),
      runtimeMinutes: 150,
      minAge: 14,
      cast: [
        { role: { ko: '햄릿', en: 'Hamlet' }, actors: ['조성민', '허준영'] },
        { role: { ko: '오필리어', en: 'Ophelia' }, actors: ['김나래', '유은비'] },
        { role: { ko: '클로디어스', en: 'Claudius' }, actors: ['박경수'] },
        { role: { ko: '거트루드', en: 'Gertrude' }, actors: ['이미선'] },
      ],
      grades: [grade('R', 66_000), grade('S', 50_000)],
      gradeRules: PLAYHOUSE_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: PLAY_WEEK,
      posterPalette: ['#2B2D42', '#8D0801'],
    },
    {
      id: 'perf-seagull',
      title: { ko: '갈매기', en: 'The Seagull' },
      genre: 'play',
      description: {
        ko: '체호프의 희극. 호숫가 영지에 모인 배우, 작가, 그리고 무대를 꿈꾸는 청년들이 사랑과 예술 앞에서 엇갈린다.',
        en: 'Chekhov’s comedy: actors, writers and young dreamers gathered at a lakeside estate cross paths over love and art.',
      },
      venueId: DAEHANGNO_PLAYHOUSE.id,
      runStart: day(35),
      runEnd: day(120),
      runtimeMinutes: 140,
      minAge: 13,
      cast: [
        { role: { ko: '니나', en: 'Nina' }, actors: ['정소율', '표지안'] },
        { role: { ko: '트레플료프', en: 'Treplev' }, actors: ['권도하', '백승훈'] },
        { role: { ko: '아르카지나', en: 'Arkadina' }, actors: ['오현숙'] },
      ],
      grades: [grade('R', 60_000), grade('S', 50_000)],
      gradeRules: PLAYHOUSE_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: PLAY_WEEK,
      posterPalette: ['#0077B6', '#CAF0F8'],
    },
    {
      // A closed run, kept to show that INACTIVE performances stay out of listings and schedules.
      id: 'perf-cherry-orchard',
      title: { ko: '벚꽃 동산', en: 'The Cherry Orchard' },
      genre: 'play',
      description: {
        ko: '체호프의 마지막 희곡. 빚에 몰려 벚꽃 동산을 잃게 된 귀족 가문의 마지막 여름.',
        en: 'Chekhov’s last play: the final summer of a noble family about to lose its cherry orchard to debt.',
      },
      venueId: DAEHANGNO_PLAYHOUSE.id,
      runStart: day(-110),
      runEnd: day(-25),
      runtimeMinutes: 130,
      minAge: 13,
      cast: [
        { role: { ko: '라네프스카야', en: 'Ranevskaya' }, actors: ['오현숙'] },
        { role: { ko: '로파힌', en: 'Lopakhin' }, actors: ['박경수', '권도하'] },
      ],
      grades: [grade('R', 60_000), grade('S', 50_000)],
      gradeRules: PLAYHOUSE_RULES,
      sellsOp: false,
      status: 'INACTIVE',
      weeklyPattern: PLAY_WEEK,
      posterPalette: ['#FFAFCC', '#6D597A'],
    },
    {
      id: 'perf-dawn-station-live',
      title: { ko: '새벽정류장 콘서트 〈첫차〉', en: 'Dawn Station Live “First Bus”' },
      genre: 'concert',
      description: {
        ko: '4인조 밴드 새벽정류장의 데뷔 5주년 단독 콘서트. 정규 3집 수록곡과 미발표 신곡을 라이브 밴드 사운드로 들려준다.',
        en: 'The four-piece band Dawn Station celebrates five years since its debut with songs from its third album and unreleased new tracks, played live.',
      },
      venueId: SEOUL_HARMONIA_HALL.id,
      runStart: rockFriday,
      runEnd: addDays(rockFriday, 2),
      runtimeMinutes: 150,
      minAge: 8,
      cast: [
        { role: { ko: '보컬', en: 'Vocals' }, actors: ['윤하람'] },
        { role: { ko: '기타', en: 'Guitar' }, actors: ['서진우'] },
        { role: { ko: '베이스', en: 'Bass' }, actors: ['이태오'] },
        { role: { ko: '드럼', en: 'Drums' }, actors: ['김보람'] },
      ],
      grades: [grade('VIP', 154_000), grade('R', 132_000), grade('S', 110_000), grade('A', 99_000)],
      gradeRules: HALL_CONCERT_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: { 5: ['20:00'], 6: ['18:00'], 0: ['17:00'] },
      posterPalette: ['#3A0CA3', '#F72585'],
    },
    {
      id: 'perf-yunseul-ripple',
      title: { ko: '윤슬 단독 콘서트 〈물결〉', en: 'YUNSEUL Solo Concert “Ripple”' },
      genre: 'concert',
      description: {
        ko: '싱어송라이터 윤슬의 첫 대극장 단독 공연. 스트링 쿼텟과 함께하는 어쿠스틱 편곡 무대.',
        en: 'Singer-songwriter YUNSEUL’s first solo show in a large hall, with acoustic arrangements and a string quartet.',
      },
      venueId: SEOUL_HARMONIA_HALL.id,
      runStart: ripple,
      runEnd: addDays(ripple, 1),
      runtimeMinutes: 120,
      minAge: 8,
      cast: [
        { role: { ko: '보컬', en: 'Vocals' }, actors: ['윤슬'] },
        { role: { ko: '게스트', en: 'Guest' }, actors: ['하루온', '정새벽'] },
      ],
      grades: [grade('VIP', 154_000), grade('R', 143_000), grade('S', 121_000), grade('A', 99_000)],
      gradeRules: HALL_CONCERT_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: { 6: ['18:00'], 0: ['17:00'] },
      posterPalette: ['#00B4D8', '#FFD6A5'],
    },
    {
      id: 'perf-winterreise',
      title: { ko: '겨울 나그네 — 슈베르트 가곡의 밤', en: 'Winterreise — An Evening of Schubert Songs' },
      genre: 'classical',
      description: {
        ko: '슈베르트의 연가곡 〈겨울 나그네〉 24곡 전곡을 바리톤과 피아노로 만나는 밤.',
        en: 'All twenty-four songs of Schubert’s cycle Winterreise, for baritone and piano.',
      },
      venueId: SEOUL_HARMONIA_HALL.id,
      runStart: recitalThursday,
      runEnd: recitalThursday,
      runtimeMinutes: 80,
      minAge: 8,
      cast: [
        { role: { ko: '바리톤', en: 'Baritone' }, actors: ['차윤호'] },
        { role: { ko: '피아노', en: 'Piano' }, actors: ['남서현'] },
      ],
      grades: [grade('R', 90_000), grade('S', 70_000), grade('A', 50_000), grade('B', 30_000)],
      gradeRules: HALL_CLASSICAL_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: { 4: ['19:30'] },
      posterPalette: ['#415A77', '#E0E1DD'],
    },
    {
      id: 'perf-choral-symphony',
      title: { ko: '베토벤 교향곡 9번 〈합창〉', en: 'Beethoven Symphony No. 9 “Choral”' },
      genre: 'classical',
      description: {
        ko: '한강 필하모닉 오케스트라와 120인 합창단이 들려주는 베토벤의 마지막 교향곡.',
        en: 'Beethoven’s last symphony, performed by the Hangang Philharmonic Orchestra and a 120-voice choir.',
      },
      venueId: SEOUL_HARMONIA_HALL.id,
      runStart: choralFriday,
      runEnd: addDays(choralFriday, 1),
      runtimeMinutes: 90,
      minAge: 8,
      cast: [
        { role: { ko: '지휘', en: 'Conductor' }, actors: ['한도윤'] },
        { role: { ko: '소프라노', en: 'Soprano' }, actors: ['이수민'] },
        { role: { ko: '메조소프라노', en: 'Mezzo-soprano' }, actors: ['김가람'] },
        { role: { ko: '테너', en: 'Tenor' }, actors: ['박준영'] },
        { role: { ko: '베이스', en: 'Bass' }, actors: ['오태석'] },
        { role: { ko: '연주', en: 'Orchestra' }, actors: ['한강 필하모닉 오케스트라'] },
      ],
      grades: [grade('R', 120_000), grade('S', 90_000), grade('A', 60_000), grade('B', 30_000)],
      gradeRules: HALL_CLASSICAL_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: { 5: ['20:00'], 6: ['17:00'] },
      posterPalette: ['#14213D', '#FCA311'],
    },
    {
      // The on-sale demo: a stampede show behind the waiting room (see demoOnSale).
      id: 'perf-neon-tide-live',
      title: { ko: '네온타이드 월드투어 〈밀물〉 서울', en: 'NEON TIDE World Tour “High Tide” in Seoul' },
      genre: 'concert',
      description: {
        ko: '5인조 그룹 네온타이드의 첫 월드투어 서울 공연. 단 이틀, 티켓 오픈은 대기열을 통해 진행되며 오픈 전 사전 대기열은 공개 추첨으로 순서를 정한다.',
        en: 'The five-piece group NEON TIDE opens its first world tour in Seoul. Two nights only; tickets go on sale through the waiting room, and the pre-queue’s order is drawn by a public lottery at opening.',
      },
      venueId: SEOUL_HARMONIA_HALL.id,
      runStart: tideSaturday,
      runEnd: addDays(tideSaturday, 1),
      runtimeMinutes: 150,
      minAge: 8,
      cast: [
        { role: { ko: '리더·보컬', en: 'Leader, vocals' }, actors: ['서하온'] },
        { role: { ko: '보컬', en: 'Vocals' }, actors: ['강이든', '민라온'] },
        { role: { ko: '랩', en: 'Rap' }, actors: ['도시윤', '채누리'] },
      ],
      grades: [grade('VIP', 154_000), grade('R', 132_000), grade('S', 110_000), grade('A', 99_000)],
      gradeRules: HALL_CONCERT_RULES,
      sellsOp: false,
      status: 'ACTIVE',
      weeklyPattern: { 6: ['18:00'], 0: ['17:00'] },
      posterPalette: ['#03045E', '#F15BB5'],
      onSale: demoOnSale(now),
    },
  ];
}
