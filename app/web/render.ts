import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { HX, htmxTargetId, isHtmxRequest } from './htmx.js';

export interface PageOptions {
  readonly status?: number;
  /**
   * Regions of the page an htmx request may ask for alone: target element id → partial. The page template includes
   * the same partials, so one partial serves both the full page and the htmx response.
   */
  readonly fragments?: Readonly<Record<string, string>>;
  /** The URL the browser shows for this page when it differs from the request's (after a POST). */
  readonly url?: string;
}

/**
 * One template per page: rendered inside the base layout for a normal request, alone as the fragment an htmx
 * request swaps into `#main`, or as one of its declared partials when htmx targets that region.
 * `Vary: HX-Request, HX-Target` keeps caches from mixing them.
 */
export class Renderer {
  private readonly eta: Eta;

  constructor(viewsDir: string, cache: boolean) {
    // autoEscape: every `<%= %>` is HTML-escaped; raw output needs an explicit `<%~ %>` that review can find.
    this.eta = new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, 'nl'] });
  }

  page(req: Request, res: Response, template: string, data: Record<string, unknown>, options: PageOptions = {}): void {
    const url = options.url ?? (req.method === 'GET' ? req.originalUrl : '/');
    const other = res.locals.locale === 'en' ? 'ko' : 'en';
    const locals = {
      status: options.status,
      ...res.locals,
      ...data,
      pageUrl: url,
      langUrl: withLang(url, other),
      csrfToken: csrfTokenOf(req),
    };
    res
      .status(options.status ?? 200)
      .setHeader('Vary', 'HX-Request, HX-Target')
      .type('html');
    const partial = options.fragments?.[htmxTargetId(req) ?? ''];
    if (partial) {
      res.send(this.eta.render(partial, locals));
      return;
    }
    if (options.url && isHtmxRequest(req)) res.setHeader(HX.pushUrl, options.url);
    const body = this.eta.render(`pages/${template}`, locals);
    res.send(
      isHtmxRequest(req)
        ? body + this.eta.render('partials/page-chrome', locals)
        : this.eta.render('layouts/base', { ...locals, body }),
    );
  }

  /** A partial alone (htmx-only endpoints such as the availability refresh). */
  partial(res: Response, name: string, data: Record<string, unknown>, status = 200): void {
    res.status(status).setHeader('Vary', 'HX-Request, HX-Target').type('html');
    res.send(this.eta.render(name, { ...res.locals, ...data }));
  }

  /** Renders a template to a string (the seat map compiles its static layout with this once). */
  render(name: string, data: Record<string, unknown>): string {
    return this.eta.render(name, data);
  }
}

function csrfTokenOf(req: Request): string {
  return req.csrfToken?.() ?? '';
}

/** The same page in the other language: the current path and query, with `lang` replaced. */
export function withLang(url: string, lang: string): string {
  const parsed = new URL(url, 'http://page.invalid');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}`;
}
