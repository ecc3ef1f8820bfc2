import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConverseStreamModel, createBedrockClient } from '../../../app/adapters/bedrock/converse-stream-model.js';
import type { ModelRequest } from '../../../app/assistant/model.js';
import { catalogSnapshot } from '../../../app/assistant/prompts/catalog-snapshot.js';
import { INSTRUCTIONS } from '../../../app/assistant/prompts/instructions.js';
import { stablePrefix } from '../../../app/assistant/prompts/request.js';
import { toolSpecOf } from '../../../app/assistant/tools/define.js';
import { ASSISTANT_TOOLS } from '../../../app/assistant/tools/index.js';
import { DEFAULT_CANCELLATION_POLICY } from '../../../app/booking/cancellation-policy.js';
import { demoPerformances, demoVenues } from '../../../app/catalog/index.js';
import { FALLBACK, PRIMARY, TEST_CREDENTIALS } from '../../support/bedrock-client.js';

const prefix = stablePrefix(
  ASSISTANT_TOOLS.map(toolSpecOf),
  INSTRUCTIONS,
  catalogSnapshot(demoPerformances('2026-11-20'), demoVenues, DEFAULT_CANCELLATION_POLICY),
);

/** Text that JSON writers are known to disagree on: quotes, backslashes, controls, line separators, astral chars. */
const AWKWARD = '“달빛 정원” 2명 \\ "R석" \t탭 \n줄바꿈 \u0001\u001f \u2028\u2029 emoji 🎭🎟️ 한글 é ß </script>';

/** The assistant's full request shape: both cache points, every tool spec, a tool round trip, history, unicode. */
const request: ModelRequest = {
  system: [{ text: prefix.system }, { cachePoint: true }, { text: `# Context\nNow: 2026-12-01 14:03 KST. ${AWKWARD}` }],
  tools: [...prefix.tools, { cachePoint: true }],
  messages: [
    { role: 'user', content: [{ text: '다음 주 토요일 달빛 정원 두 명' }] },
    { role: 'assistant', content: [{ text: `Saturday works. ${AWKWARD}` }] },
    { role: 'user', content: [{ text: AWKWARD }] },
    {
      role: 'assistant',
      content: [
        { text: '좌석을 찾아볼게요.' },
        {
          toolUse: {
            toolUseId: 'tooluse_01',
            name: 'get_available_seats',
            input: { scheduleId: 'sch-1', count: 2, grade: 'R', nested: { list: [1, 2.5, -3e-7], flag: true } },
          },
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 'tooluse_01',
            status: 'success',
            content: {
              options: [{ seatIds: ['R-A-12', 'R-A-13'], total: 280000, note: AWKWARD, empty: null, ok: false }],
            },
          },
        },
        {
          toolResult: {
            toolUseId: 'tooluse_02',
            status: 'error',
            content: { error: 'INVALID_INPUT', message: AWKWARD },
          },
        },
      ],
    },
  ],
  maxOutputTokens: 1024,
  context: {},
};

interface Captured {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Runs a call through the client's whole stack up to the HTTP handler (after signing) and keeps what it would send. */
function capturing(client: BedrockRuntimeClient): { sent: Captured[] } {
  const sent: Captured[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      const r = args.request as { path: string; headers: Record<string, string>; body: Uint8Array | string };
      const body =
        typeof r.body === 'string'
          ? Buffer.from(r.body)
          : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
      sent.push({ path: r.path, headers: { ...r.headers }, body });
      throw new Error('captured');
    },
    { step: 'finalizeRequest', priority: 'low', name: 'captureForTest' },
  );
  return { sent };
}

async function viaSdkSerializer(modelId: string): Promise<Captured> {
  const client = createBedrockClient('ap-northeast-2', TEST_CREDENTIALS);
  const { sent } = capturing(client);
  const model = new ConverseStreamModel(client, modelId);
  await client.send(new ConverseStreamCommand({ modelId, ...model.body(request) })).catch(() => {});
  return sent[0]!;
}

/** The bodies the adapter sends for `requests`, in order, from one model (so later calls use its kept fragments). */
async function viaAdapterAll(modelId: string, requests: readonly ModelRequest[]): Promise<Captured[]> {
  const client = createBedrockClient('ap-northeast-2', TEST_CREDENTIALS);
  const { sent } = capturing(client);
  const model = new ConverseStreamModel(client, modelId);
  for (const r of requests) {
    await (async () => {
      for await (const _ of model.stream(r, new AbortController().signal));
    })().catch(() => {});
  }
  return sent;
}

async function viaAdapter(modelId: string): Promise<Captured> {
  return (await viaAdapterAll(modelId, [request]))[0]!;
}

describe('Bedrock adapter: the request body it serialises itself', () => {
  for (const modelId of [PRIMARY, FALLBACK]) {
    it(`${modelId}: the body sent is byte-identical (and JSON-equal) to the SDK serialiser's for the same full input, with the same path and signed headers`, async () => {
      const [sdk, ours] = [await viaSdkSerializer(modelId), await viaAdapter(modelId)];
      expect(JSON.parse(ours.body.toString('utf8'))).to.deep.equal(JSON.parse(sdk.body.toString('utf8')));
      // Byte for byte, too: the adapter writes the members in the SDK schema's order and JSON.stringify escapes
      // exactly what the SDK's writer escapes (quotes, backslashes, controls; U+2028 and astral characters as is).
      expect(ours.body.equals(sdk.body), 'byte-identical body').to.equal(true);
      expect(ours.path).to.equal(sdk.path);
      expect(ours.path).to.equal(`/model/${encodeURIComponent(modelId)}/converse-stream`);
      expect(ours.headers['content-type']).to.equal('application/json');
      expect(ours.headers['content-length']).to.equal(String(ours.body.length));
      // SigV4 signed the body actually sent, not the `{}` the SDK serialised for the path.
      expect(ours.headers['x-amz-content-sha256']).to.equal(createHash('sha256').update(ours.body).digest('hex'));
      expect(ours.headers.authorization).to.match(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEBEDROCK\//);
    });
  }

  it('later calls, built from the kept tool specs and stable text, send the same bytes; a new stable text (catalog change) is sent as new', async () => {
    const changed: ModelRequest = {
      ...request,
      system: [{ text: `${prefix.system}\n## 새 공연 / A new show` }, ...request.system.slice(1)],
    };
    const [first, again, afterChange] = await viaAdapterAll(PRIMARY, [request, request, changed]);
    expect(again!.body.equals(first!.body)).to.equal(true);
    const body = JSON.parse(afterChange!.body.toString('utf8'));
    expect(body.system[0].text).to.equal(`${prefix.system}\n## 새 공연 / A new show`);
    expect(
      afterChange!.body.equals(
        Buffer.from(
          JSON.stringify(
            new ConverseStreamModel(createBedrockClient('ap-northeast-2', TEST_CREDENTIALS), PRIMARY).body(changed),
          ),
        ),
      ),
    ).to.equal(true);
  });

  it('the body keeps what matters to the model: both cache points, every tool spec, the tool round trip and the text as written', async () => {
    const body = JSON.parse((await viaAdapter(PRIMARY)).body.toString('utf8'));
    expect(body.system.map((b: object) => Object.keys(b)[0])).to.deep.equal(['text', 'cachePoint', 'text']);
    expect(body.toolConfig.tools.at(-1)).to.deep.equal({ cachePoint: { type: 'default' } });
    expect(body.toolConfig.tools.slice(0, -1).map((t: any) => t.toolSpec.name)).to.deep.equal(
      ASSISTANT_TOOLS.map((t) => toolSpecOf(t).name),
    );
    expect(body.messages[2].content[0].text).to.equal(AWKWARD);
    expect(body.messages[4].content[0].toolResult.content[0].json.options[0].note).to.equal(AWKWARD);
    expect(body.inferenceConfig).to.deep.equal({ maxTokens: 1024 });
    expect(body).not.to.have.property('modelId');
  });

  it('a model without tool cache points (Nova) gets the tool list without the cache point, like the SDK input says', async () => {
    const body = JSON.parse((await viaAdapter(FALLBACK)).body.toString('utf8'));
    expect(body.toolConfig.tools.every((t: object) => 'toolSpec' in t)).to.equal(true);
  });

  it('a command built without a prepared body is serialised by the SDK as before (the swap touches nothing else)', async () => {
    const sdk = await viaSdkSerializer(PRIMARY);
    expect(JSON.parse(sdk.body.toString('utf8')).system[0].text).to.equal(prefix.system);
  });
});
