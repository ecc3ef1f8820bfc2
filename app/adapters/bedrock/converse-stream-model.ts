import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ContentBlock,
  type ConverseStreamOutput,
  type Message,
  type SystemContentBlock,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import {
  ModelFailure,
  type ChatModel,
  type ContentPart,
  type ModelEvent,
  type ModelMessage,
  type ModelRequest,
  type SystemBlock,
  type ToolSpec,
  type CachePoint,
} from '../../assistant/model.js';
import { ttftMark } from '../../shared/ttft-trace.js';
import { SessionPoolHttp2Handler } from './session-pool-handler.js';
import { useInputAbortSignals, withAbortSignal } from './call-signal.js';
import {
  JsonFragments,
  preserializedInput,
  usePreserializedBodies,
  type ConverseStreamBody,
} from './preserialized-body.js';

/**
 * The assistant's model port over Bedrock ConverseStream. Retries and fallback are the assistant's own policy, so
 * the SDK's retries are off (`maxAttempts: 1`); the endpoint follows the SDK convention
 * (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), which is how tests point the real client at a local fake. Model calls share
 * a few kept-alive HTTP/2 sessions and send a body serialised natively (see the two modules imported for that): both take CPU off
 * the stretch in which the API starts a message's model call.
 */
export function createBedrockClient(
  region: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    region,
    maxAttempts: 1,
    requestHandler: new SessionPoolHttp2Handler(),
    // The stack is resolved once per command class, not per call (calls carry their abort signal on the input).
    cacheMiddleware: true,
    ...(credentials ? { credentials } : {}),
  });
  // The SDK's logger middleware copies every request through its sensitive-data filter even when nothing logs it;
  // with a ~20 KB prompt per call that is measurable CPU on the path to the first token. The app logs its own way.
  client.middlewareStack.remove('loggerMiddleware');
  usePreserializedBodies(client);
  useInputAbortSignals(client);
  return client;
}

/** Error types that can arrive inside the stream (no HTTP status of their own) → the status they stand for. */
const STATUS_OF_ERROR: Readonly<Record<string, number>> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 429,
  ModelNotReadyException: 429,
  ModelErrorException: 424,
  InternalServerException: 500,
  ModelStreamErrorException: 500,
  ServiceUnavailableException: 503,
};

const CACHE_POINT = { cachePoint: { type: 'default' as const } };

export class ConverseStreamModel implements ChatModel {
  private readonly fragments = new JsonFragments();

  constructor(
    private readonly client: BedrockRuntimeClient,
    readonly id: string,
  ) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    let output: AsyncIterable<ConverseStreamOutput> | undefined;
    try {
      ttftMark('modelSend');
      const input = withAbortSignal(preserializedInput(this.id, this.bodyBytes(request)), signal);
      const response = await this.client.send(new ConverseStreamCommand(input));
      output = response.stream;
    } catch (error) {
      throw failureOf(error);
    }
    if (!output) throw new ModelFailure('incomplete', 'ConverseStream returned no stream');
    try {
      let spoken = false;
      for await (const event of output) {
        const mapped = eventOf(event);
        // Only the first text is a hop (and a mark per delta would put the tracer's getrusage in the relay).
        if (mapped?.type === 'text' && !spoken) {
          spoken = true;
          ttftMark('modelText');
        }
        if (mapped) yield mapped;
      }
    } catch (error) {
      throw failureOf(error);
    }
  }

  /**
   * The request's body members, as the SDK's input types spell them (`modelId` goes into the path), in the order of
   * the SDK's schema, so the JSON written is byte for byte the SDK serialiser's.
   */
  body(request: ModelRequest): ConverseStreamBody {
    return {
      messages: request.messages.map(message),
      system: request.system.map(systemBlock),
      inferenceConfig: { maxTokens: request.maxOutputTokens },
      toolConfig: { tools: this.tools(request).map(tool) },
    };
  }

  /**
   * `JSON.stringify(this.body(request))` as UTF-8, with the parts that repeat call after call (the tool specs and the
   * long stable system text, ≈ 19 KB of the ≈ 20 KB) taken from bytes written once.
   */
  bodyBytes(request: ModelRequest): Buffer {
    const system = request.system.map((block) =>
      !isCachePoint(block) && block.text.length >= STABLE_TEXT_CHARS
        ? this.fragments.text(block.text, () => systemBlock(block))
        : JSON.stringify(systemBlock(block)),
    );
    const tools = this.tools(request).map((t) =>
      isCachePoint(t) ? CACHE_POINT_JSON : this.fragments.object(t, () => tool(t)),
    );
    return this.fragments.join([
      `{"messages":${JSON.stringify(request.messages.map(message))},"system":[`,
      ...interleave(system, ','),
      `],"inferenceConfig":${JSON.stringify({ maxTokens: request.maxOutputTokens })},"toolConfig":{"tools":[`,
      ...interleave(tools, ','),
      ']}}',
    ]);
  }

  private tools(request: ModelRequest): readonly (ToolSpec | CachePoint)[] {
    // Only Anthropic models accept a cache point inside the tool list; others get the tools without it.
    const toolCachePoints = this.id.includes('anthropic');
    return toolCachePoints ? request.tools : request.tools.filter((t) => !isCachePoint(t));
  }
}

/** System text at least this long is taken to be the stable prefix and kept serialised. */
const STABLE_TEXT_CHARS = 2048;
const CACHE_POINT_JSON = JSON.stringify(CACHE_POINT);

function interleave<T>(items: readonly T[], separator: T): T[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [separator, item]));
}

function message(m: ModelMessage): Message {
  return { role: m.role, content: m.content.map(contentBlock) as ContentBlock[] };
}

function tool(t: ToolSpec | CachePoint): Tool {
  return isCachePoint(t) ? CACHE_POINT : toolSpec(t);
}

function isCachePoint(value: object): value is CachePoint {
  return 'cachePoint' in value;
}

function systemBlock(block: SystemBlock): SystemContentBlock {
  return isCachePoint(block) ? CACHE_POINT : { text: block.text };
}

function toolSpec(spec: ToolSpec): Tool {
  return { toolSpec: { name: spec.name, inputSchema: { json: spec.inputSchema }, description: spec.description } };
}

function contentBlock(part: ContentPart): ContentBlock {
  if (isCachePoint(part)) return CACHE_POINT;
  if ('text' in part) return { text: part.text };
  if ('toolUse' in part) return { toolUse: { ...part.toolUse } };
  const { toolUseId, content, status } = part.toolResult;
  return { toolResult: { toolUseId, content: [{ json: content }], status } };
}

function eventOf(event: ConverseStreamOutput): ModelEvent | undefined {
  if (event.contentBlockDelta) {
    const { delta, contentBlockIndex = 0 } = event.contentBlockDelta;
    if (delta?.text !== undefined) return { type: 'text', index: contentBlockIndex, text: delta.text };
    if (delta?.toolUse) return { type: 'toolUseDelta', index: contentBlockIndex, input: delta.toolUse.input ?? '' };
    return undefined; // reasoning, citations: not used by the assistant
  }
  if (event.contentBlockStart) {
    const { start, contentBlockIndex = 0 } = event.contentBlockStart;
    if (!start?.toolUse) return undefined;
    return {
      type: 'toolUseStart',
      index: contentBlockIndex,
      toolUseId: start.toolUse.toolUseId ?? `tool-${contentBlockIndex}`,
      name: start.toolUse.name ?? '',
    };
  }
  if (event.contentBlockStop) return { type: 'blockStop', index: event.contentBlockStop.contentBlockIndex ?? 0 };
  if (event.messageStop) return { type: 'messageStop', stopReason: event.messageStop.stopReason ?? 'end_turn' };
  if (event.metadata) {
    const usage = event.metadata.usage;
    return {
      type: 'usage',
      usage: {
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cacheReadInputTokens: usage?.cacheReadInputTokens ?? 0,
        cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? 0,
      },
    };
  }
  const exception =
    event.internalServerException ??
    event.modelStreamErrorException ??
    event.validationException ??
    event.throttlingException ??
    event.serviceUnavailableException;
  if (exception) throw failureOf(exception);
  return undefined;
}

/** An SDK error (thrown by `send` or from inside the stream) → the failure the fallback policy decides on. */
function failureOf(error: unknown): ModelFailure {
  if (error instanceof ModelFailure) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(error);
  if (name === 'ModelTimeoutException') return new ModelFailure('timeout', message, 408, name);
  // Exceptions raised inside a 200 stream carry no error status of their own: their type says what they are.
  const httpStatus = e?.$metadata?.httpStatusCode;
  const status = httpStatus !== undefined && httpStatus >= 400 ? httpStatus : STATUS_OF_ERROR[name];
  if (status !== undefined) return new ModelFailure('http', message, status, name);
  return new ModelFailure('network', `${name}: ${message}`, undefined, name);
}
