import type { ContentPart, JsonObject, ModelEvent, ModelUsage } from './model.js';

/** A tool call as the model asked for it; `input` is undefined when the streamed fragments were not a JSON object. */
export interface RequestedToolUse {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: JsonObject | undefined;
  readonly rawInput: string;
}

export interface AssembledTurn {
  readonly text: string;
  readonly toolUses: readonly RequestedToolUse[];
  /** The assistant message to send back next turn (text and tool uses in stream order). */
  readonly content: readonly ContentPart[];
  readonly stopReason: string | undefined;
  readonly usage: ModelUsage | undefined;
}

type Block = { kind: 'text'; text: string } | { kind: 'toolUse'; toolUseId: string; name: string; fragments: string[] };

/** Reassembles one streamed model turn: text deltas per block, tool input from its JSON fragments. */
export class TurnAssembler {
  private readonly blocks = new Map<number, Block>();
  private stopReason: string | undefined;
  private usage: ModelUsage | undefined;

  add(event: ModelEvent): void {
    switch (event.type) {
      case 'text': {
        const block = this.blocks.get(event.index);
        if (block?.kind === 'text') block.text += event.text;
        else this.blocks.set(event.index, { kind: 'text', text: event.text });
        break;
      }
      case 'toolUseStart':
        this.blocks.set(event.index, { kind: 'toolUse', toolUseId: event.toolUseId, name: event.name, fragments: [] });
        break;
      case 'toolUseDelta': {
        const block = this.blocks.get(event.index);
        if (block?.kind === 'toolUse') block.fragments.push(event.input);
        break;
      }
      case 'messageStop':
        this.stopReason = event.stopReason;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'blockStop':
        break;
    }
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  result(): AssembledTurn {
    const ordered = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    const content: ContentPart[] = [];
    const toolUses: RequestedToolUse[] = [];
    let text = '';
    for (const block of ordered) {
      if (block.kind === 'text') {
        if (block.text === '') continue;
        text += block.text;
        content.push({ text: block.text });
        continue;
      }
      const rawInput = block.fragments.join('');
      const input = parseObject(rawInput);
      toolUses.push({ toolUseId: block.toolUseId, name: block.name, input, rawInput });
      // Bedrock wants an object back in the history even when the model's own JSON was broken.
      content.push({ toolUse: { toolUseId: block.toolUseId, name: block.name, input: input ?? {} } });
    }
    return { text, toolUses, content, stopReason: this.stopReason, usage: this.usage };
  }
}

/** Empty input means "no arguments" (models stream nothing for a tool without parameters). */
function parseObject(raw: string): JsonObject | undefined {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
