import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentRequestId } from '../../app/shared/request-context.js';
import { processCpuMs } from './cpu.js';
/** Anything measured as a phase; only its name is printed. */
interface Named {
  readonly name: string;
}

/** The load generator's own worker thread, when a phase reports it (`clientCpuMs`). */
const CLIENT_THREAD = 'load generator thread';

/** What one scenario cost, summed over its measured phases. */
interface Cost {
  completed: number;
  wallMs: number;
  /** CPU (user + system) of each measured process during the scenario's phases. */
  readonly cpuMs: Map<string, number>;
  /** DynamoDB calls by command and table (GetItem(sessions), TransactWriteItems, …). */
  readonly calls: Map<string, number>;
  /** Items inside TransactWriteItems, by operation and kind (`hold Put`, `confirm Update`, …). */
  readonly transactItems: Map<string, number>;
  /** TransactWriteItems calls by operation (`hold`, `confirm`). */
  readonly transactions: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/**
 * Where a scenario's time goes, per completed hold+confirm pair: the CPU each process spent (from /proc, as
 * bench:pages does) and the DynamoDB work its client sent (calls and transaction items). The scenarios run one at a
 * time, so everything measured during a phase belongs to that phase's scenario.
 */
export class PhaseCost {
  private readonly costs = new Map<Named, Cost>();
  private current: Cost | undefined;

  /** `processes`: name → pid of each process to measure (the JVM, the Node process of the app and load generator). */
  constructor(private readonly processes: Readonly<Record<string, number | undefined>>) {}

  /** Counts what `client` sends while a phase is being measured. Returns the function that stops counting. */
  watch(client: DynamoDBDocumentClient): () => void {
    const name = `bench-phase-cost-${Math.random().toString(36).slice(2)}`;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const cost = this.current;
        if (cost) {
          // By table too (`GetItem(sessions)`): a session read and a hold read cost alike but answer to different levers.
          const table = (args.input as { TableName?: string }).TableName;
          const command = String(context.commandName).replace(/Command$/, '');
          add(cost.calls, table ? `${command}(${table.split('-').pop()})` : command, 1);
          const items = (args.input as { TransactItems?: readonly Record<string, unknown>[] }).TransactItems;
          if (items) {
            const operation = operationOf(items);
            add(cost.transactions, operation, 1);
            for (const item of items) add(cost.transactItems, `${operation} ${Object.keys(item)[0] ?? '?'}`, 1);
          }
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    return () => void client.middlewareStack.remove(name);
  }

  /** Runs one measured phase of `scenario`, attributing CPU and DynamoDB work to it. */
  async measure<T extends { completed: number; elapsedMs: number; clientCpuMs?: number }>(
    scenario: Named,
    phase: () => Promise<T>,
  ): Promise<T> {
    const cost = this.costs.get(scenario) ?? {
      completed: 0,
      wallMs: 0,
      cpuMs: new Map(),
      calls: new Map(),
      transactItems: new Map(),
      transactions: new Map(),
    };
    this.costs.set(scenario, cost);
    const before = this.cpuNow();
    this.current = cost;
    try {
      const result = await phase();
      cost.completed += result.completed;
      cost.wallMs += result.elapsedMs;
      if (result.clientCpuMs !== undefined) add(cost.cpuMs, CLIENT_THREAD, result.clientCpuMs);
      return result;
    } finally {
      this.current = undefined;
      const after = this.cpuNow();
      for (const [process, ms] of after) add(cost.cpuMs, process, ms - (before.get(process) ?? ms));
    }
  }

  lines(): string {
    const lines = [
      'cost per completed hold+confirm pair (measured rounds; CPU from /proc, % of one core over the wall time):',
    ];
    for (const [scenario, cost] of this.costs) {
      const per = (n: number) => (cost.completed > 0 ? n / cost.completed : Number.NaN);
      const cpu = [...cost.cpuMs]
        .map(([process, ms]) => `${process} ${per(ms).toFixed(1)} ms (${((100 * ms) / cost.wallMs).toFixed(0)}%)`)
        .join(', ');
      const client = cost.cpuMs.get(CLIENT_THREAD);
      const [processName, processMs] = [...cost.cpuMs].find(([name]) => name.startsWith('Node')) ?? [];
      const calls = [...cost.calls].map(([command, n]) => `${per(n).toFixed(2)} ${command}`).join(' + ');
      lines.push(`  ${scenario.name.padEnd(3)}: CPU ${cpu}`);
      if (client !== undefined && processMs !== undefined)
        lines.push(`       ${processName} less its ${CLIENT_THREAD}: ${per(processMs - client).toFixed(1)} ms`);
      lines.push(`       DynamoDB calls: ${calls || 'none counted'}`);
      for (const [operation, transactions] of cost.transactions) {
        const kinds = [...cost.transactItems]
          .filter(([key]) => key.startsWith(`${operation} `))
          .map(([key, n]) => `${(n / transactions).toFixed(2)} ${key.slice(operation.length + 1)}`);
        const total = kinds.reduce((s, k) => s + Number.parseFloat(k), 0);
        lines.push(
          `       ${operation} transaction: ${total.toFixed(2)} items (${kinds.join(' + ')}), ${transactions} sent`,
        );
      }
    }
    return lines.join('\n');
  }

  private cpuNow(): Map<string, number> {
    const now = new Map<string, number>();
    for (const [process, pid] of Object.entries(this.processes)) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) now.set(process, ms);
    }
    return now;
  }
}

/**
 * Which step a transaction served: the API's by the request it was made for (`bench-hold-…`, `bench-confirm-…`), the
 * raw floor's by its shape (the hold puts seat items, the confirm updates them).
 */
function operationOf(items: readonly Record<string, unknown>[]): string {
  const requestId = currentRequestId();
  if (requestId) return /^bench-(hold|confirm)-/.exec(requestId)?.[1] ?? 'other';
  return items.every((item) => 'Put' in item) ? 'hold' : items.every((item) => 'Update' in item) ? 'confirm' : 'other';
}
