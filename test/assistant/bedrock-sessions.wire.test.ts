import { expect } from 'chai';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseStreamModel } from '../../app/adapters/bedrock/converse-stream-model.js';
import { MAX_SESSIONS, SESSION_IDLE_MS } from '../../app/adapters/bedrock/session-pool-handler.js';
import { ModelFailure, type ModelEvent } from '../../app/assistant/model.js';
import { bedrockModels, MINIMAL_REQUEST, PRIMARY } from '../support/bedrock-client.js';
import { reply, type FakeBedrock } from '../support/fake-bedrock.js';

const request = MINIMAL_REQUEST;

/** Reads one model turn to its end: the events, or the failure it ended in. */
async function turn(model: ConverseStreamModel, signal = new AbortController().signal) {
  const events: ModelEvent[] = [];
  try {
    for await (const event of model.stream(request, signal)) events.push(event);
    return { events, text: textOf(events) };
  } catch (error) {
    return { events, text: textOf(events), failure: error as ModelFailure };
  }
}

const textOf = (events: ModelEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');

describe('Bedrock adapter: ConverseStream calls share a few kept-alive HTTP/2 sessions (real SDK, wire-protocol fake)', () => {
  let fake: FakeBedrock;
  let client: BedrockRuntimeClient;
  let primary: ConverseStreamModel;

  beforeEach(async () => {
    ({ fake, client, primary } = await bedrockModels());
    fake.reset();
    fake.dropSessions(); // sessions of earlier tests' clients
  });
  afterEach(() => client.destroy());

  it('a session is closed only after SESSION_IDLE_MS idle: longer than a lull between bursts, shorter than the NAT gateway’s 350 s', async () => {
    expect((await turn(primary)).text).to.equal('OK');
    const handler = client.config.requestHandler as unknown as { httpHandlerConfigs(): { sessionTimeout?: number } };
    const { sessionTimeout } = handler.httpHandlerConfigs();
    expect(sessionTimeout).to.equal(SESSION_IDLE_MS);
    // A quiet minute must not close the lanes a burst then needs (a handshake per lane at the busiest moment); the NAT
    // gateway, the API's route to Bedrock, drops a connection idle for 350 s and resets its next packet.
    expect(SESSION_IDLE_MS).to.be.above(60_000).and.below(350_000);
  });

  it('calls one after another travel over one kept-alive session and all end in messageStop', async () => {
    const before = fake.sessionsOpened;
    for (let i = 0; i < 5; i++) {
      const t = await turn(primary);
      expect(t.text).to.equal('OK');
      expect(t.events.at(-2)).to.deep.include({ type: 'messageStop' });
    }
    expect(fake.requests).to.have.length(5);
    expect(fake.sessionsOpened - before).to.equal(1);
  });

  it('a burst of calls spreads over several sessions, never more than MAX_SESSIONS, and every answer is whole', async () => {
    const before = fake.sessionsOpened;
    const burst = MAX_SESSIONS + 4;
    // No call is answered before the whole burst has arrived, so every call finds the calls before it still waiting
    // (however slowly a loaded machine sends them).
    let arrived = 0;
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    fake.responder = async () => {
      if (++arrived === burst) release();
      await allArrived;
      return reply.text('동시에 답합니다', { chunk: 2, gapMs: 5 });
    };
    const together = await Promise.all(Array.from({ length: burst }, () => turn(primary)));
    for (const t of together) {
      expect(t.failure).to.equal(undefined);
      expect(t.text).to.equal('동시에 답합니다');
      expect(t.events.at(-2)).to.deep.include({ type: 'messageStop' });
    }
    expect(fake.requests).to.have.length(burst);
    expect(fake.sessionsOpened - before).to.equal(MAX_SESSIONS);
    // Once the burst is over, calls one at a time keep to the first session again: nothing new is opened.
    fake.responder = () => reply.text('OK');
    for (let i = 0; i < 3; i++) expect((await turn(primary)).text).to.equal('OK');
    expect(fake.sessionsOpened - before).to.equal(MAX_SESSIONS);
  });

  it('on the cached middleware stack, calls one after another and at once each get their own invocation id, signature and body, and no header grows', async () => {
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureHeadersForTest' },
    );
    for (let i = 0; i < 3; i++) expect((await turn(primary)).text).to.equal('OK');
    const together = await Promise.all(Array.from({ length: 4 }, () => turn(primary)));
    for (const t of together) expect(t.text).to.equal('OK');
    expect(sent).to.have.length(7);
    expect(new Set(sent.map((h) => h['amz-sdk-invocation-id'])).size).to.equal(7);
    expect(new Set(sent.map((h) => h.authorization)).size).to.equal(7);
    expect(new Set(sent.map((h) => JSON.stringify(Object.keys(h).sort()))).size).to.equal(1);
    expect(new Set(sent.map((h) => h['user-agent'])).size).to.equal(1);
    expect(fake.requests.map((r) => r.userText)).to.deep.equal(Array(7).fill('안녕하세요'));
  });

  it('an abort mid-answer ends that call without messageStop and leaves the session to the next call', async () => {
    // A call first, so the aborted one runs on the client's cached middleware stack (the signal rides on the input).
    expect(client.config.cacheMiddleware).to.equal(true);
    expect((await turn(primary)).text).to.equal('OK');
    const before = fake.sessionsOpened - 1;
    fake.responder = () => reply.text('a long answer that is cut off part way', { chunk: 4, gapMs: 30 });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    let failure: unknown;
    try {
      for await (const event of primary.stream(request, controller.signal)) {
        events.push(event);
        if (event.type === 'text') controller.abort();
      }
    } catch (error) {
      failure = error;
    }
    // The SDK ends an aborted stream either silently or with an error; either way there is no messageStop.
    expect(events.some((e) => e.type === 'messageStop')).to.equal(false);
    expect(failure === undefined || failure instanceof ModelFailure).to.equal(true);
    fake.responder = () => reply.text('next');
    const next = await turn(primary);
    expect(next.text).to.equal('next');
    expect(fake.sessionsOpened - before).to.equal(1);
  });

  it('a call with no response (the first-event timeout aborts it) is not left to poison the session: the next call opens a new one and is answered', async () => {
    expect((await turn(primary)).text).to.equal('OK');
    const before = fake.sessionsOpened;
    fake.queue(PRIMARY, { kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const hung = await turn(primary, controller.signal);
    expect(hung.failure).to.be.instanceOf(ModelFailure);
    const next = await turn(primary);
    expect(next.text).to.equal('OK');
    expect(fake.sessionsOpened - before).to.equal(1);
  });

  it('a session the server tears down is dropped: the next call connects again and is answered', async () => {
    expect((await turn(primary)).text).to.equal('OK');
    const before = fake.sessionsOpened;
    fake.dropSessions();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the client sees the connection close
    const next = await turn(primary);
    expect(next.failure).to.equal(undefined);
    expect(next.text).to.equal('OK');
    expect(fake.sessionsOpened - before).to.equal(1);
  });
});
