import type { ModelUsage } from './model.js';

/**
 * CloudWatch Embedded Metric Format (SPEC §5): one JSON log line per fact, which CloudWatch Logs turns into metrics
 * in namespace `MegaTicket/Bedrock` with the dimensions Model and IsFallback (plus Reason / Tool where they apply).
 */
export const METRICS_NAMESPACE = 'MegaTicket/Bedrock';

export interface ModelCallFacts {
  readonly model: string;
  readonly isFallback: boolean;
  readonly latencyMs: number;
  /** From sending the request to the first content event; absent when the call produced none. */
  readonly timeToFirstTokenMs?: number;
  readonly usage?: ModelUsage;
}

export interface AssistantMetrics {
  modelCall(facts: ModelCallFacts): void;
  /** The chain left `model` for the next one because of `reason` (`http_429`, `timeout`, …). */
  fallback(model: string, isFallback: boolean, reason: string): void;
  toolCall(model: string, isFallback: boolean, tool: string): void;
}

type Unit = 'Milliseconds' | 'Count';
interface Metric {
  readonly name: string;
  readonly unit: Unit;
  readonly value: number;
}

/** One EMF document; dimension values are strings, metric values numbers, all at the top level. */
export function emfLine(timestamp: number, dimensions: Readonly<Record<string, string>>, metrics: readonly Metric[]) {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  });
}

export class EmfMetrics implements AssistantMetrics {
  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  modelCall(facts: ModelCallFacts): void {
    const metrics: Metric[] = [{ name: 'Latency', unit: 'Milliseconds', value: Math.round(facts.latencyMs) }];
    if (facts.timeToFirstTokenMs !== undefined) {
      metrics.push({ name: 'TimeToFirstToken', unit: 'Milliseconds', value: Math.round(facts.timeToFirstTokenMs) });
    }
    if (facts.usage) {
      const u = facts.usage;
      metrics.push(
        { name: 'InputTokens', unit: 'Count', value: u.inputTokens },
        { name: 'OutputTokens', unit: 'Count', value: u.outputTokens },
        { name: 'CacheReadInputTokens', unit: 'Count', value: u.cacheReadInputTokens },
        { name: 'CacheWriteInputTokens', unit: 'Count', value: u.cacheWriteInputTokens },
      );
    }
    this.emit({ Model: facts.model, IsFallback: String(facts.isFallback) }, metrics);
  }

  fallback(model: string, isFallback: boolean, reason: string): void {
    this.emit({ Model: model, IsFallback: String(isFallback), Reason: reason }, [
      { name: 'FallbackCount', unit: 'Count', value: 1 },
    ]);
  }

  toolCall(model: string, isFallback: boolean, tool: string): void {
    this.emit({ Model: model, IsFallback: String(isFallback), Tool: tool }, [
      { name: 'ToolCallCount', unit: 'Count', value: 1 },
    ]);
  }

  private emit(dimensions: Record<string, string>, metrics: readonly Metric[]): void {
    this.write(`${emfLine(this.now(), dimensions, metrics)}\n`);
  }
}

export const noMetrics: AssistantMetrics = { modelCall() {}, fallback() {}, toolCall() {} };
