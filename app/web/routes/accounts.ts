import { Router, type Request, type Response } from 'express';
import { ApiError } from '../api-client.js';
import type { WebDeps } from '../deps.js';
import { errorView } from '../errors.js';
import { redirect } from '../htmx.js';
import { callContext, clearSessionCookie, safeNext, sessionToken, setSessionCookie } from '../session.js';
import type { ViewHelpers } from '../view-helpers.js';

type Form = 'login' | 'signup';

/** Sign up, log in, log out. A login always starts a new session (the cookie is rotated; the old one is ended). */
export function accountPages(deps: WebDeps): Router {
  const router = Router();

  const show = (req: Request, res: Response, form: Form, extra: Record<string, unknown> = {}, status = 200) => {
    const next = safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next);
    deps.render.page(req, res, form, { next, values: {}, fieldErrors: {}, ...extra }, { status, url: `/${form}` });
  };

  router.get('/login', (req, res) => show(req, res, 'login'));
  router.get('/signup', (req, res) => show(req, res, 'signup'));

  for (const form of ['login', 'signup'] as const) {
    router.post(`/${form}`, async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const email = String(body.email ?? '').slice(0, 300);
      const password = String(body.password ?? '').slice(0, 300);
      const displayName = String(body.displayName ?? '').slice(0, 100);
      const values = { email, displayName };
      try {
        const signedIn =
          form === 'login'
            ? await deps.api.login({ email, password }, callContext(req))
            : await deps.api.signup(
                { email, password, ...(displayName.trim() ? { displayName } : {}) },
                callContext(req),
              );
        const previous = sessionToken(req);
        if (previous) {
          deps.users.forget(previous);
          await deps.api.logout({ ...callContext(req), token: previous }).catch(() => undefined);
        }
        setSessionCookie(res, signedIn.token, signedIn.expiresAt, deps.cookieSecure);
        redirect(req, res, safeNext(body.next));
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        const fmt: ViewHelpers = res.locals.fmt;
        const view = errorView(error, fmt);
        show(req, res, form, { values, message: view.message, fieldErrors: fieldErrors(error, fmt) }, view.status);
      }
    });
  }

  router.post('/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) {
      deps.users.forget(token);
      await deps.api.logout(callContext(req)).catch(() => undefined);
    }
    clearSessionCookie(res, deps.cookieSecure);
    redirect(req, res, '/');
  });

  return router;
}

/** The API's field names → a message per field in the page's language. */
function fieldErrors(error: ApiError, fmt: ViewHelpers): Record<string, string> {
  const fields = (error.details?.fields as { field: string }[] | undefined) ?? [];
  return Object.fromEntries(fields.map((f) => [f.field, fmt.t(`auth.field.${f.field}`)]));
}
