import type { RequestHandler, Router } from 'express';
import { match } from 'path-to-regexp';
import { DomainError } from '../shared/errors.js';

interface KnownRoute {
  readonly matches: (path: string) => boolean;
  readonly methods: readonly string[];
}

/** Every route the routers declare, with the methods it answers (HEAD comes with GET, as Express serves it). */
function knownRoutes(routers: readonly Router[]): KnownRoute[] {
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) => {
      if (!layer.route) return [];
      const declared = new Set(layer.route.stack.map((l) => l.method.toUpperCase()));
      if (declared.has('GET')) declared.add('HEAD');
      // Express's own matching rules: case-insensitive, optional trailing slash; params stay encoded (only the shape
      // of the path matters here).
      const matcher = match(layer.route.path, { decode: false });
      return [{ matches: (path: string) => matcher(path) !== false, methods: [...declared] }];
    }),
  );
}

/**
 * Runs after the routers: a path some route declares, asked with a method none of them answers, is a
 * `405 METHOD_NOT_ALLOWED` with `Allow`; an unknown path falls through to 404. (OPTIONS never gets here: each router
 * answers it with `Allow` itself.)
 */
export function methodNotAllowed(routers: readonly Router[]): RequestHandler {
  let routes: KnownRoute[] | undefined;
  return (req, _res, next) => {
    routes ??= knownRoutes(routers); // on first use: every route has been declared by then
    const allowed = [...new Set(routes.filter((r) => r.matches(req.path)).flatMap((r) => r.methods))];
    if (allowed.length === 0) return next();
    const allow = allowed.sort().join(', ');
    throw new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not supported here; use ${allow}.`, { allow });
  };
}
