import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { LOCALES, type Locale } from '../shared/i18n.js';

export type Messages = Readonly<Record<string, string>>;

export function loadMessages(viewsDir: string): Record<Locale, Messages> {
  const load = (locale: Locale) =>
    JSON.parse(readFileSync(join(viewsDir, 'i18n', `${locale}.json`), 'utf8')) as Messages;
  const messages = { ko: load('ko'), en: load('en') };
  for (const [from, to] of [
    ['ko', 'en'],
    ['en', 'ko'],
  ] as const) {
    const missing = Object.keys(messages[from]).filter((k) => !(k in messages[to]));
    if (missing.length > 0) throw new Error(`${to}.json lacks: ${missing.join(', ')}`);
  }
  return messages;
}

/** Korean by default; `?lang=en` switches and is remembered in a cookie. */
export function localeOf(req: Request, res: Response): Locale {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  if (asked && (LOCALES as readonly string[]).includes(asked)) {
    res.cookie('lang', asked, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, path: '/' });
    return asked as Locale;
  }
  const cookie = /(?:^|;\s*)lang=(ko|en)(?:;|$)/.exec(req.get('cookie') ?? '')?.[1];
  return (cookie as Locale | undefined) ?? 'ko';
}
