import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLES, TABLE_NAMES, type TableDefinition, type TableNames } from './tables.js';

/** The CreateTable input for one definition: the same keys, indexes and TTL the Pulumi data component declares. */
export function createTableInput(tableName: string, definition: TableDefinition): CreateTableCommandInput {
  const keyAttributes = [
    definition.partitionKey,
    ...(definition.sortKey ? [definition.sortKey] : []),
    ...definition.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, ...(i.sortKey ? [i.sortKey] : [])]),
  ];
  const attributeDefinitions = [...new Map(keyAttributes.map((a) => [a.name, a])).values()].map(
    (a): AttributeDefinition => ({ AttributeName: a.name, AttributeType: a.type }),
  );
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes:
      definition.globalSecondaryIndexes.length > 0
        ? definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: index.projection },
          }))
        : undefined,
  };
}

/** Creates any missing table (and its TTL setting). Existing tables are left as they are. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    TABLE_NAMES.map(async (table) => {
      const definition: TableDefinition = TABLES[table];
      const tableName = names[table];
      try {
        await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        return;
      }
      await waitUntilActive(client, tableName);
      if (definition.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true },
          }),
        );
      }
    }),
  );
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
