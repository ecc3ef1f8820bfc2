import { PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createDynamoClient } from '../../app/adapters/dynamodb/client.js';
import { DR_STATE_KEY } from '../../app/adapters/dr/dr-state-item.js';
import { DynamoDrStateStore } from '../../app/adapters/dr/dynamo-dr-state.js';
import { WriterGate } from '../../app/booking/writer.js';
import { failoverDefinition } from '../../infra/failover-definition.js';
import { runStateMachine, TaskFailure, type TaskCall } from '../support/asl.js';
import { createFixture, type Fixture } from '../support/fixture.js';

/**
 * The failover workflow's DynamoDB write, executed for real: the interpreter runs the state machine and its putItem
 * task goes to DynamoDB Local as a PutItem with the workflow's own item and condition. The app's store then reads the
 * result, and a Seoul API's writer gate obeys it. Route53 and Auto Scaling calls are only recorded.
 */
describe('failover workflow against DynamoDB Local: the item it writes is the DR state the app reads', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let store: DynamoDrStateStore;
  before(async () => {
    fx = await createFixture('failover-workflow');
    store = new DynamoDrStateStore(fx.db, fx.tables.control, 'test');
  });
  beforeEach(async () => {
    await fx.db.send(new DeleteCommand({ TableName: fx.tables.control, Key: DR_STATE_KEY }));
  });

  const definition = () =>
    failoverDefinition({
      drStateTable: fx.tables.control,
      gateHealthCheckId: 'gate',
      groups: [{ name: 'api', drMinSize: 2, maxSize: 6 }],
    });
  const execute = (startTime: string) => {
    const client = createDynamoClient({ region: 'ap-northeast-1', endpoint: fx.endpoint });
    const handler = async (call: TaskCall) => {
      if (call.resource !== 'arn:aws:states:::dynamodb:putItem') return {};
      try {
        return await client.send(new PutItemCommand(call.params as unknown as PutItemCommandInput));
      } catch (error) {
        // Step Functions names service errors <Service>.<ErrorName>.
        throw new TaskFailure(`DynamoDB.${(error as Error).name}`);
      }
    };
    return runStateMachine(definition(), handler, { Execution: { StartTime: startTime, Id: `exec-${startTime}` } });
  };

  it('first execution → the app reads {active, since = execution start}; Seoul’s writer gate now refuses, Tokyo’s accepts', async () => {
    await execute('2026-11-22T03:00:00.000Z');
    const state = await store.current();
    expect(state).to.deep.equal({ active: true, since: Date.parse('2026-11-22T03:00:00.000Z') });
    expect(
      (await new WriterGate(store, 'ap-northeast-2', 'ap-northeast-2', 'ap-northeast-1').status()).acceptsWrites,
    ).to.equal(false);
    expect(
      (await new WriterGate(store, 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-1').status()).acceptsWrites,
    ).to.equal(true);
  });

  it('a second execution is refused by the condition and keeps the first since', async () => {
    await execute('2026-11-22T03:00:00.000Z');
    const { visited } = await execute('2026-11-22T03:30:00.000Z');
    expect(visited).to.include('AlreadyActive');
    expect(await store.current()).to.deep.equal({ active: true, since: Date.parse('2026-11-22T03:00:00.000Z') });
  });

  it('after the failback command deactivates, the next execution starts a new failover with its own since', async () => {
    await execute('2026-11-22T03:00:00.000Z');
    const frozen = await store.beginFailback(await store.current(), Date.parse('2026-11-22T05:00:00.000Z'));
    await store.deactivate(frozen);
    await execute('2026-11-23T00:00:00.000Z');
    expect(await store.current()).to.deep.equal({ active: true, since: Date.parse('2026-11-23T00:00:00.000Z') });
  });

  it('an execution during a failback hand-over (active, failing back) leaves it alone: condition refused, since kept', async () => {
    await execute('2026-11-22T03:00:00.000Z');
    const frozen = await store.beginFailback(await store.current(), Date.parse('2026-11-22T05:00:00.000Z'));
    await execute('2026-11-22T05:00:01.000Z');
    expect(await store.current()).to.deep.equal(frozen);
  });
});
