import type { Request } from 'express';

/** Every HX-* header literal lives here. */
export const HX = {
  request: 'HX-Request',
  historyRestore: 'HX-History-Restore-Request',
  pushUrl: 'HX-Push-Url',
  redirect: 'HX-Redirect',
  trigger: 'HX-Trigger',
} as const;

/** A partial swap, not a history restore (which needs the full page). */
export function isHtmxRequest(req: Request): boolean {
  return req.get(HX.request) === 'true' && req.get(HX.historyRestore) !== 'true';
}
