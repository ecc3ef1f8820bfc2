import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { isHtmxRequest } from './htmx.js';

/**
 * One template per page: rendered inside the base layout for a normal request, or alone as the fragment an htmx
 * request swaps in. `Vary: HX-Request` keeps caches from mixing the two.
 */
export class Renderer {
  private readonly eta: Eta;

  constructor(viewsDir: string, cache: boolean) {
    // autoEscape: every `<%= %>` is HTML-escaped; raw output needs an explicit `<%~ %>` that review can find.
    this.eta = new Eta({ views: viewsDir, cache, autoEscape: true, autoTrim: [false, 'nl'] });
  }

  page(req: Request, res: Response, template: string, data: Record<string, unknown>, status = 200): void {
    const locals = { ...res.locals, ...data };
    const body = this.eta.render(`pages/${template}`, locals);
    res.status(status).setHeader('Vary', 'HX-Request').type('html');
    res.send(isHtmxRequest(req) ? body : this.eta.render('layouts/base', { ...locals, body }));
  }
}
