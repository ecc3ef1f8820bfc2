import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Session, SessionStore, User, UserStore } from '../../accounts/model.js';
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

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async put(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tables.sessions,
        Item: sessionToItem(session),
      }),
    );
  }

  async get(tokenHash: string): Promise<Session | undefined> {
    // Strongly consistent: the first request after a login must already see its session.
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.sessions, Key: keys.session(tokenHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    // A session written before sessions carried the account's creation time: its owner simply logs in again.
    const parsed = sessionItem.safeParse(Item);
    return parsed.success ? parsed.data : undefined;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tables.sessions, Key: keys.session(tokenHash) }));
  }
}
