/**
 * The one definition of every DynamoDB table: keys, secondary indexes and the single TTL attribute.
 * The local bootstrap (`create-tables.ts`) and the Pulumi data component both read these objects, so the
 * emulator and the global tables in AWS can never drift apart. Plain data: no SDK or Pulumi types here.
 */
export type KeyType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /**
   * ALL keeps an index read to one round trip but copies the whole item on every write that touches the index;
   * KEYS_ONLY copies only the keys, and its readers fetch the items (docs/architecture.md, hold path, point 7).
   */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** At most one TTL attribute per table (DynamoDB allows one); TTL is garbage collection, never correctness. */
  readonly ttlAttribute?: string;
  readonly purpose: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

export const TABLES = {
  performances: {
    purpose: 'Performance catalog entries (title, genre, grades, grade rules, cast).',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [],
  },
  venues: {
    purpose: 'Venue layouts: floors → sections → rows; seats are derived from the layout.',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [],
  },
  schedules: {
    purpose: 'Show slots; byPerformance lists a performance’s slots in start order.',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [
      { name: 'byPerformance', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk'), projection: 'ALL' },
    ],
  },
  bookings: {
    purpose:
      'Seat state (one item per schedule and seat), holds, reservations and the per-user active-hold pointer. ' +
      'byUser lists a user’s reservations newest first; liveHolds (sharded, sparse) finds holds for DR recovery and ' +
      'projects keys only: every hold writes it, its one reader (a failover) is rare and fetches the items.',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalSecondaryIndexes: [
      { name: 'byUser', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk'), projection: 'ALL' },
      { name: 'liveHolds', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk'), projection: 'KEYS_ONLY' },
    ],
    ttlAttribute: 'ttl',
  },
  users: {
    purpose: 'Accounts: an email-claim item and a user item, written together so one email yields one account.',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [],
  },
  sessions: {
    purpose: 'Server-side login sessions (keyed by a hash of the token) and assistant conversation state.',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [],
    ttlAttribute: 'ttl',
  },
  queue: {
    purpose:
      'On-sale waiting rooms: per event one small control state (cached ≤ 1 s by every instance) and a numbering ' +
      'counter per writer epoch; per event and account one entry (place, admission, holds used) that the hold ' +
      'transaction checks. Entry keys spread over partitions; nothing needs an index.',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalSecondaryIndexes: [],
    ttlAttribute: 'ttl',
  },
  audit: {
    purpose: 'Append-only audit trail of every hold and reservation state change (who, what, when, region).',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    globalSecondaryIndexes: [],
  },
  control: {
    purpose:
      'Operational state both regions share through replication: the DR state item ({active, since}) written by the ' +
      'failover workflow and the failback command, read by every API to decide whether its region may take writes.',
    partitionKey: S('pk'),
    globalSecondaryIndexes: [],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Physical name of a logical table, e.g. `megaticket-bookings`. */
export function physicalTableName(prefix: string, table: TableName): string {
  return `${prefix}-${table}`;
}

export type TableNames = Readonly<Record<TableName, string>>;

export function tableNamesFor(prefix: string): TableNames {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, physicalTableName(prefix, t)])) as Record<TableName, string>;
}
