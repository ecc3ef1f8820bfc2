import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Session, SessionStore, User, UserStore } from '../../accounts/model.js';
import { MicroBatcher, type MicroBatchTuning } from '../../shared/micro-batcher.js';
import { batchGet } from './batch-get.js';
import { keys, ttlSeconds } from './keys.js';
import type { TableNames } from './tables.js';
import { refusedOrRaced } from './transactions.js';

const userItem = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  createdAt: z.number(),
  passwordHash: z.string(),
});

const sessionItem = z.object({
  tokenHash: z.string(),
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  userCreatedAt: z.number(),
  createdAt: z.number(),
  expiresAt: z.number(),
});

export class DynamoUserStore implements UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async create(user: User, passwordHash: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // The email claim is the uniqueness guarantee: concurrent sign-ups with one email yield one account.
            {
              Put: {
                TableName: this.tables.users,
                Item: { ...keys.emailClaim(user.email), ...user, passwordHash },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tables.users,
                Item: { ...keys.user(user.userId), ...user },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      refusedOrRaced(error);
      return false;
    }
  }

  async findByEmail(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.users, Key: keys.emailClaim(email), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { passwordHash, ...user } = userItem.parse(Item);
    return { user, passwordHash };
  }
}

/** A session as stored: what `get` reads back (the benchmarks write sessions in bulk through this too). */
export function sessionToItem(session: Session): Record<string, unknown> {
  return { ...keys.session(session.tokenHash), ...session, ttl: ttlSeconds(session.expiresAt) };
}

/** Session reads while another is out are gathered for at most 2 ms (up to BatchGetItem's 100 keys); a lone one goes at once. */
export const SESSION_READ_BATCH: MicroBatchTuning = { maxSize: 100, maxWaitMs: 2, sendAtOnceWhenIdle: true };

export class DynamoSessionStore implements SessionStore {
  private readonly reads: MicroBatcher<string, Session | undefined> | undefined;

  /**
   * `batch` (the served API passes SESSION_READ_BATCH) turns concurrent `get`s into one strongly consistent
   * BatchGetItem (`batchGet`); without it every `get` is its own GetItem.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    batch?: MicroBatchTuning,
  ) {
    const spec = { table: tables.sessions, keyOf: keys.session, idOf: sessionHashOf, decode: toSession };
    this.reads =
      batch &&
      new MicroBatcher(
        (tokenHash) => tokenHash,
        (items) => batchGet(db, spec, items),
        batch,
      );
  }

  async put(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tables.sessions,
        Item: sessionToItem(session),
      }),
    );
  }

  async get(tokenHash: string): Promise<Session | undefined> {
    if (this.reads) return this.reads.submit(tokenHash);
    // Strongly consistent: the first request after a login must already see its session.
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.sessions, Key: keys.session(tokenHash), ConsistentRead: true }),
    );
    return Item && toSession(Item);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tables.sessions, Key: keys.session(tokenHash) }));
  }
}

/** A session item as read; one written before sessions carried the account's creation time is none (log in again). */
function toSession(item: Record<string, unknown>): Session | undefined {
  const parsed = sessionItem.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

const SESSION_PREFIX = keys.session('').pk;
const sessionHashOf = (key: Record<string, unknown>) => String(key.pk).slice(SESSION_PREFIX.length);
