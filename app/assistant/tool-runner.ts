import { isDomainError } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { JsonObject, ToolResultPart } from './model.js';
import { ToolError, type AssistantTool, type ToolContext } from './tools/define.js';
import type { RequestedToolUse } from './turn-assembler.js';

export interface ToolOutcome {
  readonly name: string;
  readonly ok: boolean;
  /** The error code when refused (UNKNOWN_TOOL, INVALID_INPUT, LOGIN_REQUIRED, SEATS_TAKEN, …). */
  readonly code?: string;
  readonly result: ToolResultPart;
}

/**
 * Runs one tool call the model asked for. Everything a model can get wrong becomes an error result it can act on —
 * an unknown tool, input that is not JSON or does not match the tool's zod schema, a refusal by the booking rules —
 * and none of them writes anything. Only an unexpected failure (e.g. DynamoDB unreachable) is logged.
 */
export class ToolRunner {
  private readonly byName: ReadonlyMap<string, AssistantTool>;

  constructor(
    tools: readonly AssistantTool[],
    private readonly log: Log,
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  async run(use: RequestedToolUse, ctx: ToolContext): Promise<ToolOutcome> {
    const refuse = (code: string, message: string): ToolOutcome => ({
      name: use.name,
      ok: false,
      code,
      result: { toolResult: { toolUseId: use.toolUseId, status: 'error', content: { error: { code, message } } } },
    });
    const tool = this.byName.get(use.name);
    if (!tool) {
      return refuse(
        'UNKNOWN_TOOL',
        `There is no tool named "${use.name.slice(0, 60)}". Available tools: ${[...this.byName.keys()].join(', ')}.`,
      );
    }
    if (use.input === undefined) {
      return refuse('INVALID_INPUT', `The input of ${tool.name} was not a JSON object. Send the arguments again.`);
    }
    const parsed = tool.input.safeParse(use.input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return refuse('INVALID_INPUT', `Invalid input for ${tool.name} (${problems}). Nothing was done.`);
    }
    try {
      const content: JsonObject = await tool.run(parsed.data, ctx);
      return {
        name: tool.name,
        ok: true,
        result: { toolResult: { toolUseId: use.toolUseId, status: 'success', content } },
      };
    } catch (error) {
      if (error instanceof ToolError) return refuse(error.code, error.message);
      if (isDomainError(error)) return refuse(error.code, error.message);
      this.log(`assistant tool ${tool.name} failed`, error);
      return refuse('UNAVAILABLE', 'This information is temporarily unavailable. Apologise and suggest trying again.');
    }
  }
}
