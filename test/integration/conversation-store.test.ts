import { expect } from 'chai';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConversationStore } from '../../app/adapters/dynamodb/conversation-store.js';
import { keys, ttlSeconds } from '../../app/adapters/dynamodb/keys.js';
import { newConversation, remember, type ConversationState } from '../../app/assistant/conversation.js';
import { ConversationBusy } from '../../app/assistant/ports.js';
import { createFixture, type Fixture } from '../support/fixture.js';

const DAY = 24 * 3600 * 1000;

describe('DynamoConversationStore on DynamoDB Local: the state as one string, the lease around each answer', function () {
  this.timeout(60_000);
  let fx: Fixture;
  let store: DynamoConversationStore;
  let n = 0;

  before(async () => {
    fx = await createFixture('conversation-store');
    store = new DynamoConversationStore(fx.db, fx.tables);
  });

  const sample = (): ConversationState => {
    const now = fx.clock.now();
    const state = { ...newConversation(`conv-${++n}`, 'ko', now, 'user-1'), turn: 1, performanceId: 'perf-1' };
    return remember(state, { user: '달빛 정원 2명', assistant: '언제 보시겠어요? "따옴표"와 줄\n바꿈도 그대로.' });
  };
  const raw = async (id: string) =>
    (await fx.db.send(new GetCommand({ TableName: fx.tables.sessions, Key: keys.conversation(id) }))).Item!;

  it('a saved conversation is one JSON string attribute and reads back equal, quotes and newlines included', async () => {
    const state = sample();
    await store.commit(state, undefined, fx.clock.now() + DAY);
    const item = await raw(state.id);
    expect(item.stateJson).to.be.a('string');
    expect(item).not.to.have.property('state');
    expect(await store.get(state.id, fx.clock.now())).to.deep.equal(state);
  });

  it('a conversation saved before the change (state as a map) is still read and leased, and saved back as a string', async () => {
    const state = sample();
    await fx.db.send(
      new PutCommand({
        TableName: fx.tables.sessions,
        Item: { ...keys.conversation(state.id), state, ttl: ttlSeconds(fx.clock.now() + DAY) },
      }),
    );
    expect(await store.get(state.id, fx.clock.now())).to.deep.equal(state);
    const leased = await store.begin(state.id, fx.clock.now(), fx.clock.now() + 60_000);
    expect(leased!.state).to.deep.equal(state);
    await store.commit({ ...leased!.state, turn: 2 }, leased!.lease, fx.clock.now() + DAY);
    const item = await raw(state.id);
    expect(item).not.to.have.property('state');
    expect(JSON.parse(item.stateJson as string)).to.include({ turn: 2 });
  });

  it('while one answer holds the lease a second begin is ConversationBusy, and a save under a stale lease writes nothing', async () => {
    const state = sample();
    await store.commit(state, undefined, fx.clock.now() + DAY);
    const first = await store.begin(state.id, fx.clock.now(), fx.clock.now() + 60_000);
    let refused: unknown;
    await store.begin(state.id, fx.clock.now(), fx.clock.now() + 60_000).catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(ConversationBusy);
    await store
      .commit({ ...state, turn: 9 }, 'not-the-lease', fx.clock.now() + DAY)
      .catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(ConversationBusy);
    expect((await store.get(state.id, fx.clock.now()))!.turn).to.equal(1);
    await store.commit({ ...first!.state, turn: 2 }, first!.lease, fx.clock.now() + DAY);
    expect((await store.get(state.id, fx.clock.now()))!.turn).to.equal(2);
  });

  it('a stored string that is not a valid conversation is refused with the item named, not half-read', async () => {
    const id = `conv-${++n}`;
    await fx.db.send(
      new PutCommand({
        TableName: fx.tables.sessions,
        Item: { ...keys.conversation(id), stateJson: '{"id":"x","turn":', ttl: ttlSeconds(fx.clock.now() + DAY) },
      }),
    );
    let error: unknown;
    await store.get(id, fx.clock.now()).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain(`Malformed conversation CONV#${id}`);
  });
});
