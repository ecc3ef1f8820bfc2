import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CatalogReader } from '../../booking/ports.js';
import type { Performance, Schedule, Venue } from '../../catalog/types.js';
import { toPerformance, toSchedule, toVenue } from './catalog-items.js';
import { keys, sortableInstant } from './keys.js';
import { queryAll, scanAll } from './paginate.js';
import type { TableNames } from './tables.js';

/** Catalog reads straight from DynamoDB. Wrap in `CachedCatalog` for serving; seat state is never read here. */
export class DynamoCatalog implements CatalogReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async listPerformances(): Promise<readonly Performance[]> {
    const items = await scanAll(this.db, { TableName: this.tables.performances });
    return items.map(toPerformance).sort((a, b) => a.runStart.localeCompare(b.runStart) || a.id.localeCompare(b.id));
  }

  async getPerformance(id: string): Promise<Performance | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.performances, Key: keys.performance(id) }),
    );
    return Item ? toPerformance(Item) : undefined;
  }

  async getVenue(id: string): Promise<Venue | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.venues, Key: keys.venue(id) }));
    return Item ? toVenue(Item) : undefined;
  }

  async getSchedule(id: string): Promise<Schedule | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.schedules, Key: keys.schedule(id) }));
    return Item ? toSchedule(Item) : undefined;
  }

  async listSchedules(performanceId: string): Promise<readonly Schedule[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.schedules,
      IndexName: 'byPerformance',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.schedulesOf(performanceId) },
    });
    return items.map(toSchedule);
  }

  /** Upserts catalog entries (idempotent: demo seeding runs on every local start). */
  async put(entries: {
    venues: readonly Venue[];
    performances: readonly Performance[];
    schedules: readonly Schedule[];
  }) {
    const writes: { table: string; item: Record<string, unknown> }[] = [
      ...entries.venues.map((v) => ({ table: this.tables.venues, item: { ...keys.venue(v.id), ...v } })),
      ...entries.performances.map((p) => ({
        table: this.tables.performances,
        item: { ...keys.performance(p.id), ...p },
      })),
      ...entries.schedules.map((s) => ({
        table: this.tables.schedules,
        item: {
          ...keys.schedule(s.id),
          gsi1pk: keys.schedulesOf(s.performanceId),
          gsi1sk: `${sortableInstant(s.startsAt)}#${s.id}`,
          ...s,
        },
      })),
    ];
    for (let i = 0; i < writes.length; i += 25) {
      let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      for (const { table, item } of writes.slice(i, i + 25))
        (requests[table] ??= []).push({ PutRequest: { Item: item } });
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 8) throw new Error('catalog seeding: DynamoDB kept returning unprocessed items');
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (result.UnprocessedItems ?? {}) as typeof requests;
        if (Object.keys(requests).length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}
