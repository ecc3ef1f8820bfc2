import type { Fixture } from './fixture.js';

/**
 * Records the items of every TransactWriteItems that `fx.db` sends, as `pk|sk` of each item, one array per
 * transaction, until the returned function is called.
 */
export function traceTransactItems(fx: Pick<Fixture, 'db'>, sent: string[][]): () => void {
  const name = `traceTransactItems${Math.random().toString(36).slice(2)}`;
  fx.db.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: Record<string, { Key?: object; Item?: object }>[] }).TransactItems;
      if (items) {
        sent.push(
          items.map((item) => {
            const op = Object.values(item)[0];
            const key = (op?.Key ?? op?.Item ?? {}) as { pk?: unknown; sk?: unknown };
            return `${String(key.pk)}|${String(key.sk ?? '')}`;
          }),
        );
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void fx.db.middlewareStack.remove(name);
}
