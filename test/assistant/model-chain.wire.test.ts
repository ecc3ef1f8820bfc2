import { expect } from 'chai';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_FALLBACK_POLICY, type FallbackPolicy } from '../../app/assistant/fallback-policy.js';
import { EmfMetrics } from '../../app/assistant/metrics.js';
import { AnswerInterrupted, ModelChain, ModelsUnavailable } from '../../app/assistant/model-chain.js';
import { bedrockModels, FALLBACK, MINIMAL_REQUEST, PRIMARY } from '../support/bedrock-client.js';
import { metadata, reply, textDeltas, type FakeBedrock } from '../support/fake-bedrock.js';

const request = MINIMAL_REQUEST;

describe('ModelChain over the real Bedrock SDK and a wire-protocol fake (HTTP/2 event stream)', () => {
  let fake: FakeBedrock;
  let client: BedrockRuntimeClient;
  let chain: ModelChain;
  let slept: number[];
  let lines: any[];

  const build = (policy: FallbackPolicy = DEFAULT_FALLBACK_POLICY) => {
    return bedrockModels().then((m) => {
      fake = m.fake;
      client = m.client;
      chain = new ModelChain({
        models: [m.primary, m.fallback],
        policy,
        metrics: new EmfMetrics((line) => lines.push(JSON.parse(line))),
        // The policy's delays are recorded, not waited out: timing is for benchmarks, not tests.
        sleep: async (ms) => {
          slept.push(ms);
        },
      });
    });
  };

  beforeEach(async () => {
    slept = [];
    lines = [];
    await build();
    fake.reset();
  });
  afterEach(() => client.destroy());

  const run = async () => {
    const texts: string[] = [];
    const turn = await chain.runTurn(request, (t) => texts.push(t), new AbortController().signal);
    return { turn, texts };
  };

  it('text streaming: deltas reach the caller in order as they arrive, and the turn carries the usage', async () => {
    fake.queue(PRIMARY, reply.text('달빛 정원은 12월에 공연합니다.', { chunk: 3 }));
    const { turn, texts } = await run();
    expect(texts.length).to.be.greaterThan(3);
    expect(texts.join('')).to.equal('달빛 정원은 12월에 공연합니다.');
    expect(turn.text).to.equal('달빛 정원은 12월에 공연합니다.');
    expect(turn.stopReason).to.equal('end_turn');
    expect(turn.model).to.deep.equal({ id: PRIMARY, isFallback: false });
    expect(turn.usage!.inputTokens).to.be.greaterThan(0);
    expect(fake.requestsFor(FALLBACK)).to.have.length(0);
  });

  it('a tool call split over many fragments is reassembled into one JSON input, after the leading text', async () => {
    const input = { scheduleId: 'perf-moonlight-garden-20261205-1900', count: 2, grade: 'R' };
    fake.queue(PRIMARY, reply.tools([{ name: 'get_available_seats', input, fragments: 9 }], '찾아볼게요. '));
    const { turn, texts } = await run();
    const deltas = fake.requests.length; // one request, many fragments
    expect(deltas).to.equal(1);
    expect(texts.join('')).to.equal('찾아볼게요. ');
    expect(turn.stopReason).to.equal('tool_use');
    expect(turn.toolUses).to.have.length(1);
    expect(turn.toolUses[0]).to.include({ name: 'get_available_seats' });
    expect(turn.toolUses[0]!.input).to.deep.equal(input);
    expect(turn.content.map((c) => Object.keys(c)[0])).to.deep.equal(['text', 'toolUse']);
  });

  for (const [status, errorType] of [
    [429, 'ThrottlingException'],
    [503, 'ServiceUnavailableException'],
    [400, 'ValidationException'],
    [403, 'AccessDeniedException'],
  ] as const) {
    it(`${status} ${errorType} from the primary → the fallback answers at once, with no retry`, async () => {
      fake.queue(PRIMARY, reply.error(status, errorType));
      fake.queue(FALLBACK, reply.text('fallback answer'));
      const { turn, texts } = await run();
      expect(texts.join('')).to.equal('fallback answer');
      expect(turn.model).to.deep.equal({ id: FALLBACK, isFallback: true });
      expect(fake.requestsFor(PRIMARY)).to.have.length(1);
      expect(slept).to.deep.equal([]);
      const fallback = lines.find((l) => 'FallbackCount' in l);
      expect(fallback).to.include({ Model: PRIMARY, IsFallback: 'false', Reason: `http_${status}`, FallbackCount: 1 });
    });
  }

  it('500 → two retries of the primary after 1.0 s and 1.5 s, then the fallback', async () => {
    fake.queue(PRIMARY, ...[1, 2, 3].map(() => reply.error(500, 'InternalServerException')));
    fake.queue(FALLBACK, reply.text('from nova'));
    const { turn } = await run();
    expect(fake.requestsFor(PRIMARY)).to.have.length(3);
    expect(slept).to.deep.equal([1000, 1500]);
    expect(turn.model.id).to.equal(FALLBACK);
  });

  it('502 then a good answer → the retried primary answers; no fallback is counted', async () => {
    fake.queue(PRIMARY, reply.error(502, 'InternalServerException'), reply.text('second try'));
    const { turn } = await run();
    expect(turn.text).to.equal('second try');
    expect(turn.model.isFallback).to.equal(false);
    expect(slept).to.deep.equal([1000]);
    expect(lines.some((l) => 'FallbackCount' in l)).to.equal(false);
  });

  it('first-event timeout: a primary that never answers is abandoned after its timeout and the fallback answers', async () => {
    await build({ ...DEFAULT_FALLBACK_POLICY, firstEventTimeoutMs: { primary: 300, fallback: 10_000 } });
    fake.queue(PRIMARY, reply.hang());
    fake.queue(FALLBACK, reply.text('late but here'));
    const { turn } = await run();
    expect(turn.model.id).to.equal(FALLBACK);
    expect(lines.find((l) => 'FallbackCount' in l)).to.include({ Reason: 'timeout' });
  });

  it('a fallback that also times out → ModelsUnavailable naming both failures', async () => {
    await build({ ...DEFAULT_FALLBACK_POLICY, firstEventTimeoutMs: { primary: 200, fallback: 200 } });
    fake.queue(PRIMARY, reply.hang());
    fake.queue(FALLBACK, reply.hang());
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ModelsUnavailable);
    expect((error as ModelsUnavailable).failures.map((f) => f.reason)).to.deep.equal(['timeout', 'timeout']);
  });

  it('a mid-stream error after text was shown → AnswerInterrupted, no retry and no fallback', async () => {
    fake.queue(PRIMARY, {
      kind: 'stream',
      events: [
        { event: 'messageStart', body: { role: 'assistant' } },
        ...textDeltas(0, 'Here are the seats', 6),
        { exception: 'throttlingException', message: 'Too many tokens' },
      ],
    });
    const texts: string[] = [];
    const error = await chain
      .runTurn(request, (t) => texts.push(t), new AbortController().signal)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(AnswerInterrupted);
    expect((error as AnswerInterrupted).failure.reason).to.equal('http_429');
    expect(texts.join('')).to.equal('Here are the seats');
    expect(fake.requestsFor(FALLBACK)).to.have.length(0);
    expect(fake.requestsFor(PRIMARY)).to.have.length(1);
  });

  it('a mid-stream throttling error before any text (only tool fragments) → the fallback answers', async () => {
    fake.queue(PRIMARY, {
      kind: 'stream',
      events: [
        { event: 'messageStart', body: { role: 'assistant' } },
        {
          event: 'contentBlockStart',
          body: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: 'x' } } },
        },
        { event: 'contentBlockDelta', body: { contentBlockIndex: 0, delta: { toolUse: { input: '{"a"' } } } },
        { exception: 'throttlingException', message: 'slow down' },
      ],
    });
    fake.queue(FALLBACK, reply.text('ok'));
    const { turn } = await run();
    expect(turn.model.id).to.equal(FALLBACK);
  });

  it('a stream that ends without messageStop is a failure, not a success: the fallback answers', async () => {
    fake.queue(PRIMARY, {
      kind: 'stream',
      ending: 'end',
      events: [{ event: 'messageStart', body: { role: 'assistant' } }, metadata(0)],
    });
    fake.queue(FALLBACK, reply.text('complete answer'));
    const { turn } = await run();
    expect(turn.model.id).to.equal(FALLBACK);
    expect(lines.find((l) => 'FallbackCount' in l)).to.include({ Reason: 'incomplete' });
  });

  it('a stream with text that ends without messageStop → AnswerInterrupted (the person saw a cut answer)', async () => {
    fake.queue(PRIMARY, {
      kind: 'stream',
      ending: 'reset',
      gapMs: 30, // lets the text reach the client before the reset (a reset discards unread frames)
      events: [{ event: 'messageStart', body: { role: 'assistant' } }, ...textDeltas(0, 'Half an ans', 4)],
    });
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AnswerInterrupted);
    expect(fake.requestsFor(FALLBACK)).to.have.length(0);
  });

  it('a status neither policy list names fails the answer without a fallback (the policy is configuration)', async () => {
    await build({ ...DEFAULT_FALLBACK_POLICY, fallbackStatuses: [429, 503] });
    fake.queue(PRIMARY, reply.error(400, 'ValidationException'));
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ModelsUnavailable);
    expect(fake.requestsFor(FALLBACK)).to.have.length(0);
  });

  it('EMF: every answered call logs Latency, TimeToFirstToken and the token and cache counts with Model and IsFallback', async () => {
    fake.queue(PRIMARY, reply.error(429, 'ThrottlingException'));
    fake.queue(FALLBACK, reply.text('hello there'));
    await run();
    const call = lines.find((l) => 'Latency' in l);
    expect(call._aws.CloudWatchMetrics[0].Namespace).to.equal('MegaTicket/Bedrock');
    expect(call._aws.CloudWatchMetrics[0].Dimensions).to.deep.equal([['Model', 'IsFallback']]);
    expect(call._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name)).to.deep.equal([
      'Latency',
      'TimeToFirstToken',
      'InputTokens',
      'OutputTokens',
      'CacheReadInputTokens',
      'CacheWriteInputTokens',
    ]);
    expect(call).to.include({ Model: FALLBACK, IsFallback: 'true' });
    expect(call.InputTokens).to.equal(fake.usages[0]!.inputTokens);
    expect(call.OutputTokens).to.equal(fake.usages[0]!.outputTokens);
    expect(call.TimeToFirstToken).to.be.at.most(call.Latency);
  });
});
