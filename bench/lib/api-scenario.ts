import { performance } from 'node:perf_hooks';
import type { ComposedApi } from '../../app/compose.js';
import type { Schedule } from '../../app/catalog/types.js';
import { kstDateOf, KST_OFFSET_MS } from '../../app/shared/time.js';
import { HttpClient } from './http-client.js';
import type { Outcome, Scenario } from './load.js';
import { benchRequestId } from './round-trips.js';
import { pickSeats, SlotRotation } from './slots.js';

export const MOONLIGHT = 'perf-moonlight-garden'; // the 1,210-seat reference theatre (sells OP seats)

/**
 * Bench users per client. The API allows 30 holds per user per fixed minute. Five users a client (80 for 16 clients)
 * kept each under ≈ 23 a minute at the fastest API rate seen until 2026-11-30 (≈ 48 pairs/s); on the host of that
 * evening the API ran ≈ 115 pairs/s, every user reached the limit after half a minute and the API's last six rounds
 * were all `429 RATE_LIMITED` (docs/benchmarks.md). Fifteen a client (240) keeps each under ≈ 20 holds a minute at
 * 115 pairs/s (the API's blocks are under half of any minute), and still brings each user round every ≤ 5 s inside
 * an API block at 48 pairs/s, so across the raw or web blocks between two API blocks its session stays inside the
 * API's 10 s cache window — a user who keeps booking keeps a warm session. Sizing users by the whole run instead
 * (≤ 25 holds each) made 160 users that came round only every ≈ 20 s once the warm-up rounds came in, and 27 % of
 * holds read the session first (docs/benchmarks.md).
 */
const USERS_PER_CLIENT = 15;

export interface BenchUser {
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

/** What a scenario's client needs, prepared up front by the bench (plain data, so it can go to a worker thread). */
export interface ApiScenarioSetup {
  readonly entry: Entry;
  /** The API's URL, or the web tier's for entry 'web'. */
  readonly baseUrl: string;
  readonly clients: number;
  readonly users: readonly BenchUser[];
  /** Every seat the performance sells; the raw scenario draws from the same list. */
  readonly sellableSeats: readonly string[];
  /** Future slots created for this scenario, used in order. */
  readonly slotIds: readonly string[];
  readonly holdsPerSlot: number;
}

/**
 * Everything a scenario's client needs that must come from the app: slots, users (and their web sessions), the seat
 * list. Runs where the composed API lives; the client itself (`ApiScenario`) needs only the result.
 */
export async function prepareApiScenario(options: {
  api: ComposedApi;
  apiUrl: string;
  runId: string;
  totalAttempts: number;
  clients: number;
  holdsPerSlot: number;
  /** Default 'api'; 'web' needs webUrl. */
  entry?: Entry;
  webUrl?: string;
}): Promise<ApiScenarioSetup> {
  const { api, runId, totalAttempts, clients, holdsPerSlot } = options;
  const entry = options.entry ?? 'api';
  // Confirmed holds never outnumber attempts, so this many slots always suffices; created up front so slot
  // creation never falls inside a measured phase.
  const slotCount = Math.ceil(totalAttempts / holdsPerSlot) + 1;
  const slots = await createSlots(api, runId, slotCount);
  const sellable = await sellableSeats(options.apiUrl, slots[0]!.id);
  const users = await signUpUsers(api, runId, clients * USERS_PER_CLIENT);
  if (entry === 'web') for (const user of users) user.web = await webSession(options.webUrl!, user.token);
  return {
    entry,
    baseUrl: entry === 'web' ? options.webUrl! : options.apiUrl,
    clients,
    users,
    sellableSeats: sellable,
    slotIds: slots.map((s) => s.id),
    holdsPerSlot,
  };
}

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
  /** Keep-alive sockets to where the holds enter (the API, or the web tier), one per client. */
  private readonly http: HttpClient;
  private readonly users: BenchUser[];
  private readonly sellableSeats: readonly string[];
  private readonly rotation: SlotRotation;
  private readonly entry: Entry;

  constructor(setup: ApiScenarioSetup) {
    this.entry = setup.entry;
    this.name = setup.entry === 'web' ? 'web' : 'API';
    this.http = new HttpClient(setup.baseUrl, setup.clients);
    this.users = [...setup.users];
    this.sellableSeats = setup.sellableSeats;
    let next = 0;
    const slots = setup.slotIds;
    this.rotation = new SlotRotation(() => slots[Math.min(next++, slots.length - 1)]!, setup.holdsPerSlot);
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.http.close();
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
    const hold = await this.post('/v1/holds', benchRequestId('hold', n), user.token, { scheduleId, seatIds });
    const held = performance.now();
    if (hold.status === 409 && hold.code === 'SEATS_UNAVAILABLE') return { kind: 'conflict' };
    if (hold.status === 409 && hold.code === 'CONCURRENT_UPDATE') return { kind: 'raced' };
    if (hold.status === NO_ANSWER) return { kind: 'unanswered', message: `hold: ${hold.code}` };
    if (hold.status !== 201) return { kind: 'error', message: `hold ${hold.status} ${hold.code ?? ''}` };
    const holdId = (hold.body as { hold: { holdId: string } }).hold.holdId;
    const confirm = await this.post(`/v1/holds/${holdId}/confirm`, benchRequestId('confirm', n), user.token);
    const done = performance.now();
    if (confirm.status === NO_ANSWER) return this.unanswered(holdId, seatIds.length, `confirm: ${confirm.code}`);
    // A confirm of a fresh live hold of one's own must succeed; anything else is a bug, not contention.
    if (confirm.status !== 201) return { kind: 'error', message: `confirm ${confirm.status} ${confirm.code ?? ''}` };
    this.rotation.confirmed(scheduleId);
    this.tally.confirms++;
    this.tally.confirmedSeats += seatIds.length;
    return { kind: 'completed', holdMs: held - started, pairMs: done - started };
  }

  /** A form post to the web tier: its 303 and where it points are the answer (redirects are not followed). */
  private postForm(path: string, cookie: string, body: string) {
    return this.http.send(
      'POST',
      path,
      { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      performance.now(),
      { body, timeoutMs: CLIENT_TIMEOUT_MS },
    );
  }

  /** `requestId` names the request in the API's logs and in its DynamoDB call trace (round-trips.ts). */
  private async post(path: string, requestId: string, token: string, body?: unknown): Promise<ApiAnswer> {
    const answer = await this.http.send(
      'POST',
      path,
      {
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      performance.now(),
      { body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: CLIENT_TIMEOUT_MS },
    );
    if (answer.status === NO_ANSWER) return { status: NO_ANSWER, code: String(answer.body), body: undefined };
    const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
    return { status: answer.status, code, body: answer.body };
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
    const hold = await this.postForm(
      `/schedules/${scheduleId}/hold`,
      user.web!.cookie,
      form(seatIds.map((s) => ['seat', s])),
    );
    const held = performance.now();
    if (hold.status === 409) return { kind: 'conflict' };
    // 503 is the web tier's answer when its call to the API timed out (or the client's own timeout, status 0).
    if (hold.status === 503 || hold.status === NO_ANSWER)
      return { kind: 'unanswered', message: `web hold ${hold.status}` };
    const location = hold.headers.location ?? '';
    if (hold.status !== 303 || !location.startsWith('/holds/'))
      return { kind: 'error', message: `web hold ${hold.status}` };
    const pay = await this.postForm(`${location}/pay`, user.web!.cookie, form([]));
    const done = performance.now();
    if (pay.status === 503 || pay.status === NO_ANSWER) {
      return this.unanswered(location.split('/')[2]!, seatIds.length, `web pay ${pay.status}`);
    }
    if (pay.status !== 303 || !/\/complete$/.test(pay.headers.location ?? '')) {
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
