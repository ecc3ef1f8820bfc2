import { Eta } from 'eta';
import { logRouteAs, routePattern } from '../http/request-log.js';
import type { Request, RequestHandler, Response } from 'express';
import { deflatePiece, gzipSpliced, type Deflated } from './gzip-splice.js';
import { HX, htmxTargetId, isHtmxRequest } from './htmx.js';
import { sessionToken } from './session.js';
import { sendShared, SharedPage, TOKEN_MARK, type Segment, type SharedPages } from './shared-pages.js';

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
  /**
   * The version of the data this page shows (`versionOf` the cached reads it used), when the page is the same for
   * every anonymous visitor given the request: an anonymous request is then answered from one shared rendering
   * per version (`shared-pages.ts`) with the visitor's own CSRF token filled in. A logged-in visitor's page is always
   * rendered for them.
   */
  readonly shared?: string;
}

/**
 * What a shared page may take from `res.locals`: what it is kept under (language, region, DR state and banner) and
 * what follows from those (the language's helpers, the region's name), and the assistant panel's status. Anything else a middleware puts there (the
 * user, or something per visitor added later) never reaches a shared page; a new value the layout needs must be
 * added to KEYED_LOCALS, which also makes it part of the key.
 */
// `assistant`: the panel on every page (offline or Bedrock, the message limit), the same for every visitor.
const KEYED_LOCALS = ['locale', 'region', 'drActive', 'drBanner', 'assistant'] as const;
const SHARED_LOCALS = [...KEYED_LOCALS, 'fmt', 't', 'regionName'] as const;
/** Longer URLs are rendered per request rather than kept. */
const SHARED_URL_MAX = 512;

const SPLICE_MARK = '\u0000splice\u0000';

/**
 * One template per page: rendered inside the base layout for a normal request, alone as the fragment an htmx
 * request swaps into `#main`, or as one of its declared partials when htmx targets that region.
 * `Vary: HX-Request, HX-Target` keeps caches from mixing them.
 */
export class Renderer {
  private readonly eta: Eta;
  private readonly deflated = new Map<string, Deflated>();

  constructor(
    viewsDir: string,
    cache: boolean,
    private readonly shared?: SharedPages,
  ) {
    // autoEscape: every `<%= %>` is HTML-escaped; raw output needs an explicit `<%~ %>` that review can find.
    this.eta = new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, 'nl'] });
  }

  /**
   * Answers from the shared page of this request and data version when the visitor may share it and it is kept;
   * false when the caller must build the page (a route whose data takes work checks this first).
   */
  sentShared(req: Request, res: Response, options: PageOptions): boolean {
    return this.sendKept(req, res, this.shareKey(req, res, options), options);
  }

  page(req: Request, res: Response, template: string, data: Record<string, unknown>, options: PageOptions = {}): void {
    const shareKey = this.shareKey(req, res, options);
    if (this.sendKept(req, res, shareKey, options)) return;
    const url = options.url ?? (req.method === 'GET' ? req.originalUrl : '/');
    const other = res.locals.locale === 'en' ? 'ko' : 'en';
    const locals: Record<string, unknown> = {
      status: options.status,
      ...(shareKey === undefined ? res.locals : pick(res.locals, SHARED_LOCALS)),
      ...data,
      pageUrl: url,
      langUrl: withLang(url, other),
      csrfToken: shareKey === undefined ? csrfTokenOf(req) : TOKEN_MARK,
    };
    const headers: Record<string, string> = { Vary: 'HX-Request, HX-Target' };
    const partial = options.fragments?.[htmxTargetId(req) ?? ''];
    if (!partial && options.url && isHtmxRequest(req)) headers[HX.pushUrl] = options.url;
    if (options.splice && !partial) locals.splice = SPLICE_MARK;
    const html = partial ? this.eta.render(partial, locals) : this.whole(req, template, locals);
    if (shareKey !== undefined) {
      headers.Vary += ', Accept-Encoding';
      const segments = this.segments(html, options.splice);
      const page = new SharedPage(options.status ?? 200, headers, segments, routePattern(req));
      this.shared!.put(shareKey, options.shared!, page);
      return sendShared(req, res, page, csrfTokenOf(req));
    }
    res.status(options.status ?? 200).type('html');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (options.splice && !partial) this.sendSpliced(req, res, html, options.splice);
    else res.send(html);
  }

  private sendKept(req: Request, res: Response, shareKey: string | undefined, options: PageOptions): boolean {
    const kept = shareKey === undefined ? undefined : this.shared!.get(shareKey, options.shared!);
    if (kept) sendShared(req, res, kept, csrfTokenOf(req));
    return kept !== undefined;
  }

  /** The page template inside the layout, or (htmx swapping `#main`) alone plus the small chrome refresh. */
  private whole(req: Request, template: string, locals: Record<string, unknown>): string {
    const body = this.eta.render(`pages/${template}`, locals);
    return isHtmxRequest(req)
      ? body + this.eta.render('partials/page-chrome', locals)
      : this.eta.render('layouts/base', { ...locals, body });
  }

  /** The cache key of a page an anonymous visitor may share, or undefined when this response is not shared. */
  private shareKey(req: Request, res: Response, options: PageOptions): string | undefined {
    if (options.shared === undefined || (options.status ?? 200) !== 200) return undefined;
    return this.anonymousKey(req, res);
  }

  /**
   * What a page for this request is kept under if it is shared, or undefined when this visitor must get their own.
   * The URL stands for the template: one GET URL is always answered by the same route.
   */
  private anonymousKey(req: Request, res: Response): string | undefined {
    if (!this.shared) return undefined;
    // Only a visitor without a session cookie: a logged-in page names the user, and a stale or unresolved session
    // still reads seat state with its token (its own held seats), so neither is ever shared nor replaces a shared page.
    if (res.locals.user !== undefined || sessionToken(req) !== undefined) return undefined;
    if (req.method !== 'GET' || req.originalUrl.length > SHARED_URL_MAX) return undefined;
    const htmx = isHtmxRequest(req) ? `htmx:${htmxTargetId(req) ?? ''}` : 'page';
    const context = JSON.stringify(KEYED_LOCALS.map((name) => res.locals[name] ?? null));
    return [req.originalUrl, htmx, context].join('\u0000');
  }

  /**
   * The front of the page stack (after the request log, security headers, cookies, language, CSRF, DR and assistant
   * status, before compression, the body parser, the session lookup and the routers): an anonymous GET whose shared
   * page a route confirmed a moment ago (`SharedPages.recent`) is answered with it at once. Everything that decides
   * what the page is or which headers it carries has run by then, so the response is the one the route would send.
   */
  readonly sharedPageFastPath: RequestHandler = (req, res, next) => {
    const key = this.anonymousKey(req, res);
    const page = key === undefined ? undefined : this.shared!.recent(key);
    if (!page) return next();
    logRouteAs(res, page.route);
    sendShared(req, res, page, csrfTokenOf(req));
  };

  /** The page as segments for a shared page: the spliced region (already deflated per seat state) stays whole. */
  private segments(html: string, splice: PageOptions['splice']): Segment[] {
    const [before, after] = html.split(SPLICE_MARK);
    if (!splice || after === undefined) return [html];
    const text = splice.html();
    return [before!, { text, deflated: this.deflatedSplice(() => text, splice.key) }, after];
  }

  private sendSpliced(req: Request, res: Response, html: string, splice: NonNullable<PageOptions['splice']>): void {
    const [before, after, ...rest] = html.split(SPLICE_MARK);
    if (after === undefined || rest.length > 0) throw new Error('a spliced page must print it.splice exactly once');
    res.append('Vary', 'Accept-Encoding');
    if (req.acceptsEncodings(['gzip', 'identity']) !== 'gzip') {
      res.send(before! + splice.html() + after);
      return;
    }
    const middle = this.deflatedSplice(splice.html, splice.key);
    res.setHeader('Content-Encoding', 'gzip');
    res.send(gzipSpliced([before!, middle, after]));
  }

  /** The spliced region deflated, kept per `key` (a seat state) when it has one. */
  private deflatedSplice(html: () => string, key: string | undefined): Deflated {
    let middle = key === undefined ? undefined : this.deflated.get(key);
    if (!middle) {
      middle = deflatePiece(html());
      if (key !== undefined) {
        if (this.deflated.size >= 64) this.deflated.delete(this.deflated.keys().next().value!);
        this.deflated.set(key, middle);
      }
    }
    return middle;
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

function pick(source: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, source[name]]));
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
