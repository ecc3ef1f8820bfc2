import {
  BatchGetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type PutItemCommandOutput,
  type TransactWriteItem,
  type TransactWriteItemsCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SERIALIZER_ENTRY, wireTransactionSerializer, type SerializerConfig } from './transaction-serializer.js';

type Stack = DynamoDBDocumentClient['middlewareStack'];

/** How often each client stack created by our factory has changed (`trackStackChanges`). */
const stackChanges = new WeakMap<Stack, { count: number }>();

/**
 * Counts every change to `stack` (add, remove, …), so a handler resolved from it can tell when it is stale. Called by
 * the client factory; a stack it never saw is never cached from (`sendWireTransaction` resolves it on every send).
 */
export function trackStackChanges(stack: Stack): void {
  if (stackChanges.has(stack)) return;
  const changes = { count: 0 };
  const mutable = stack as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['add', 'addRelativeTo', 'remove', 'removeByTag', 'use']) {
    const original = mutable[method]!.bind(stack);
    mutable[method] = (...args: unknown[]) => {
      changes.count++;
      return original(...args);
    };
  }
  stackChanges.set(stack, changes);
}

/** A low-level command the app sends in wire form (AttributeValues) through a document client's own stack. */
type WireCommand = TransactWriteItemsCommand | BatchGetItemCommand | PutItemCommand;
type Handler = (command: WireCommand) => Promise<{ output: unknown }>;

interface Resolved {
  readonly handler: Handler;
  readonly changes: number;
  readonly requestHandler: unknown;
}
/** Per client, one resolved stack per command class (each class brings its own serializer and endpoint rules). */
const resolvedFor = new WeakMap<DynamoDBDocumentClient, Map<unknown, Resolved>>();

/** The cache key of a `TransactWriteItems` stack resolved with our serialiser (`transaction-serializer.ts`). */
const OWN_SERIALIZER = Symbol('TransactWriteItems, serialised by JSON.stringify');
let ownTransactionSerializer = true;

/**
 * Whether `sendWireTransaction` serialises with `JSON.stringify` (the default) or with the SDK's schema serialiser,
 * as before: the benchmarks compare the two in one process, and the equivalence test sends the same items both ways.
 */
export function useOwnTransactionSerializer(on: boolean): void {
  ownTransactionSerializer = on;
}

/**
 * Sends a TransactWriteItems in wire form (AttributeValues) as the low-level command through `db`'s own middleware
 * stack and configuration — so retries, signing, call tracing and test stubs are the client's — with the stack
 * resolved once and reused until it or the request handler changes. The SDK resolves the whole stack on every send
 * (a fifth of a hold's client CPU, docs/benchmarks.md); its own `cacheMiddleware` option does what this does, but
 * the document client refuses it (its commands marshal through the cached command's input), so the commands the
 * hot paths send are cached here instead. As with that option, concurrent sends share the resolved handler. Its
 * serialise step is ours (`transaction-serializer.ts`): the items are already AttributeValues, so the body is their
 * JSON, written without the SDK's schema walk; every other step is the client's.
 */
export async function sendWireTransaction(db: DynamoDBDocumentClient, items: TransactWriteItem[]): Promise<void> {
  await sendWire(db, new TransactWriteItemsCommand({ TransactItems: items }));
}

/** A BatchGetItem in wire form (keys as AttributeValues, items answered as AttributeValues), sent as above. */
export async function sendWireBatchGet(
  db: DynamoDBDocumentClient,
  input: BatchGetItemCommandInput,
): Promise<BatchGetItemCommandOutput> {
  return sendWire(db, new BatchGetItemCommand(input));
}

/**
 * Any low-level command in wire form through `db`'s stack, resolved once per command class as
 * `sendWireTransaction` does (the conversation's save per chat message uses it for its `PutItem`).
 */
export async function sendWire<C extends WireCommand>(db: DynamoDBDocumentClient, command: C): Promise<OutputOf<C>> {
  const changes = stackChanges.get(db.middlewareStack);
  if (!changes) return (await db.send(command as never)) as OutputOf<C>;
  const byClass = resolvedFor.get(db) ?? new Map<unknown, Resolved>();
  resolvedFor.set(db, byClass);
  const own = ownTransactionSerializer && command instanceof TransactWriteItemsCommand;
  const key = own ? OWN_SERIALIZER : command.constructor;
  let resolved = byClass.get(key);
  if (!resolved || resolved.changes !== changes.count || resolved.requestHandler !== db.config.requestHandler) {
    if (own) {
      const serializer = wireTransactionSerializer(db.config as unknown as SerializerConfig);
      command.middlewareStack.add(serializer as never, SERIALIZER_ENTRY);
    }
    resolved = {
      handler: (command as TransactWriteItemsCommand).resolveMiddleware(
        db.middlewareStack as Parameters<TransactWriteItemsCommand['resolveMiddleware']>[0],
        db.config,
        undefined,
      ) as unknown as Handler,
      changes: changes.count,
      requestHandler: db.config.requestHandler,
    };
    byClass.set(key, resolved);
  }
  return (await resolved.handler(command)).output as OutputOf<C>;
}

type OutputOf<C> = C extends BatchGetItemCommand
  ? BatchGetItemCommandOutput
  : C extends PutItemCommand
    ? PutItemCommandOutput
    : TransactWriteItemsCommandOutput;
