import { expect } from 'chai';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { chat } from '../support/assistant.js';
import { assistantFixture, type AssistantFixture } from '../support/assistant-fixture.js';
import { PRIMARY } from '../support/bedrock-client.js';
import { reply } from '../support/fake-bedrock.js';
import { signUp } from '../support/builders.js';
import { request } from '../support/servers.js';

describe('assistant API: limits, ownership and concurrency', function () {
  this.timeout(120_000);
  let a: AssistantFixture;

  before(async () => {
    a = await assistantFixture('assistant-api', 'bedrock', {
      ASSISTANT_CHAT_PER_USER_PER_MINUTE: '3',
      ASSISTANT_CHAT_PER_IP_PER_MINUTE: '5',
      ASSISTANT_MESSAGE_MAX_CHARS: '200',
    });
  });
  after(() => a.api.close());
  beforeEach(() => {
    a.fake.reset();
    a.fake.responder = () => reply.text('ok');
  });

  const conversations = async () => {
    const { Items = [] } = await a.fx.db.send(new ScanCommand({ TableName: a.fx.tables.sessions }));
    return Items.filter((i) => String(i.pk).startsWith('CONV#')).length;
  };
  let ip = 0;
  const freshIp = () => ({ 'x-forwarded-for': `10.9.0.${++ip}` });

  it('a message over the size limit is refused with a message; no model call, no conversation stored', async () => {
    const before = await conversations();
    const r = await chat(a.api.url, '가'.repeat(201), { headers: freshIp() });
    expect(r.status).to.equal(400);
    expect(r.error).to.deep.include({ code: 'VALIDATION_FAILED', message: 'Messages are limited to 200 characters.' });
    expect(r.error!.details).to.include({ reason: 'TOO_LONG', max: 200 });
    expect(a.fake.requests).to.have.length(0);
    expect(await conversations()).to.equal(before);
  });

  it('a message with markup is refused before it reaches a model', async () => {
    const r = await chat(a.api.url, '<script>alert(1)</script>', { headers: freshIp() });
    expect(r.status).to.equal(400);
    expect(r.error!.details).to.include({ reason: 'MARKUP' });
    expect(a.fake.requests).to.have.length(0);
  });

  it('per-user rate limit: the 4th message in a minute is 429 with Retry-After, even from a new address', async () => {
    const user = await signUp(a.fx, 'chatty');
    for (let i = 0; i < 3; i++)
      expect((await chat(a.api.url, 'hi', { token: user.token, headers: freshIp() })).status).to.equal(200);
    const limited = await fetch(new URL('/v1/assistant/messages', a.api.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...freshIp() },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
    expect(a.fake.requests).to.have.length(3);
    // Another person is not affected.
    const other = await signUp(a.fx, 'quiet');
    expect((await chat(a.api.url, 'hi', { token: other.token, headers: freshIp() })).status).to.equal(200);
  });

  it('per-IP rate limit: anonymous messages from one address stop at the limit', async () => {
    const address = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await chat(a.api.url, 'hi', { headers: address })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]);
  });

  it('two messages at once in one conversation: the second is refused (409) while the first answers', async () => {
    const user = await signUp(a.fx, 'twotabs');
    const first = await chat(a.api.url, 'hi', { token: user.token, headers: freshIp() });
    a.fake.queue(PRIMARY, reply.text('slow answer', { delayMs: 600 }));
    const slow = chat(a.api.url, 'first tab', {
      token: user.token,
      conversationId: first.conversationId,
      headers: freshIp(),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await chat(a.api.url, 'second tab', {
      token: user.token,
      conversationId: first.conversationId,
      headers: freshIp(),
    });
    expect(second.status).to.equal(409);
    expect(second.error!.code).to.equal('CONCURRENT_UPDATE');
    expect((await slow).text).to.equal('slow answer');
  });

  it('a conversation belongs to its person: another account cannot read or continue it', async () => {
    const owner = await signUp(a.fx, 'owner');
    const stranger = await signUp(a.fx, 'stranger');
    const mine = await chat(a.api.url, 'my secret plans', { token: owner.token, headers: freshIp() });
    const read = await request(a.api.url, 'GET', `/v1/assistant/conversations/${mine.conversationId}`, {
      token: stranger.token,
    });
    expect(read.status).to.equal(404);
    const own = await request(a.api.url, 'GET', `/v1/assistant/conversations/${mine.conversationId}`, {
      token: owner.token,
    });
    expect(own.body.conversation.recent).to.deep.equal([{ user: 'my secret plans', assistant: 'ok' }]);
    const hijack = await chat(a.api.url, 'what did we talk about?', {
      token: stranger.token,
      conversationId: mine.conversationId,
      headers: freshIp(),
    });
    expect(hijack.conversationId).to.not.equal(mine.conversationId);
    expect(JSON.stringify(a.fake.requests.at(-1)!.body.messages)).not.to.contain('secret plans');
  });

  it('an anonymous conversation is adopted at login and continues with its history', async () => {
    const anon = await chat(a.api.url, '달빛 정원 좋아요', { headers: freshIp() });
    const user = await signUp(a.fx, 'adopter');
    const after = await chat(a.api.url, '로그인했어요', {
      token: user.token,
      conversationId: anon.conversationId,
      headers: freshIp(),
    });
    expect(after.conversationId).to.equal(anon.conversationId);
    expect(JSON.stringify(a.fake.requests.at(-1)!.body.messages)).to.contain('달빛 정원 좋아요');
    const anonymousAgain = await request(a.api.url, 'GET', `/v1/assistant/conversations/${anon.conversationId}`);
    expect(anonymousAgain.status).to.equal(404);
  });
});
