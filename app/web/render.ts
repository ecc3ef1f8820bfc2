import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { deflatePiece, gzipSpliced, type Deflated } from './gzip-splice.js';
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
  /**
   * A large region of the page (the seat grid) that the template prints as `it.splice`: when the browser accepts
   * gzip it is compressed once per `key` and spliced into each response between the freshly compressed rest of the
   * page, so a 250 KB grid costs one deflate per seat state instead of one per request.
   */
  readonly splice?: { readonly html: () => string; readonly key?: string };
}

const SPLICE_MARK = '\u0000splice\u0000';

/**
 * One template per page: rendered inside the base layout for a normal request, alone as the fragment an htmx
 * request swaps into `#main`, or as one of its declared partials when htmx targets that region.
 * `Vary: HX-Request, HX-Target` keeps caches from mixing them.
 */
export class Renderer {
  private readonly eta: Eta;
  private readonly deflated = new Map<string, Deflated>();

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
    if (options.splice) (locals as Record<string, unknown>).splice = SPLICE_MARK;
    const body = this.eta.render(`pages/${template}`, locals);
    const html = isHtmxRequest(req)
      ? body + this.eta.render('partials/page-chrome', locals)
      : this.eta.render('layouts/base', { ...locals, body });
    if (options.splice) this.sendSpliced(req, res, html, options.splice);
    else res.send(html);
  }

  private sendSpliced(req: Request, res: Response, html: string, splice: NonNullable<PageOptions['splice']>): void {
    const [before, after, ...rest] = html.split(SPLICE_MARK);
    if (after === undefined || rest.length > 0) throw new Error('a spliced page must print it.splice exactly once');
    res.append('Vary', 'Accept-Encoding');
    if (req.acceptsEncodings(['gzip', 'identity']) !== 'gzip') {
      res.send(before! + splice.html() + after);
      return;
    }
    let middle = splice.key === undefined ? undefined : this.deflated.get(splice.key);
    if (!middle) {
      middle = deflatePiece(splice.html());
      if (splice.key !== undefined) {
        if (this.deflated.size >= 64) this.deflated.delete(this.deflated.keys().next().value!);
        this.deflated.set(splice.key, middle);
      }
    }
    res.setHeader('Content-Encoding', 'gzip');
    res.send(gzipSpliced([before!, middle, after]));
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
