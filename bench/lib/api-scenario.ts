import { performance } from 'node:perf_hooks';
import type { ComposedApi } from '../../app/compose.js';
import type { Schedule } from '../../app/catalog/types.js';
import { kstDateOf, KST_OFFSET_MS } from '../../app/shared/time.js';
import type { Outcome, Scenario } from './load.js';
import { benchRequestId } from './round-trips.js';
import { pickSeats, SlotRotation } from './slots.js';

export const MOONLIGHT = 'perf-moonlight-garden'; // the 1,210-seat reference theatre (sells OP seats)

/** The API's hold limiter allows 30 holds per user per minute; staying under that whole run needs no timing. */
const HOLDS_PER_USER = 25;

interface BenchUser {
  readonly token: string;
  /** Web scenario only: the browser's cookies (session + CSRF) and the CSRF token of its forms. */
  web?: { cookie: string; csrf: string };
}

/** Where a scenario's holds enter: the JSON API directly, or the web tier's forms (web → API, the browser's path). */
export type Entry = 'api' | 'web';

/** Running totals over every attempt this scenario made (warm-up included), for the double-booking check. */
export interface ApiTally {
  confirms: number;
  confirmedSeats: number;
  /** Confirms the client got no answer to: the check reads each hold to learn whether it was paid. */
  readonly unanswered: { readonly holdId: string; readonly seats: number }[];
}

/** A client that waits longer than this for an answer gives up and counts the attempt as unanswered. */
const CLIENT_TIMEOUT_MS = 60_000;

/**
 * Scenario A: a hold and its confirm through the API the way a client (the web tier) makes them — HTTP → Express →
 * auth → BookingService → DynamoDB — each attempt by the next bench user of a FIFO pool. The pool gives
 * each user to one client at a time (one live hold per user, SPEC §3.1, so sharing would release a client's hold
 * under it) and spreads attempts so no user reaches the per-user hold rate limit.
 */
export class ApiScenario implements Scenario {
  readonly tally: ApiTally = { confirms: 0, confirmedSeats: 0, unanswered: [] };
  readonly name: string;
  private attempts = 0;

  private constructor(
    private readonly entry: Entry,
    private readonly apiUrl: string,
    private readonly webUrl: string | undefined,
    private readonly users: BenchUser[],
    /** Every seat the performance sells; the raw scenario draws from the same list. */
    readonly sellableSeats: readonly string[],
    private readonly rotation: SlotRotation,
  ) {
    this.name = entry === 'web' ? 'web' : 'API';
  }

  static async create(options: {
    api: ComposedApi;
    apiUrl: string;
    runId: string;
    totalAttempts: number;
    clients: number;
    holdsPerSlot: number;
    /** Default 'api'; 'web' needs webUrl. */
    entry?: Entry;
    webUrl?: string;
  }): Promise<ApiScenario> {
    const { api, runId, totalAttempts, clients, holdsPerSlot } = options;
    const entry = options.entry ?? 'api';
    // Confirmed holds never outnumber attempts, so this many slots always suffices; created up front so slot
    // creation never falls inside a measured phase.
    const slotCount = Math.ceil(totalAttempts / holdsPerSlot) + 1;
    const slots = await createSlots(api, runId, slotCount);
    let next = 0;
    const rotation = new SlotRotation(() => slots[Math.min(next++, slots.length - 1)]!.id, holdsPerSlot);
    const sellable = await sellableSeats(options.apiUrl, slots[0]!.id);
    const users = await signUpUsers(api, runId, Math.max(Math.ceil(totalAttempts / HOLDS_PER_USER), clients * 2));
    if (entry === 'web') for (const user of users) user.web = await webSession(options.webUrl!, user.token);
    return new ApiScenario(entry, options.apiUrl, options.webUrl, users, sellable, rotation);
  }

  get userCount(): number {
    return this.users.length;
  }

  slotsUsed(): readonly string[] {
    return this.rotation.slotsUsed();
  }

  async attempt(): Promise<Outcome> {
    const user = this.users.shift();
    if (!user) return { kind: 'error', message: 'user pool empty (more clients than users)' };
    try {
      return await this.holdAndConfirm(user);
    } finally {
      this.users.push(user);
    }
  }

  private async holdAndConfirm(user: BenchUser): Promise<Outcome> {
    if (this.entry === 'web') return this.throughWebForms(user);
    const scheduleId = this.rotation.current();
    const seatIds = pickSeats(this.sellableSeats);
    const n = ++this.attempts;
    const started = performance.now();
    const hold = await post(this.apiUrl, '/v1/holds', benchRequestId('hold', n), user.token, { scheduleId, seatIds });
    const held = performance.now();
    if (hold.status === 409 && hold.code === 'SEATS_UNAVAILABLE') return { kind: 'conflict' };
    if (hold.status === 409 && hold.code === 'CONCURRENT_UPDATE') return { kind: 'raced' };
    if (hold.status === NO_ANSWER) return { kind: 'unanswered', message: `hold: ${hold.code}` };
    if (hold.status !== 201) return { kind: 'error', message: `hold ${hold.status} ${hold.code ?? ''}` };
    const holdId = (hold.body as { hold: { holdId: string } }).hold.holdId;
    const confirm = await post(this.apiUrl, `/v1/holds/${holdId}/confirm`, benchRequestId('confirm', n), user.token);
    const done = performance.now();
    if (confirm.status === NO_ANSWER) return this.unanswered(holdId, seatIds.length, `confirm: ${confirm.code}`);
    // A confirm of a fresh live hold of one's own must succeed; anything else is a bug, not contention.
    if (confirm.status !== 201) return { kind: 'error', message: `confirm ${confirm.status} ${confirm.code ?? ''}` };
    this.rotation.confirmed(scheduleId);
    this.tally.confirms++;
    this.tally.confirmedSeats += seatIds.length;
    return { kind: 'completed', holdMs: held - started, pairMs: done - started };
  }

  /** A confirm whose outcome the client does not know: left for the check to settle from the store. */
  private unanswered(holdId: string, seats: number, message: string): Outcome {
    this.tally.unanswered.push({ holdId, seats });
    return { kind: 'unanswered', message };
  }

  /**
   * The browser's path without a browser: the seat map's hold form (`POST /schedules/:id/hold`, urlencoded, CSRF
   * token, session cookie) answered by a 303 to the payment page, then the payment form (`POST /holds/:id/pay`)
   * answered by a 303 to the completion page. The web tier calls the API for each.
   */
  private async throughWebForms(user: BenchUser): Promise<Outcome> {
    const scheduleId = this.rotation.current();
    const seatIds = pickSeats(this.sellableSeats);
    const form = (extra: [string, string][]) => new URLSearchParams([['_csrf', user.web!.csrf], ...extra]).toString();
    const started = performance.now();
    const hold = await postForm(
      this.webUrl!,
      `/schedules/${scheduleId}/hold`,
      user.web!.cookie,
      form(seatIds.map((s) => ['seat', s])),
    );
    const held = performance.now();
    if (hold.status === 409) return { kind: 'conflict' };
    // 503 is the web tier's answer when its call to the API timed out (or the client's own timeout, status 0).
    if (hold.status === 503 || hold.status === NO_ANSWER)
      return { kind: 'unanswered', message: `web hold ${hold.status}` };
    const location = hold.headers.get('location') ?? '';
    if (hold.status !== 303 || !location.startsWith('/holds/'))
      return { kind: 'error', message: `web hold ${hold.status}` };
    const pay = await postForm(this.webUrl!, `${location}/pay`, user.web!.cookie, form([]));
    const done = performance.now();
    if (pay.status === 503 || pay.status === NO_ANSWER) {
      return this.unanswered(location.split('/')[2]!, seatIds.length, `web pay ${pay.status}`);
    }
    if (pay.status !== 303 || !/\/complete$/.test(pay.headers.get('location') ?? '')) {
      return { kind: 'error', message: `web pay ${pay.status}` };
    }
    this.rotation.confirmed(scheduleId);
    this.tally.confirms++;
    this.tally.confirmedSeats += seatIds.length;
    return { kind: 'completed', holdMs: held - started, pairMs: done - started };
  }
}

/** A browser session on the web tier for a bench user: its session cookie plus the CSRF cookie and token of a page. */
async function webSession(webUrl: string, token: string): Promise<{ cookie: string; csrf: string }> {
  const session = `mt_session=${token}`;
  const page = await fetch(new URL('/login', webUrl), { headers: { cookie: session } });
  const csrfCookie = page.headers
    .getSetCookie()
    .find((c) => c.startsWith('mt.csrf='))
    ?.split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrfCookie || !csrf) throw new Error('web tier gave no CSRF token');
  return { cookie: `${session}; ${csrfCookie}`, csrf };
}

/** Status of an attempt the client got no answer to (its own timeout or a dropped connection). */
const NO_ANSWER = 0;

async function postForm(
  webUrl: string,
  path: string,
  cookie: string,
  body: string,
): Promise<{ status: number; headers: Headers }> {
  try {
    const response = await fetch(new URL(path, webUrl), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response;
  } catch {
    return { status: NO_ANSWER, headers: new Headers() };
  }
}

/** Future slots of the reference theatre performance, written the way test/support/builders.ts addSlot does. */
async function createSlots(api: ComposedApi, runId: string, count: number): Promise<Schedule[]> {
  const startsAt = Date.now() + 30 * 24 * 60 * 60 * 1000; // a month out: on sale, far from any cut-off
  const schedules = Array.from({ length: count }, (_, i): Schedule => {
    const at = startsAt + i * 60 * 60 * 1000;
    return {
      id: `${MOONLIGHT}-bench-${runId}-${i + 1}`,
      performanceId: MOONLIGHT,
      startsAt: at,
      date: kstDateOf(at),
      time: new Date(at + KST_OFFSET_MS).toISOString().slice(11, 16),
      casting: [],
      status: 'ON_SALE',
    };
  });
  await api.dynamoCatalog.put({ venues: [], performances: [], schedules });
  return schedules;
}

/** The seat list once, from the API's own seat map: every seat the performance sells (OP included). */
async function sellableSeats(apiUrl: string, scheduleId: string): Promise<string[]> {
  const response = await fetch(new URL(`/v1/schedules/${scheduleId}/seats`, apiUrl));
  if (!response.ok) throw new Error(`seat map: HTTP ${response.status}`);
  const { seatMap } = (await response.json()) as { seatMap: { seats: { seatId: string; state: string }[] } };
  return seatMap.seats.filter((s) => s.state !== 'unsold').map((s) => s.seatId);
}

/**
 * Bench users are created through the account service, not POST /v1/auth/signup: the signup endpoint is rate
 * limited per client address (5 a minute), and signing up is not what is measured. The app was started with cheap
 * scrypt parameters for the same reason.
 */
async function signUpUsers(api: ComposedApi, runId: string, count: number): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = Array.from({ length: Math.min(8, count - i) }, (_, j) =>
      api.accounts.signup({ email: `bench-${runId}-${i + j}@example.com`, password: 'bench-password-123' }),
    );
    users.push(...(await Promise.all(batch)).map((s) => ({ token: s.token })));
  }
  return users;
}

interface ApiAnswer {
  readonly status: number;
  readonly code?: string;
  readonly body: unknown;
}

/** `requestId` names the request in the API's logs and in its DynamoDB call trace (round-trips.ts). */
async function post(
  apiUrl: string,
  path: string,
  requestId: string,
  token: string,
  body?: unknown,
): Promise<ApiAnswer> {
  let response: Response;
  try {
    response = await fetch(new URL(path, apiUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
  } catch (error) {
    return { status: NO_ANSWER, code: (error as Error).name, body: undefined };
  }
  const parsed = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  return { status: response.status, code: parsed?.error?.code, body: parsed };
}
