/**
 * Pages benchmark (issue 7, SPEC §7 "booking pages and the seat map of the 1,210-seat venue render fast enough to stay
 * within a small factor of a bare Express handler on the same machine"). Not a test: it prints requests/s and p99
 * latency of each page through both tiers next to a bare Express handler, measured side by side in one run, and the
 * seat map's HTML size raw and compressed. See docs/benchmarks.md.
 *
 *   npm run bench:pages -- [--connections 16] [--seconds 8] [--rounds 2]
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { startDynamoLocal, type DynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { processCpuMs } from './lib/cpu.js';
import { machineInfo } from './lib/machine.js';
import { startChild, type Child } from './lib/processes.js';
import { run } from './lib/run.js';

interface Options {
  connections: number;
  seconds: number;
  rounds: number;
}

function parse(argv: readonly string[]): Options {
  const options: Options = { connections: 16, seconds: 8, rounds: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!.replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1)
      throw new Error(`bad option ${argv[i]} ${argv[i + 1]}`);
    options[key] = value;
  }
  return options;
}

// Production mode requires the serving region (issue 9); the bench serves the primary region locally.
// Production refuses to start without an admission key (the waiting room's HMAC key; SSM in AWS).
const PRODUCTION = {
  NODE_ENV: 'production',
  AWS_REGION: 'ap-northeast-2',
  ADMISSION_KEY: randomBytes(32).toString('base64url'),
  // Production's level: every request writes its log line, as it does in AWS.
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
};
const ACCEPT = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  const machine = machineInfo();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const children: Child[] = [];
  let local: DynamoLocal | undefined;
  try {
    console.log('starting DynamoDB Local, the API, the web tier and a bare Express handler (separate processes)…');
    local = await startDynamoLocal();
    const api = await startChild(
      'app/main.ts',
      {
        ...PRODUCTION,
        MEGATICKET_ROLE: 'api',
        API_PORT: '0',
        DYNAMODB_MODE: 'external',
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        BOOTSTRAP_TABLES: 'true',
        TABLE_PREFIX: `bench-pages-${runId}`,
        DR_STATE_SOURCE: 'file',
        DR_STATE_FILE: `/tmp/megaticket-bench-${runId}.json`,
      },
      /MegaTicket API \([^)]*\) on (http:\/\/\S+)/,
    );
    children.push(api);
    const web = await startChild(
      'app/main.ts',
      // Production refuses a web tier without the CSRF key its instances share; one process needs only its own.
      {
        ...PRODUCTION,
        MEGATICKET_ROLE: 'web',
        WEB_PORT: '0',
        API_URL: api.url,
        WEB_CSRF_SECRET: randomBytes(32).toString('hex'),
      },
      /MegaTicket is running: (http:\/\/\S+)/,
    );
    children.push(web);
    const bare = await startChild('bench/lib/bare-server.ts', PRODUCTION, /bare on (http:\/\/\S+)/);
    children.push(bare);

    const slot = await referenceSlot(api.url);
    const taken = await takeSomeSeats(api.url, slot, runId);
    // `server` answers the load (its CPU per request is reported); the pages' API calls are counted apart.
    const targets = [
      { name: 'bare Express handler', url: `${bare.url}/`, server: bare },
      { name: 'catalog page', url: `${web.url}/`, server: web },
      { name: 'detail page', url: `${web.url}/performances/perf-moonlight-garden`, server: web },
      { name: 'seat map (1,210 seats)', url: `${web.url}/schedules/${slot}`, server: web },
    ];
    for (const t of targets) await expectOk(t.url);
    const sizes = await seatMapSizes(`${web.url}/schedules/${slot}`);

    console.log(
      [
        '',
        'MegaTicket pages benchmark: each page through both tiers (browser → web → API) vs a bare Express handler',
        `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, node ${machine.node}; ` +
          `load generator, web, API, bare server and DynamoDB Local share this machine ` +
          `(1-min load average before the run: ${machine.loadAverage}; other engineers' work may be running too)`,
        `parameters: ${options.connections} keep-alive connections, ${options.seconds} s per target per round, ` +
          `${options.rounds} rounds (order rotates), NODE_ENV=production, Accept-Encoding: gzip, deflate, br; ` +
          `seat map slot ${slot} with ${taken} seats taken`,
        '',
      ].join('\n'),
    );

    // Warm-up: JIT, template caches, the compiled seat map, keep-alive pools.
    for (const t of targets) await measure(t.url, options.connections, 2);
    const results = new Map<
      string,
      { rps: number[]; p99: number[]; errors: number; requests: number; serverMs: number; apiMs: number }
    >();
    const cpuOf = (child: Child) => processCpuMs(child.process.pid) ?? NaN;
    for (let round = 0; round < options.rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const t of order) {
        const before = { server: cpuOf(t.server), api: cpuOf(api) };
        const r = await measure(t.url, options.connections, options.seconds);
        const entry = results.get(t.name) ?? { rps: [], p99: [], errors: 0, requests: 0, serverMs: 0, apiMs: 0 };
        entry.rps.push(r.requests.average);
        entry.p99.push(r.latency.p99);
        entry.errors += r.errors + r.non2xx + r.timeouts;
        entry.requests += r.requests.total;
        entry.serverMs += cpuOf(t.server) - before.server;
        entry.apiMs += t.server === bare ? 0 : cpuOf(api) - before.api;
        results.set(t.name, entry);
        console.log(
          `  round ${round + 1} ${t.name.padEnd(24)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p99 ${r.latency.p99} ms`,
        );
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bareRps = mean(results.get(targets[0]!.name)!.rps);
    const perRequest = (ms: number, requests: number) => ((ms * 1000) / Math.max(requests, 1)).toFixed(0);
    console.log('\n| target | req/s | p99 ms | share of bare req/s | server CPU µs/req | API CPU µs/req | errors |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    let errors = 0;
    for (const t of targets) {
      const r = results.get(t.name)!;
      errors += r.errors;
      console.log(
        `| ${t.name} | ${mean(r.rps).toFixed(0)} | ${Math.max(...r.p99)} | ${((mean(r.rps) / bareRps) * 100).toFixed(1)} % | ` +
          `${perRequest(r.serverMs, r.requests)} | ${t.server === bare ? '–' : perRequest(r.apiMs, r.requests)} | ${r.errors} |`,
      );
    }
    console.log(
      `\nseat map HTML: ${(sizes.raw / 1024).toFixed(1)} KB raw, ${(sizes.gzip / 1024).toFixed(1)} KB gzip, ` +
        `${(sizes.br / 1024).toFixed(1)} KB brotli (goal ≤ 60 KB compressed); ${sizes.seats} seat inputs`,
    );
    return errors === 0 ? 0 : 1;
  } finally {
    for (const child of children.reverse()) await child.stop();
    await local?.stop();
  }
}

function measure(url: string, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration, headers: ACCEPT });
}

async function expectOk(url: string): Promise<void> {
  const response = await fetch(url, { headers: ACCEPT });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
}

/** The first upcoming slot of the 1,210-seat reference theatre's show. */
async function referenceSlot(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/v1/performances/perf-moonlight-garden/calendar`);
  const { calendar } = (await response.json()) as { calendar: { slots: { id: string }[] } };
  return calendar.slots[0]!.id;
}

/** Some seats held by bench users, so the map carries real state (each user its own address: signup limits). */
async function takeSomeSeats(apiUrl: string, slot: string, runId: string): Promise<number> {
  let taken = 0;
  for (let u = 0; u < 20; u++) {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${u + 1}` };
    const signup = await fetch(`${apiUrl}/v1/auth/signup`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: `bench-pages-${runId}-${u}@example.com`, password: 'bench-password-123' }),
    });
    const { token } = (await signup.json()) as { token: string };
    const seatIds = [1, 2, 3, 4].map((n) => `1F-${'ABC'[u % 3]}-${Math.floor(u / 3) + 5}-${n + 4}`);
    const hold = await fetch(`${apiUrl}/v1/holds`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: JSON.stringify({ scheduleId: slot, seatIds }),
    });
    if (hold.status === 201) taken += seatIds.length;
  }
  return taken;
}

async function seatMapSizes(url: string) {
  const raw = await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).text();
  const gzip = await compressedBytes(url, 'gzip');
  // A shared page is brotli-compressed (off the event loop) once it is asked for again: ask until it is ready.
  let br = await compressedBytes(url, 'br').catch(() => undefined);
  for (let attempt = 0; !br && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    br = await compressedBytes(url, 'br').catch(() => undefined);
  }
  if (!br) throw new Error('the seat map was never sent as brotli');
  return {
    raw: Buffer.byteLength(raw),
    gzip: gzip.length,
    br: br.length,
    seats: (raw.match(/name="seat"/g) ?? []).length,
  };
}

/** The body bytes as sent (node's fetch would decompress, so read the socket with node:http). */
async function compressedBytes(url: string, encoding: string): Promise<Buffer> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.headers['content-encoding'] !== encoding) reject(new Error(`${encoding} not used`));
        else resolve(body);
        if (encoding === 'gzip') gunzipSync(body); // must decode
      });
    })
      .on('error', reject)
      .end();
  });
}

run(main);
