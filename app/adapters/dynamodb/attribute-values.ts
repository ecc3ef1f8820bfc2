import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/** A TransactWriteItems item as the document client takes it: plain values where the wire wants AttributeValues. */
export type DocumentTransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Plain values as DynamoDB AttributeValues: what `@aws-sdk/util-dynamodb`'s `marshall` produces with the document
 * client's options here (`removeUndefinedValues`, no class instances), for the shapes the app stores — strings,
 * numbers, booleans, null, arrays and plain objects. Anything else (sets, binary, bigint, class instances) is refused,
 * as it would be by `marshall` with these options or is not used by the app. The hold and confirm transactions are
 * sent in this form through the low-level command, which skips the document client's generic walk of every item
 * (and its second middleware resolution per send).
 */
export function toAttributeValue(value: unknown): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: numberText(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) return { L: toAttributeList(value) };
      if (isPlainObject(value)) return { M: toAttributeMap(value) };
  }
  throw new Error(`toAttributeValue: unsupported value ${describe(value)}`);
}

/** An item or ExpressionAttributeValues map; undefined (and function) members are left out, as `marshall` does. */
export function toAttributeMap(record: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined && typeof value !== 'function') map[key] = toAttributeValue(value);
  }
  return map;
}

function toAttributeList(values: readonly unknown[]): AttributeValue[] {
  const list: AttributeValue[] = [];
  for (const value of values)
    if (value !== undefined && typeof value !== 'function') list.push(toAttributeValue(value));
  return list;
}

/** DynamoDB numbers travel as text; like `marshall`, refuse what would not round-trip exactly. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`toAttributeValue: special numeric value ${value} is not allowed`);
  if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) {
    throw new Error(`toAttributeValue: ${value} is outside the safe integer range`);
  }
  return value.toString();
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/** One transaction item in wire form: its item, key and expression values as AttributeValue maps. */
export function toWireTransactItem(item: DocumentTransactItem): TransactWriteItem {
  const { Put, Update, Delete, ConditionCheck } = item;
  if (Put) return { Put: { ...Put, Item: toAttributeMap(Put.Item ?? {}), ...wireValues(Put) } };
  if (Update) return { Update: { ...Update, Key: toAttributeMap(Update.Key ?? {}), ...wireValues(Update) } };
  if (Delete) return { Delete: { ...Delete, Key: toAttributeMap(Delete.Key ?? {}), ...wireValues(Delete) } };
  if (ConditionCheck) {
    return {
      ConditionCheck: {
        ...ConditionCheck,
        Key: toAttributeMap(ConditionCheck.Key ?? {}),
        ...wireValues(ConditionCheck),
      },
    };
  }
  throw new Error('toWireTransactItem: an item needs one of Put, Update, Delete or ConditionCheck');
}

/** The expression values in wire form; an absent member stays absent, as the document client leaves it. */
function wireValues(op: { ExpressionAttributeValues?: Record<string, unknown> }): {
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  return op.ExpressionAttributeValues === undefined
    ? {}
    : { ExpressionAttributeValues: toAttributeMap(op.ExpressionAttributeValues) };
}
