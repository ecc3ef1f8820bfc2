/**
 * The assistant's model port: what one model turn is, in the assistant's own vocabulary. The Bedrock adapter maps
 * it to and from ConverseStream; the offline model implements it directly. Nothing here knows the AWS SDK.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A marker that ends a cacheable prefix (Bedrock `cachePoint`). */
export interface CachePoint {
  readonly cachePoint: true;
}

export type SystemBlock = { readonly text: string } | CachePoint;

export interface ToolUsePart {
  readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: JsonObject };
}

export interface ToolResultPart {
  readonly toolResult: {
    readonly toolUseId: string;
    readonly content: JsonObject;
    readonly status: 'success' | 'error';
  };
}

export type ContentPart = { readonly text: string } | ToolUsePart | ToolResultPart | CachePoint;

export interface ModelMessage {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentPart[];
}

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonObject;
}

export interface ModelRequest {
  readonly system: readonly SystemBlock[];
  readonly messages: readonly ModelMessage[];
  /** Tool specs; a `CachePoint` entry ends the cacheable part of the tool list. */
  readonly tools: readonly (ToolSpec | CachePoint)[];
  readonly maxOutputTokens: number;
  /**
   * The structured conversation context the dynamic prompt part was rendered from. Bedrock never sees it (the text
   * carries it); the offline model reads it instead of parsing its own prompt.
   */
  readonly context: unknown;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
}

/** ConverseStream's events, reduced to what the tool loop needs. */
export type ModelEvent =
  | { readonly type: 'text'; readonly index: number; readonly text: string }
  | { readonly type: 'toolUseStart'; readonly index: number; readonly toolUseId: string; readonly name: string }
  | { readonly type: 'toolUseDelta'; readonly index: number; readonly input: string }
  | { readonly type: 'blockStop'; readonly index: number }
  | { readonly type: 'messageStop'; readonly stopReason: string }
  | { readonly type: 'usage'; readonly usage: ModelUsage };

export interface ChatModel {
  /** The configured model id (an inference profile for Bedrock, `offline` for the local model). */
  readonly id: string;
  /** Streams one model turn. Failures are thrown as `ModelFailure` (before or during the stream). */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

/** Why a model call failed, in the terms the fallback policy decides on. */
export type FailureKind = 'http' | 'timeout' | 'incomplete' | 'network';

export class ModelFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** The HTTP status (from the response, or the status the error type stands for when raised mid-stream). */
    readonly status?: number,
    /** The service's error name, e.g. ThrottlingException. */
    readonly errorName?: string,
  ) {
    super(message);
    this.name = 'ModelFailure';
  }

  /** A stable label for metrics and logs: `http_429`, `timeout`, `incomplete`, `network`. */
  get reason(): string {
    return this.kind === 'http' ? `http_${this.status ?? 'unknown'}` : this.kind;
  }
}
