import { createApiApp } from '../../app/api/app.js';
import { EmfMetrics, noMetrics } from '../../app/assistant/metrics.js';
import { listen, type RunningServer } from '../../app/server.js';
import { fakeBedrock, TEST_CREDENTIALS } from './bedrock-client.js';
import type { FakeBedrock } from './fake-bedrock.js';
import { anotherInstance, createFixture, type Fixture } from './fixture.js';
import { serveApi } from './servers.js';

export interface AssistantFixture {
  readonly fx: Fixture;
  readonly api: RunningServer;
  readonly fake: FakeBedrock;
  /** Parsed EMF lines the assistant wrote. */
  readonly metrics: any[];
  /** Retry delays the fallback policy asked for (recorded, not waited). */
  readonly slept: number[];
}

/**
 * The API over DynamoDB Local with the assistant on the real Bedrock SDK pointed at the fake endpoint (or on the
 * offline model), EMF lines captured.
 */
export async function assistantFixture(
  name: string,
  backend: 'bedrock' | 'offline',
  env: Record<string, string> = {},
): Promise<AssistantFixture> {
  const fake = await fakeBedrock();
  const metrics: any[] = [];
  const slept: number[] = [];
  const fx = await createFixture(
    name,
    { ASSISTANT_MODE: backend, ASSISTANT_OFFLINE_WORD_MS: '0', ...env },
    {
      bedrockCredentials: TEST_CREDENTIALS,
      assistantMetrics: new EmfMetrics((line) => metrics.push(JSON.parse(line))),
      assistantSleep: async (ms) => {
        slept.push(ms);
      },
    },
  );
  const api = await serveApi(fx);
  return { fx, api, fake, metrics, slept };
}

/** A second API instance over the same tables and fake endpoint, with its own memory (no saved copies of its own). */
export function anotherApiInstance(a: AssistantFixture): Promise<RunningServer> {
  const other = anotherInstance(a.fx, { bedrockCredentials: TEST_CREDENTIALS, assistantMetrics: noMetrics });
  return listen(createApiApp(other.apiDeps), '127.0.0.1', 0);
}
