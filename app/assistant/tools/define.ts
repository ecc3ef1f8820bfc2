import { z } from 'zod';
import type { CancellationPolicy } from '../../booking/cancellation-policy.js';
import type { CatalogReader } from '../../booking/ports.js';
import type { BookingService, HoldView } from '../../booking/service.js';
import type { Locale } from '../../shared/i18n.js';
import type { EpochMs } from '../../shared/time.js';
import type { ConversationState } from '../conversation.js';
import type { JsonObject, ToolSpec } from '../model.js';
import type { Understanding } from '../understanding.js';

/** The ten tools of SPEC §5, as a typed vocabulary. */
export const TOOL_NAMES = [
  'get_performances',
  'get_performance_details',
  'get_performance_schedules',
  'get_seat_grades',
  'get_venue_info',
  'get_available_seats',
  'hold_seats',
  'cancel_hold',
  'get_my_reservations',
  'get_cancellation_policy',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** What a tool may use. The user comes from the session, never from the model's input. */
export interface ToolContext {
  readonly user?: { readonly userId: string };
  readonly locale: Locale;
  readonly now: EpochMs;
  /** The person's current message, read deterministically (for the hold confirmation rule). */
  readonly understanding: Understanding;
  readonly booking: BookingService;
  readonly catalog: CatalogReader;
  readonly cancellationPolicy: CancellationPolicy;
  readonly bookingFeePerTicket: number;
  /** The conversation; tools replace it through `update` (their changes are persisted with the answer). */
  readonly state: () => ConversationState;
  update(change: (state: ConversationState) => ConversationState): void;
  /** A hold was created: the web tier renders the hold card from it, never the model. */
  holdCreated(hold: HoldView): void;
  holdReleased(holdId: string): void;
  loginRequired(): void;
}

/** A refusal the model can act on: a stable code and a sentence saying what to do instead. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/**
 * One tool = one zod object schema. Its `.describe()` text is the description the model reads, `z.toJSONSchema`
 * of it is the input schema the model is given, and `safeParse` of it validates what the model sends back.
 */
export interface AssistantTool<S extends z.ZodObject = z.ZodObject> {
  readonly name: ToolName;
  readonly input: S;
  run(input: z.output<S>, ctx: ToolContext): Promise<JsonObject>;
}

export function defineTool<S extends z.ZodObject>(tool: AssistantTool<S>): AssistantTool<S> {
  if (!tool.input.description) throw new Error(`tool ${tool.name} needs a description on its schema`);
  return tool;
}

export function toolSpecOf(tool: AssistantTool): ToolSpec {
  const { $schema: _schema, description: _description, ...schema } = z.toJSONSchema(tool.input, { io: 'input' });
  return { name: tool.name, description: tool.input.description!, inputSchema: schema as JsonObject };
}

/**
 * Ids as the API accepts them: a bounded, path-safe alphabet. The alphabet is a refinement, so it validates without
 * spelling a regex into every id of every tool schema the model reads (and the cached prefix pays for).
 */
export const idField = z
  .string()
  .min(1)
  .max(120)
  .refine((v) => /^[A-Za-z0-9_.-]+$/.test(v), 'not a valid id');

/** A KST calendar date `YYYY-MM-DD`, checked by a refinement (z.iso.date() would spell a long regex into the schema). */
export const dateField = z
  .string()
  .length(10)
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'a date YYYY-MM-DD');
