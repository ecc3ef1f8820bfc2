import type { Request, Response } from 'express';

/** Every HX-* header literal lives here. */
export const HX = {
  request: 'HX-Request',
  historyRestore: 'HX-History-Restore-Request',
  target: 'HX-Target',
  pushUrl: 'HX-Push-Url',
  redirect: 'HX-Redirect',
  retarget: 'HX-Retarget',
  reswap: 'HX-Reswap',
  trigger: 'HX-Trigger',
} as const;

/** A partial swap, not a history restore (which needs the full page). */
export function isHtmxRequest(req: Request): boolean {
  return req.get(HX.request) === 'true' && req.get(HX.historyRestore) !== 'true';
}

/** The id of the element an htmx request will swap into (htmx 4 sends `tag#id`), if any. */
export function htmxTargetId(req: Request): string | undefined {
  const target = req.get(HX.target);
  if (!target || !isHtmxRequest(req)) return undefined;
  const hash = target.lastIndexOf('#');
  return hash >= 0 ? target.slice(hash + 1) : target;
}

/** Navigates the browser: a 303 for a plain request, HX-Redirect (full page load) for htmx. */
export function redirect(req: Request, res: Response, location: string): void {
  if (isHtmxRequest(req)) res.setHeader(HX.redirect, location).status(204).end();
  else res.redirect(303, location);
}
