import type { FakeReply, FakeRequest, Responder } from './fake-bedrock.js';

/**
 * A scripted "Claude" for the fake endpoint: each step answers one model request and may read what the real engine
 * sent (tool results, the dynamic context) to pick ids the way a model would. Steps run in order; a request beyond
 * the script fails the test loudly.
 */
export type ScriptStep = (request: FakeRequest) => FakeReply;

export function script(...steps: ScriptStep[]): Responder & { readonly remaining: () => number } {
  const queue = [...steps];
  const responder = (request: FakeRequest): FakeReply => {
    const step = queue.shift();
    if (!step) throw new Error(`unscripted model request after: ${request.userText}`);
    return step(request);
  };
  return Object.assign(responder, { remaining: () => queue.length });
}

/** The content of the named tool's result in this request (the last one with that name). */
export function resultOf(request: FakeRequest, name: string): any {
  const found = [...request.toolResults].reverse().find((r) => r.name === name);
  if (!found) throw new Error(`no ${name} result in the request (got ${request.toolResults.map((r) => r.name)})`);
  return found.content;
}

/** What the scripted model reads from the dynamic context, the way a model would. */
export const context = {
  slotOn(req: FakeRequest, date: string): string {
    const found = new RegExp(`${date} (\\d\\d:\\d\\d)[^=;]*= (\\S+?)[;.]`).exec(req.dynamicSystemText);
    if (!found) throw new Error(`no slot on ${date} in context: ${req.dynamicSystemText}`);
    return found[2]!;
  },
  chosenSlot(req: FakeRequest): string {
    const found = /slot (\S+) \(/.exec(req.dynamicSystemText);
    if (!found) throw new Error(`no chosen slot in context: ${req.dynamicSystemText}`);
    return found[1]!;
  },
  option(req: FakeRequest, n: number): string[] {
    const found = new RegExp(`option ${n} = (\\S+) \\(`).exec(req.dynamicSystemText);
    if (!found) throw new Error(`no option ${n} in context: ${req.dynamicSystemText}`);
    return found[1]!.split(',');
  },
};
