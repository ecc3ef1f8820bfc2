import { Router } from 'express';
import { loginSchema, signupSchema } from '../../accounts/inputs.js';
import type { ApiDeps } from '../deps.js';
import { limit, parseInput, requireUser } from '../http.js';

export function authRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/v1/auth/signup', async (req, res) => {
    limit(deps.limits.signup, `signup:${req.ip}`);
    const signedIn = await deps.accounts.signup(parseInput(signupSchema, req.body, 'body'));
    res.status(201).json(signedIn);
  });

  router.post('/v1/auth/login', async (req, res) => {
    const input = parseInput(loginSchema, req.body, 'body');
    limit(deps.limits.login, `login:${req.ip}:${input.email}`);
    res.json(await deps.accounts.login(input));
  });

  router.post('/v1/auth/logout', async (req, res) => {
    const token = res.locals.token as string | undefined;
    if (token) await deps.accounts.logout(token);
    res.status(204).end();
  });

  router.get('/v1/me', (_req, res) => {
    res.json({ user: requireUser(res) });
  });

  return router;
}
