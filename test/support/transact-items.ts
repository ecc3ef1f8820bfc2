import type { Fixture } from './fixture.js';

/** A key attribute as the command holds it: a plain value (document client) or an AttributeValue (wire form). */
const keyText = (value: unknown) => String((value as { S?: string } | undefined)?.S ?? value ?? '');

/**
 * Records the items of every TransactWriteItems that `fx.db` sends, as `pk|sk` of each item, one array per
 * transaction, until the returned function is called (the hold and confirm transactions are sent in wire form).
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
            return `${keyText(key.pk)}|${keyText(key.sk)}`;
          }),
        );
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void fx.db.middlewareStack.remove(name);
}
