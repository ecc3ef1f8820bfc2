import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served, visible to everything that runs on its behalf (API client calls, DynamoDB middleware)
 * without threading it through every signature.
 */
export interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` as work of no request (background refreshes started while serving one are not part of it). */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}
