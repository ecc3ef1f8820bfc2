import { expect } from 'chai';
import type { RunningServer } from '../../app/server.js';
import { chat, eventsOf } from '../support/assistant.js';
import { anotherApiInstance, assistantFixture, type AssistantFixture } from '../support/assistant-fixture.js';
import { reply } from '../support/fake-bedrock.js';

/**
 * The one-call path: an answer on the API instance that saved the conversation at the turn the page last saw starts
 * from that instance's copy and takes no lease up front; its save is conditional on nothing having changed, and a
 * lease is taken (conditionally) only before a tool runs.
 */
describe('assistant conversation: the trusted copy saves one DynamoDB call per message and keeps tools exclusive', function () {
  this.timeout(120_000);
  let a: AssistantFixture;
  let elsewhere: RunningServer;
  /** DynamoDB calls on the sessions table's conversation items, by command name. */
  const calls: string[] = [];

  before(async () => {
    a = await assistantFixture('trusted-copy', 'bedrock');
    elsewhere = await anotherApiInstance(a);
    a.fx.db.middlewareStack.add(
      (next, context) => async (args) => {
        // Document-client commands carry plain values; the wire-form save carries `{ S: … }`.
        type Pk = string | { S?: string };
        const input = args.input as { TableName?: string; Key?: { pk?: Pk }; Item?: { pk?: Pk } };
        const raw = input.Key?.pk ?? input.Item?.pk ?? '';
        const pk = typeof raw === 'string' ? raw : (raw.S ?? '');
        if (input.TableName === a.fx.tables.sessions && pk.startsWith('CONV#')) calls.push(context.commandName!);
        return next(args);
      },
      { step: 'initialize', name: 'countConversationCalls' },
    );
  });
  after(async () => {
    await elsewhere.close();
    await a.api.close();
  });
  beforeEach(() => {
    a.fake.reset();
    calls.length = 0;
  });
  afterEach(() => expect(a.fake.scriptErrors).to.deep.equal([]));

  const stored = async (id: string) => (await a.fx.assistant.conversation(id, undefined))!;

  it('the next message at the turn the page saw, on the instance that saved it: one call (the conditional save), history kept', async () => {
    a.fake.responder = (req) => reply.text(`messages=${req.body.messages.length}`);
    const first = await chat(a.api.url, 'one');
    expect(first.turn).to.equal(1);
    calls.length = 0;
    const second = await chat(a.api.url, 'two', { conversationId: first.conversationId, turn: first.turn });
    expect(second.text).to.equal('messages=3'); // the first exchange + the new message: built from the copy
    expect(second.turn).to.equal(2);
    expect(calls).to.deep.equal(['PutItemCommand']);
    expect((await stored(first.conversationId!)).recent.map((e) => e.user)).to.deep.equal(['one', 'two']);
    // Without the turn (an older page) the same instance still reads first: lease, then save.
    calls.length = 0;
    await chat(a.api.url, 'three', { conversationId: first.conversationId });
    expect(calls).to.deep.equal(['UpdateItemCommand', 'PutItemCommand']);
  });

  it('a page that saw a later turn than this instance saved (another instance answered) is answered from the stored state', async () => {
    a.fake.responder = (req) => reply.text(`messages=${req.body.messages.length}`);
    const first = await chat(a.api.url, 'one');
    const second = await chat(elsewhere.url, 'two', { conversationId: first.conversationId, turn: first.turn });
    calls.length = 0;
    await chat(a.api.url, 'three', { conversationId: first.conversationId, turn: second.turn });
    expect(JSON.stringify(a.fake.requests.at(-1)!.body.messages)).to.contain('two');
    expect(calls[0]).to.equal('UpdateItemCommand'); // the lease that reads the stored state
    expect((await stored(first.conversationId!)).recent.map((e) => e.user)).to.deep.equal(['two', 'three']);
  });

  it('a copy older than the conversation lifetime is not trusted: the expired conversation is not continued', async () => {
    a.fake.responder = () => reply.text('ok');
    const first = await chat(a.api.url, 'one');
    a.fx.clock.advance(25 * 3600 * 1000); // past ASSISTANT_CONVERSATION_HOURS (24)
    calls.length = 0;
    const later = await chat(a.api.url, 'two', { conversationId: first.conversationId, turn: first.turn });
    expect(later.conversationId).to.not.equal(first.conversationId);
    expect(later.turn).to.equal(1);
    expect(calls[0]).to.equal('UpdateItemCommand');
  });

  it('a stale copy trusted by a stale page: the answer is not saved over the newer conversation', async () => {
    a.fake.responder = () => reply.text('ok');
    const first = await chat(a.api.url, 'one');
    await chat(elsewhere.url, 'two', { conversationId: first.conversationId, turn: first.turn });
    // A second tab still showing turn 1 sends to the instance whose copy is turn 1.
    const stale = await chat(a.api.url, 'three', { conversationId: first.conversationId, turn: first.turn });
    expect(stale.status).to.equal(200);
    const state = await stored(first.conversationId!);
    expect(state.recent.map((e) => e.user)).to.deep.equal(['one', 'two']);
  });

  it('two messages at once on two instances, one from a trusted copy: only one runs its tool, the other ends CONVERSATION_MOVED', async () => {
    // Both messages make the model ask for a tool; the trusted-copy answer's model call is slower, so the other
    // instance leases and runs its tool first.
    let seeded = false;
    a.fake.responder = (req) => {
      if (!seeded) return reply.text('hi');
      if (req.toolResults.length > 0) return reply.text('done');
      const slow = JSON.stringify(req.body.messages).includes('first tab');
      const grades = { name: 'get_seat_grades', input: { performanceId: 'perf-moonlight-garden' } };
      return reply.tools([grades], '', { delayMs: slow ? 700 : 0 });
    };
    const opened = await chat(a.api.url, 'hello');
    seeded = true;
    const trusted = chat(a.api.url, 'first tab', { conversationId: opened.conversationId, turn: opened.turn });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const other = await chat(elsewhere.url, 'second tab', { conversationId: opened.conversationId, turn: opened.turn });
    const first = await trusted;
    expect(eventsOf(other, 'tool').filter((e) => e.phase === 'start')).to.have.length(1);
    expect(other.text).to.equal('done');
    expect(eventsOf(first, 'tool')).to.deep.equal([]);
    expect(eventsOf(first, 'error').map((e) => [e.code, e.retryable])).to.deep.equal([['CONVERSATION_MOVED', true]]);
    // Exactly one tool result ever reached the model.
    expect(a.fake.requests.filter((r) => r.toolResults.length > 0)).to.have.length(1);
    const state = await stored(opened.conversationId!);
    expect(state.recent.map((e) => e.user)).to.deep.equal(['hello', 'second tab']);
  });

  it('while a trusted-copy answer holds its tool lease, a message on another instance is refused (409) before answering', async () => {
    let seeded = false;
    a.fake.responder = (req) => {
      if (!seeded) return reply.text('hi');
      if (req.toolResults.length > 0) return reply.text('done', { delayMs: 800 });
      return reply.tools([{ name: 'get_seat_grades', input: { performanceId: 'perf-moonlight-garden' } }]);
    };
    const opened = await chat(a.api.url, 'hello');
    seeded = true;
    const trusted = chat(a.api.url, 'grades?', { conversationId: opened.conversationId, turn: opened.turn });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const other = await chat(elsewhere.url, 'me too', { conversationId: opened.conversationId, turn: opened.turn });
    expect(other.status).to.equal(409);
    expect(other.error!.code).to.equal('CONCURRENT_UPDATE');
    expect((await trusted).text).to.equal('done');
    expect((await stored(opened.conversationId!)).recent.map((e) => e.user)).to.deep.equal(['hello', 'grades?']);
  });
});
