import { expect } from 'chai';
import { TABLES, TABLE_NAMES, tableNamesFor } from '../../app/adapters/dynamodb/tables.js';
import type { OfflineRun } from '../../infra/offline/run.js';
import { named, ofType, scenario } from '../support/pulumi-mocks.js';

// Global tables (the DR state's control table among them) as declared. Does not prove DynamoDB creates the replica (account limits,
// region opt-in) or that PITR/deletion protection end up enabled on the replica in AWS.
describe('data (mocks, seoul owns, tokyo references)', () => {
  let seoul: OfflineRun;
  let tokyo: OfflineRun;
  before(async () => {
    seoul = await scenario('seoul');
    tokyo = await scenario('tokyo');
  });

  it('the global tables are created once, by seoul only: one per app table definition', () => {
    expect(
      ofType(seoul, 'aws:dynamodb/table:Table')
        .map((t) => t.inputs['name'])
        .sort(),
    ).to.deep.equal(TABLE_NAMES.map((t) => `megaticket-${t}`).sort());
    expect(ofType(tokyo, 'aws:dynamodb/table:Table')).to.deep.equal([]);
    expect(tokyo.outputs['tableNames']).to.deep.equal(tableNamesFor('megaticket'));
    expect(seoul.outputs['tableNames']).to.deep.equal(tableNamesFor('megaticket'));
  });

  it('keys, GSIs (keys + projection) and TTL are exactly those of app/adapters/dynamodb/tables.ts', () => {
    for (const table of TABLE_NAMES) {
      const def = TABLES[table];
      const t = named(seoul, 'aws:dynamodb/table:Table', `megaticket-data-${table}`).inputs;
      expect(t['hashKey'], table).to.equal(def.partitionKey.name);
      expect(t['rangeKey'], table).to.equal('sortKey' in def ? def.sortKey.name : undefined);
      const gsis = (t['globalSecondaryIndexes'] ?? []) as {
        name: string;
        keySchemas: { attributeName: string; keyType: string }[];
        projectionType: string;
      }[];
      expect(gsis, table).to.deep.equal(
        def.globalSecondaryIndexes.map((g) => ({
          name: g.name,
          keySchemas: [
            { attributeName: g.partitionKey.name, keyType: 'HASH' },
            ...('sortKey' in g ? [{ attributeName: g.sortKey.name, keyType: 'RANGE' }] : []),
          ],
          projectionType: g.projection,
        })),
      );
      expect(t['ttl'], table).to.deep.equal(
        'ttlAttribute' in def ? { attributeName: def.ttlAttribute, enabled: true } : undefined,
      );
      const keyNames = [
        def.partitionKey,
        'sortKey' in def ? def.sortKey : undefined,
        ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, 'sortKey' in g ? g.sortKey : undefined]),
      ]
        .filter((k) => k !== undefined)
        .map((k) => ({ name: k.name, type: k.type }));
      const unique = [...new Map(keyNames.map((k) => [k.name, k])).values()];
      expect(t['attributes'], table).to.deep.equal(unique);
    }
  });

  it('every table: on-demand, NEW_AND_OLD_IMAGES stream, PITR and deletion protection, one replica in tokyo with PITR and protection', () => {
    for (const t of ofType(seoul, 'aws:dynamodb/table:Table')) {
      expect(t.inputs, t.name).to.deep.include({
        billingMode: 'PAY_PER_REQUEST',
        streamEnabled: true,
        streamViewType: 'NEW_AND_OLD_IMAGES',
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        replicas: [
          {
            regionName: 'ap-northeast-1',
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
            propagateTags: true,
          },
        ],
      });
    }
  });

  it('every table is `protect`ed in Pulumi (captured by the root transformation; mocks alone cannot see it)', () => {
    const tables = ofType(seoul, 'aws:dynamodb/table:Table');
    expect(tables).to.have.length(TABLE_NAMES.length);
    for (const t of tables) expect(t.options.protect, t.name).to.equal(true);
  });

  it('the DR state lives in the replicated control table (no per-region SSM parameter): both stacks name it, seoul creates it', () => {
    for (const run of [seoul, tokyo]) {
      expect(run.outputs['drStateTable']).to.equal('megaticket-control');
      expect(ofType(run, 'aws:ssm/parameter:Parameter')).to.deep.equal([]);
    }
    const control = named(seoul, 'aws:dynamodb/table:Table', 'megaticket-data-control');
    expect(control.inputs['replicas']).to.deep.equal([
      { regionName: 'ap-northeast-1', pointInTimeRecovery: true, deletionProtectionEnabled: true, propagateTags: true },
    ]);
  });
});
