import type { OnSaleConfig, Performance } from '../../app/catalog/types.js';
import { demoPerformances } from '../../app/catalog/index.js';
import type { ComposedApi } from '../../app/compose.js';
import { kstDateOf } from '../../app/shared/time.js';
import type { Clock } from '../../app/shared/clock.js';
import type { Fixture } from './fixture.js';
import { addSlot, DAY, MINUTE } from './builders.js';

/** The demo on-sale concert: 2,100-seat hall, sold through the waiting room. */
export const NEON = 'perf-neon-tide-live';

let eventCounter = 0;

/**
 * A queued event of its own (a copy of the demo concert with a fresh id and the given on-sale), plus one show slot
 * 30 days out, so each test controls its own opening time, rate and cap on the fixture's manual clock (or, in a browser
 * test, on a running app's real clock).
 */
export async function addQueuedEvent(
  fx: Pick<Fixture, 'dynamoCatalog'> & { readonly clock: Clock },
  onSale: Partial<OnSaleConfig> = {},
): Promise<{ performance: Performance; scheduleId: string }> {
  eventCounter++;
  const now = fx.clock.now();
  const template = demoPerformances(kstDateOf(now), now).find((p) => p.id === NEON)!;
  const performance: Performance = {
    ...template,
    id: `perf-queued-${eventCounter}-${process.pid}`,
    onSale: {
      queue: true,
      preQueueOpensAt: now,
      opensAt: now + 10 * MINUTE,
      admitPerMinute: 60,
      admissionWindowMinutes: 10,
      maxHoldsPerAdmission: 2,
      ...onSale,
    },
  };
  await fx.dynamoCatalog.put({ venues: [], performances: [performance], schedules: [] });
  const slot = await addSlot(fx, performance.id, now + 30 * DAY);
  return { performance, scheduleId: slot.id };
}

type Key = { sk?: unknown };
/** A key's sort key, whether the command still holds it as a value or already as an AttributeValue. */
const skOf = (key: Key) => String((key.sk as { S?: string } | undefined)?.S ?? key.sk);

/** Records the DynamoDB commands a composed API sends (`GetCommand:ENTRY`), to prove a path makes no extra call. */
export function countDynamoCalls(api: Pick<ComposedApi, 'db'>): { calls: string[]; reset(): void } {
  const calls: string[] = [];
  api.db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: Key; RequestItems?: Record<string, { Keys?: Key[] }> };
      const name = String(context.commandName);
      // A batched read (the store gathers concurrent reads into one BatchGetItem) counts once per key it reads.
      const batchKeys = Object.values(input.RequestItems ?? {}).flatMap((request) => request.Keys ?? []);
      if (batchKeys.length > 0) for (const key of batchKeys) calls.push(`${name}:${skOf(key)}`);
      else calls.push(`${name}${input.Key?.sk ? `:${skOf(input.Key)}` : ''}`);
      return next(args);
    },
    { step: 'initialize', name: `countCalls${Math.random().toString(36).slice(2)}` },
  );
  return {
    calls,
    reset: () => {
      calls.length = 0;
    },
  };
}
