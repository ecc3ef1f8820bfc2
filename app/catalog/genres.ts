import type { Localized } from '../shared/i18n.js';
import type { Genre } from './types.js';

/** How each genre is named to people, e.g. on posters, filters and by the assistant. */
export const GENRE_LABELS: Readonly<Record<Genre, Localized>> = {
  musical: { ko: '뮤지컬', en: 'Musical' },
  concert: { ko: '콘서트', en: 'Concert' },
  play: { ko: '연극', en: 'Play' },
  classical: { ko: '클래식', en: 'Classical' },
};
