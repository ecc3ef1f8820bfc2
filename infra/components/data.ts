import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  TABLES,
  TABLE_NAMES,
  physicalTableName,
  tableNamesFor,
  type TableDefinition,
  type TableNames,
} from '../../app/adapters/dynamodb/tables.js';
import { childName } from '../naming.js';

export interface DataTablesArgs {
  readonly tablePrefix: string;
  /** Only the primary stack creates the global tables; the standby references them by name. */
  readonly owner: boolean;
  readonly replicaRegion: string;
}

/** Every attribute a table's keys or indexes use, each once, in first-seen order (DynamoDB rejects unused ones). */
export function keyAttributes(def: TableDefinition): { name: string; type: string }[] {
  const keys = [
    def.partitionKey,
    def.sortKey,
    ...def.globalSecondaryIndexes.flatMap((gsi) => [gsi.partitionKey, gsi.sortKey]),
  ].filter((k) => k !== undefined);
  const seen = new Map<string, string>();
  for (const k of keys) {
    const prev = seen.get(k.name);
    if (prev && prev !== k.type) throw new Error(`attribute ${k.name} is declared as both ${prev} and ${k.type}`);
    seen.set(k.name, k.type);
  }
  return [...seen].map(([name, type]) => ({ name, type }));
}

/**
 * The app's tables (app/adapters/dynamodb/tables.ts, the same objects the local bootstrap uses) as DynamoDB global
 * tables: on-demand, streams on (global table replication needs NEW_AND_OLD_IMAGES), a replica in the standby region,
 * point-in-time recovery and deletion protection on both sides. `protect` adds a Pulumi-level guard on top of
 * DynamoDB's own deletion protection.
 */
export class DataTables extends pulumi.ComponentResource {
  readonly tableNames: TableNames;

  constructor(name: string, args: DataTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('megaticket:data:DataTables', name, {}, opts);
    this.tableNames = tableNamesFor(args.tablePrefix);

    if (args.owner) {
      for (const table of TABLE_NAMES) {
        const def: TableDefinition = TABLES[table];
        new aws.dynamodb.Table(
          childName(name, table),
          {
            name: physicalTableName(args.tablePrefix, table),
            billingMode: 'PAY_PER_REQUEST',
            hashKey: def.partitionKey.name,
            rangeKey: def.sortKey?.name,
            attributes: keyAttributes(def),
            globalSecondaryIndexes: def.globalSecondaryIndexes.map((gsi) => ({
              name: gsi.name,
              keySchemas: [
                { attributeName: gsi.partitionKey.name, keyType: 'HASH' },
                ...(gsi.sortKey ? [{ attributeName: gsi.sortKey.name, keyType: 'RANGE' }] : []),
              ],
              projectionType: gsi.projection,
            })),
            ttl: def.ttlAttribute ? { attributeName: def.ttlAttribute, enabled: true } : undefined,
            streamEnabled: true,
            streamViewType: 'NEW_AND_OLD_IMAGES',
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: true,
            replicas: [
              {
                regionName: args.replicaRegion,
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
                propagateTags: true,
              },
            ],
          },
          { parent: this, protect: true },
        );
      }
    }
    this.registerOutputs({ tableNames: this.tableNames });
  }
}
