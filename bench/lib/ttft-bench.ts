import { ttftMark } from '../../app/shared/ttft-trace.js';
import { ConverseStreamCommand, type ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockClient } from '../../app/adapters/bedrock/converse-stream-model.js';
import type { FakeBedrock } from '../../test/support/fake-bedrock.js';
import { reply } from '../../test/support/fake-bedrock.js';
import { LOCKSTEP, type ChatArrivals } from './chat-arrivals.js';
import type { ChatWorkload } from './chat-workloads.js';
import { BrowserConnection, keepCookies, textOf } from './browser-connection.js';
import { summarize, type LatencySummary } from './stats.js';

export interface TtftOptions {
  readonly webUrl: string;
  readonly fake: FakeBedrock;
  readonly modelId: string;
  readonly clients: number;
  /** Messages per client per round. */
  readonly messages: number;
  readonly rounds: number;
  /** The fake's fixed time to its first event. */
  readonly delayMs: number;
  /** The answer's length and pacing: the same for both sides. */
  readonly workload: ChatWorkload;
  /** CPU counters of the processes involved (ms so far), to report CPU per answer next to the latencies. */
  readonly cpu: Readonly<Record<string, () => number>>;
  /**
   * The API's own time to first token of each model call since the last call (its EMF `TimeToFirstToken`: from its
   * model call's start to the first event its SDK decoded), to split the added time into the model call inside the
   * API and everything around it.
   */
  readonly apiModelTtft?: () => number[];
  /** When people send (default: lockstep, everyone at once and in step from then on). */
  readonly arrivals?: ChatArrivals;
}

export interface TtftResult {
  readonly model: LatencySummary;
  readonly app: LatencySummary;
  /** The model calls as the API timed them during the app phases (absent without `apiModelTtft`). */
  readonly apiModel?: LatencySummary;
  readonly phases: readonly string[];
  /** Messages that failed (an answer other than 200, no text): each side's, with the error. */
  readonly failures: readonly string[];
  /** Wall seconds of each kind of phase, summed over the rounds (for offered load and CPU utilisation). */
  readonly seconds: Readonly<Record<'model' | 'app', number>>;
  /** Messages sent per side. */
  readonly answers: Readonly<Record<'model' | 'app', number>>;
  /** CPU milliseconds per answer, per process, in each kind of phase. */
  readonly cpuPerAnswer: Readonly<Record<'model' | 'app', Readonly<Record<string, number>>>>;
  /** The trace ids of the app phases' messages (see app/shared/ttft-trace.ts; marks only with MT_TTFT_TRACE). */
  readonly traced: ReadonlySet<string>;
  /**
   * Each traced message's place in its app phase's sending order (0: the phase's first message). Before an app phase
   * the app's processes sat idle through the model-only phase (tens of seconds), so the first messages of a phase
   * meet whatever idleness costs.
   */
  readonly orderInPhase: ReadonlyMap<string, number>;
}

/**
 * Time to first token, side by side in alternating rounds at the same concurrency:
 * - model: the real SDK calls the fake directly with a request the app really sent (the model's own TTFT, as the
 *   app's SDK client sees it);
 * - app: a browser's htmx POST to the web tier, through the API and its SDK call, until the first SSE fragment
 *   carrying answer text arrives.
 */
export async function timeToFirstToken(options: TtftOptions): Promise<TtftResult> {
  const { fake, clients, delayMs, workload } = options;
  fake.reset();
  fake.responder = () =>
    reply.text(workload.answer, { delayMs, chunk: workload.chunk, gapMs: workload.gapMs || undefined });
  const people = await Promise.all(Array.from({ length: clients }, (_, i) => Person.open(options.webUrl, i)));
  const browserConnections = () => people.reduce((n, person) => n + person.connectionsOpened, 0);
  // One warm-up message each (conversations created, connections and JIT warm), and a real request to replay.
  await Promise.all(people.map((p) => p.firstToken('안녕하세요')));
  /** When the app last had a message in flight (its idle time before an app phase is reported with the phase). */
  let appLastBusy = performance.now();
  const captured = fake.requests.at(-1)!.body as ConverseStreamCommandInput;
  const sdk = createBedrockClient('ap-northeast-2', { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' });
  const samples = { model: [] as number[], app: [] as number[], apiModel: [] as number[] };
  const phases: string[] = [];
  const cpu = { model: {} as Record<string, number>, app: {} as Record<string, number> };
  const answers = { model: 0, app: 0 };
  const seconds = { model: 0, app: 0 };
  const traced = new Set<string>();
  const orderInPhase = new Map<string, number>();
  const failures: string[] = [];
  const arrivals = options.arrivals ?? LOCKSTEP;
  const pause = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined);
  const phase = async (name: 'model' | 'app', round: number) => {
    const started = performance.now();
    let sent = 0;
    const onSend = (id: string) => orderInPhase.set(id, sent++);
    const fragmentsBefore = Person.textFragments;
    const sessionsBefore = fake.sessionsOpened;
    const connectionsBefore = browserConnections();
    options.apiModelTtft?.(); // the warm-up's and earlier phases' calls are not this phase's
    const before = Object.fromEntries(Object.entries(options.cpu).map(([k, read]) => [k, read()]));
    await Promise.all(
      people.map(async (person, p) => {
        await pause(arrivals.firstDelayMs(round, p));
        for (let i = 0; i < options.messages; i++) {
          if (i > 0) await pause(arrivals.thinkMs(round, p, i - 1));
          try {
            samples[name].push(
              name === 'app'
                ? await person.firstToken('안녕하세요', traced, onSend)
                : await modelFirstToken(sdk, options.modelId, captured),
            );
          } catch (error) {
            // Reported with the mode's figures (and the run exits non-zero), not lost in a run that stops here.
            failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
          }
        }
      }),
    );
    for (const [k, read] of Object.entries(options.cpu)) cpu[name][k] = (cpu[name][k] ?? 0) + read() - before[k]!;
    answers[name] += clients * options.messages;
    if (name === 'app' && options.apiModelTtft) {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the last EMF lines through the pipe
      samples.apiModel.push(...options.apiModelTtft());
    }
    const elapsed = (performance.now() - started) / 1000;
    seconds[name] += elapsed;
    const count = clients * options.messages;
    const fragments =
      name === 'app' ? `, ${((Person.textFragments - fragmentsBefore) / count).toFixed(1)} text events per answer` : '';
    // The model calls' HTTP/2 sessions (the API's, or the bench's own client's) that this phase had to open.
    const sessions = `, ${fake.sessionsOpened - sessionsBefore} new HTTP/2 sessions to the model`;
    // Each browser opened its connection with the chat page; one opened during a phase is a message that paid for it.
    const connections =
      name === 'app'
        ? `, ${browserConnections() - connectionsBefore} new connections from the browsers to the web`
        : '';
    const idle = name === 'app' ? `; the app idle ${((started - appLastBusy) / 1000).toFixed(0)} s before it` : '';
    if (name === 'app') appLastBusy = performance.now();
    phases.push(
      `  ${name}: ${count} answers in ${elapsed.toFixed(1)} s (${(count / elapsed).toFixed(1)} messages/s${fragments}${connections}${sessions}${idle})`,
    );
  };
  for (let round = 0; round < options.rounds; round++) {
    for (const name of round % 2 === 0 ? (['model', 'app'] as const) : (['app', 'model'] as const))
      await phase(name, round);
  }
  sdk.destroy();
  for (const person of people) person.close();
  if (fake.scriptErrors.length > 0) throw new Error(`fake errors: ${fake.scriptErrors.join('; ')}`);
  const perAnswer = (name: 'model' | 'app') =>
    Object.fromEntries(Object.entries(cpu[name]).map(([k, ms]) => [k, ms / answers[name]]));
  return {
    model: summarize(samples.model),
    app: summarize(samples.app),
    apiModel: samples.apiModel.length > 0 ? summarize(samples.apiModel) : undefined,
    phases,
    failures,
    seconds,
    answers,
    cpuPerAnswer: { model: perAnswer('model'), app: perAnswer('app') },
    traced,
    orderInPhase,
  };
}

async function modelFirstToken(
  sdk: ReturnType<typeof createBedrockClient>,
  modelId: string,
  input: ConverseStreamCommandInput,
): Promise<number> {
  const started = performance.now();
  const { stream } = await sdk.send(new ConverseStreamCommand({ ...input, modelId }));
  let first: number | undefined;
  for await (const event of stream!) {
    if (first === undefined && event.contentBlockDelta?.delta?.text) first = performance.now() - started;
  }
  if (first === undefined) throw new Error('the model sent no text');
  return first;
}

/**
 * One browser: its own connection to the web tier (opened by the chat page, kept alive between messages), its cookies
 * (CSRF, conversation) and address, posting the chat form as htmx does.
 */
class Person {
  private constructor(
    private readonly connection: BrowserConnection,
    private readonly ip: string,
    private readonly cookies: Map<string, string>,
    private readonly csrf: string,
  ) {}

  static async open(webUrl: string, n: number): Promise<Person> {
    const ip = `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const connection = new BrowserConnection(webUrl);
    const response = await connection.send('GET', '/assistant', { 'x-forwarded-for': ip });
    const cookies = new Map<string, string>();
    keepCookies(response, cookies);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await textOf(response))?.[1];
    if (!csrf) throw new Error('no CSRF token on the chat page');
    return new Person(connection, ip, cookies, csrf);
  }

  /** Text fragments of all answers so far (to report how many events an answer crosses the tiers as). */
  static textFragments = 0;
  /** Messages sent so far: each gets the request id `ttft-<n>`, which both tiers pass on and trace. */
  static traced = 0;

  /** Connections this browser opened to the web tier (1: the chat page's carried every message). */
  get connectionsOpened(): number {
    return this.connection.opened;
  }

  close(): void {
    this.connection.close();
  }

  /** Milliseconds from sending the message to the first SSE fragment with answer text; reads the answer to its end. */
  async firstToken(message: string, traced?: Set<string>, onSend?: (traceId: string) => void): Promise<number> {
    const traceId = `ttft-${++Person.traced}`;
    traced?.add(traceId);
    onSend?.(traceId);
    ttftMark('send', traceId);
    const started = performance.now();
    const response = await this.connection.send(
      'POST',
      '/assistant/messages',
      {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': this.ip,
        'x-request-id': traceId,
        'hx-request': 'true',
        'x-csrf-token': this.csrf,
        accept: 'text/html, text/event-stream',
      },
      new URLSearchParams({ message }).toString(),
    );
    if (response.statusCode !== 200) throw new Error(`chat answered ${response.statusCode}: ${await textOf(response)}`);
    keepCookies(response, this.cookies);
    const decoder = new TextDecoder();
    let seen = '';
    let first: number | undefined;
    for await (const chunk of response as AsyncIterable<Uint8Array>) {
      seen += decoder.decode(chunk, { stream: true });
      if (first === undefined && /-text" hx-swap="beforeend">[^<]/.test(seen)) {
        first = performance.now() - started;
        ttftMark('firstText', traceId);
      }
    }
    Person.textFragments += seen.split('-text" hx-swap="beforeend">').length - 1;
    if (first === undefined) throw new Error(`no answer text in: ${seen.slice(0, 300)}`);
    return first;
  }
}
