import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { HttpClient } from './http-client.js';
import type { ShedChildMessage } from './shed-cost-child.js';

export interface ShedCost {
  readonly answers: number;
  readonly rounds: number;
  /** Server CPU per shed answer (µs), median over rounds. */
  readonly frontMicros: number;
  /** In front of Express with each request logged (info, one JSON line to /dev/null). */
  readonly frontLoggedMicros: number;
  readonly expressMicros: number;
  /** Node's HTTP server answering a constant 429 with nothing of ours: the floor. */
  readonly bareMicros: number;
  /** Per-round figures (µs), for the spread. */
  readonly frontRounds: readonly number[];
  readonly expressRounds: readonly number[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function ask(child: ChildProcess, type: 'cpu'): Promise<number> {
  return new Promise((resolve) => {
    const listener = (message: ShedChildMessage) => {
      if (message.type !== 'cpu') return;
      child.off('message', listener);
      resolve(message.micros);
    };
    child.on('message', listener);
    child.send({ type });
  });
}

/**
 * The API's CPU per shed answer (429), written in front of Express and through Express, measured side by side in one
 * server process: alternating rounds of `perRound` joins, polls and claims (a third each) sent by `concurrency`
 * keep-alive clients, the server's own CPU charged to each round. A server refusing everything is the stampede's
 * hottest path; what differs between the two is only where the refusal is written.
 */
export async function measureShedCost(options: {
  answers: number;
  rounds?: number;
  concurrency?: number;
}): Promise<ShedCost> {
  const rounds = options.rounds ?? 10;
  const perRound = Math.max(30, Math.round(options.answers / rounds / 3));
  const concurrency = options.concurrency ?? 32;
  const child = fork(join(import.meta.dirname, 'shed-cost-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const urls = await new Promise<{ frontUrl: string; frontLoggedUrl: string; expressUrl: string; bareUrl: string }>(
      (resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`shed-cost child exited (${code})`)));
        child.on('message', (message: ShedChildMessage) => {
          if (message.type === 'ready') resolve(message);
        });
      },
    );
    const clients = {
      front: new HttpClient(urls.frontUrl, concurrency),
      frontLogged: new HttpClient(urls.frontLoggedUrl, concurrency),
      express: new HttpClient(urls.expressUrl, concurrency),
      bare: new HttpClient(urls.bareUrl, concurrency),
    };
    const requests = [
      ['PUT', '/v1/queues/perf-bench/entry'],
      ['GET', '/v1/queues/perf-bench/entry'],
      ['POST', '/v1/queues/perf-bench/admission'],
    ] as const;
    const headers = { authorization: 'Bearer shed-cost-bench-token', 'x-queue-ticket': 'not-a-ticket' };
    const round = async (client: HttpClient, count: number) => {
      let next = 0;
      let refused = 0;
      const worker = async () => {
        while (next < count) {
          const [method, path] = requests[next++ % requests.length]!;
          const answer = await client.send(method, path, headers);
          if (answer.status === 429) refused++;
        }
      };
      const before = await ask(child, 'cpu');
      await Promise.all(Array.from({ length: concurrency }, worker));
      const after = await ask(child, 'cpu');
      if (refused !== count && client !== clients.bare)
        throw new Error(`shed-cost: ${count - refused} of ${count} requests were not shed`);
      return (after - before) / count;
    };
    await round(clients.front, perRound); // warm every path before measuring
    await round(clients.frontLogged, perRound);
    await round(clients.express, perRound);
    await round(clients.bare, perRound);
    const frontRounds: number[] = [];
    const frontLoggedRounds: number[] = [];
    const expressRounds: number[] = [];
    const bareRounds: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Rotate which path goes first, so a drift in the machine's load falls on all four.
      const order = [
        () => round(clients.front, perRound).then((us) => frontRounds.push(us)),
        () => round(clients.frontLogged, perRound).then((us) => frontLoggedRounds.push(us)),
        () => round(clients.express, perRound).then((us) => expressRounds.push(us)),
        () => round(clients.bare, perRound).then((us) => bareRounds.push(us)),
      ];
      for (let k = 0; k < order.length; k++) await order[(i + k) % order.length]!();
    }
    for (const client of Object.values(clients)) client.close();
    return {
      answers: perRound * rounds * 4,
      rounds,
      frontMicros: median(frontRounds),
      frontLoggedMicros: median(frontLoggedRounds),
      expressMicros: median(expressRounds),
      bareMicros: median(bareRounds),
      frontRounds,
      expressRounds,
    };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
