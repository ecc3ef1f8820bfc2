import { createBedrockClient, ConverseStreamModel } from '../../app/adapters/bedrock/converse-stream-model.js';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ModelRequest } from '../../app/assistant/model.js';
import { FakeBedrock } from './fake-bedrock.js';

export const PRIMARY = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
export const FALLBACK = 'apac.amazon.nova-lite-v1:0';

/** The smallest request a wire test sends: one Korean user message, no tools. */
export const MINIMAL_REQUEST: ModelRequest = {
  system: [{ text: 'You are a test.' }],
  messages: [{ role: 'user', content: [{ text: '안녕하세요' }] }],
  tools: [],
  maxOutputTokens: 256,
  context: {},
};

/**
 * One fake Bedrock endpoint per test run and a real SDK client pointed at it the way production code is pointed at
 * an emulator: through AWS_ENDPOINT_URL_BEDROCK_RUNTIME (the SDK reads it; the app never does).
 */
let started: Promise<FakeBedrock> | undefined;

export function fakeBedrock(): Promise<FakeBedrock> {
  started ??= FakeBedrock.start().then((fake) => {
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    return fake;
  });
  return started;
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDFAKEBEDROCK', secretAccessKey: 'fake-secret' };

export async function bedrockModels(): Promise<{
  fake: FakeBedrock;
  client: BedrockRuntimeClient;
  primary: ConverseStreamModel;
  fallback: ConverseStreamModel;
}> {
  const fake = await fakeBedrock();
  const client = createBedrockClient('ap-northeast-2', TEST_CREDENTIALS);
  return {
    fake,
    client,
    primary: new ConverseStreamModel(client, PRIMARY),
    fallback: new ConverseStreamModel(client, FALLBACK),
  };
}
