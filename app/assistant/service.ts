import { randomUUID } from 'node:crypto';
import type { CancellationPolicy } from '../booking/cancellation-policy.js';
import type { CatalogReader } from '../booking/ports.js';
import type { BookingService, HoldView } from '../booking/service.js';
import type { Venue } from '../catalog/types.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { Locale } from '../shared/i18n.js';
import type { Log } from '../shared/log.js';
import { kstDateOf } from '../shared/time.js';
import { newConversation, remember, stepOf, type ConversationState, type Exchange } from './conversation.js';
import type { AssistantEvent } from './events.js';
import type { AssistantMetrics } from './metrics.js';
import type { ModelMessage, ToolResultPart } from './model.js';
import {
  AnswerInterrupted,
  ModelsUnavailable,
  type AnsweringModel,
  type ChainTurn,
  type ModelChain,
} from './model-chain.js';
import { modelDisplayName } from './model-names.js';
import { ConversationBusy, type ConversationStore, type LeasedConversation } from './ports.js';
import { catalogSnapshot } from './prompts/catalog-snapshot.js';
import { INSTRUCTIONS } from './prompts/instructions.js';
import { buildRequest, stablePrefix, type PromptContext, type StablePrefix } from './prompts/request.js';
import { REPLIES } from './replies.js';
import { ToolRunner } from './tool-runner.js';
import { toolSpecOf, type AssistantTool, type ToolContext } from './tools/define.js';
import { ASSISTANT_TOOLS } from './tools/index.js';
import { pickSlot, understand, type TitleIndex, type Understanding } from './understanding.js';
import { ttftMark } from '../shared/ttft-trace.js';

export interface AssistantSettings {
  readonly maxModelTurns: number;
  readonly maxOutputTokens: number;
  readonly bookingFeePerTicket: number;
  /** How long an idle conversation is kept (DynamoDB TTL). */
  readonly conversationMs: number;
  /** How long one answer may hold its conversation's lease. */
  readonly leaseMs: number;
}

export interface AssistantDeps {
  readonly models: ModelChain;
  /** The offline model answers (no Bedrock configured); the UI says so. */
  readonly offline: boolean;
  readonly store: ConversationStore;
  readonly booking: BookingService;
  readonly catalog: CatalogReader;
  readonly cancellationPolicy: CancellationPolicy;
  readonly clock: Clock;
  readonly metrics: AssistantMetrics;
  readonly log: Log;
  readonly settings: AssistantSettings;
  readonly tools?: readonly AssistantTool[];
}

export interface ChatInput {
  readonly conversationId?: string;
  readonly message: string;
  readonly user?: { readonly userId: string };
  /** The page's language, used until the person's own message says otherwise. */
  readonly locale: Locale;
  /**
   * The turn the conversation was at after the last answer this person's browser saw start (the web tier keeps it
   * beside the conversation id). When this instance saved exactly that turn, its copy is trusted and the answer
   * takes no lease up front (see `answerMessage`).
   */
  readonly turn?: number;
}

/** Conversations whose last saved state this instance keeps, to start the model before the conversation read. */
const SAVED_COPIES = 2000;

/** A first model turn already under way; its text is held until `attach` hands it a sink. */
interface EarlyTurn {
  attach(say: (text: string) => void): Promise<ChainTurn>;
  cancel(): void;
}

/** The copy this instance saved is still the stored conversation (nobody wrote it since). */
function sameVersion(stored: ConversationState, copy: ConversationState): boolean {
  return stored.updatedAt === copy.updatedAt && stored.turn === copy.turn;
}

/** The state of the answer being written; tools replace it as they go. */
interface StateCell {
  state: ConversationState;
}

/**
 * How an answer may save its state: under the lease it took, as a new conversation, or — when it started from this
 * instance's trusted copy without a lease — only if nobody saved or leased the conversation since `turn`.
 */
type SaveGuard =
  | { readonly kind: 'leased'; readonly lease: string }
  | { readonly kind: 'new' }
  | { readonly kind: 'unchanged'; readonly turn: number };

/** A trusted-copy answer found its conversation moved on or leased when it came to run a tool. */
export class ConversationMoved extends Error {
  constructor() {
    super('the conversation was continued elsewhere while this answer was being written');
    this.name = 'ConversationMoved';
  }
}

/** What a page needs to show an existing conversation. */
export interface ConversationView {
  readonly conversationId: string;
  readonly step: ConversationState['step'];
  readonly recent: readonly Exchange[];
  readonly hold?: HoldView;
  readonly offline: boolean;
}

/**
 * The booking assistant (SPEC §5): one answer per person's message, streamed as semantic events. Runs the tool loop
 * over the model chain (at most `maxModelTurns` model turns per message; all tool results of a turn go back in one
 * message), keeps the conversation state in the store, and never lets the model's text or markup reach a page
 * unescaped: it only ever emits data.
 */
export class AssistantService {
  private readonly runner: ToolRunner;
  private readonly toolSpecs;
  private prefixCache: { identity: unknown; content: string; prefix: Promise<StablePrefix> } | undefined;
  private readonly saved = new Map<string, ConversationState>();
  /** Conversations this instance is answering right now: a second message meanwhile is refused without a read. */
  private readonly answering = new Set<string>();

  constructor(private readonly deps: AssistantDeps) {
    const tools = deps.tools ?? ASSISTANT_TOOLS;
    this.runner = new ToolRunner(tools, deps.log);
    this.toolSpecs = tools.map(toolSpecOf);
  }

  get offline(): boolean {
    return this.deps.offline;
  }

  async chat(input: ChatInput, emit: (event: AssistantEvent) => void, signal: AbortSignal): Promise<void> {
    const started = this.deps.clock.now();
    const titles = await this.titleIndex();
    const understanding = understand(input.message, titles, kstDateOf(started));
    const prepare = (state: ConversationState): ConversationState =>
      track(
        {
          ...state,
          ownerUserId: state.ownerUserId ?? input.user?.userId,
          turn: state.turn + 1,
          locale: understanding.language,
        },
        understanding,
        titles,
      );
    const id = input.conversationId;
    if (id && this.answering.has(id)) throw busy();
    if (id) this.answering.add(id);
    try {
      await this.answerMessage(input, understanding, titles, prepare, started, emit, signal);
    } finally {
      if (id) this.answering.delete(id);
    }
  }

  private async answerMessage(
    input: ChatInput,
    understanding: Understanding,
    titles: TitleIndex,
    prepare: (state: ConversationState) => ConversationState,
    started: number,
    emit: (event: AssistantEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { settings } = this.deps;
    const copy = input.conversationId ? this.saved.get(input.conversationId) : undefined;
    const ownCopy = copy && this.ownedBy(copy, input.user) ? copy : undefined;
    // The fast path: this instance saved the conversation last at the turn the person's browser last saw, so its copy
    // is the stored state unless another tab or instance wrote since — which the save's condition (and, before any
    // tool runs, a conditional lease) catches. One DynamoDB call per message instead of two.
    const live = ownCopy !== undefined && ownCopy.updatedAt + settings.conversationMs > started;
    if (ownCopy && live && input.turn === ownCopy.turn) {
      const cell: StateCell = { state: prepare(ownCopy) };
      return this.respond(cell, { kind: 'unchanged', turn: ownCopy.turn }, input, understanding, titles, emit, signal);
    }
    ttftMark('conversationRead'); // not the trusted copy: the conversation is read (and leased) from the table
    // Otherwise the conversation read (a DynamoDB round trip) need not delay the model: when this instance saved the
    // conversation last, the first model turn starts from that copy while the lease is taken, and its output is held
    // back until the lease confirms the copy is current (otherwise it is discarded and the turn starts again).
    const early = ownCopy ? await this.startEarly(prepare(ownCopy), input, understanding, titles, signal) : undefined;
    let leased: LeasedConversation | undefined;
    try {
      leased = await this.lease(input.conversationId, started);
    } catch (error) {
      early?.cancel();
      throw error;
    }
    const owned = leased && this.ownedBy(leased.state, input.user) ? leased : undefined;
    if (leased && !owned) {
      // Someone else's conversation (e.g. after logging out): left untouched, and this person starts a new one.
      await this.deps.store.commit(leased.state, leased.lease, leased.state.updatedAt + settings.conversationMs);
    }
    const current = owned && ownCopy && sameVersion(owned.state, ownCopy) ? early : undefined;
    if (early && !current) early.cancel();
    const cell: StateCell = { state: prepare(owned?.state ?? newConversation(randomUUID(), input.locale, started)) };
    const guard: SaveGuard = owned ? { kind: 'leased', lease: owned.lease } : { kind: 'new' };
    return this.respond(cell, guard, input, understanding, titles, emit, signal, current);
  }

  private async respond(
    cell: StateCell,
    initialGuard: SaveGuard,
    input: ChatInput,
    understanding: Understanding,
    titles: TitleIndex,
    emit: (event: AssistantEvent) => void,
    signal: AbortSignal,
    current?: EarlyTurn,
  ): Promise<void> {
    const { clock, settings } = this.deps;
    let guard = initialGuard;
    // Tools change the world (a hold!): an answer without a lease takes one before its first tool runs.
    const beforeTools = async () => {
      if (guard.kind !== 'unchanged') return;
      const now = clock.now();
      try {
        const lease = await this.deps.store.leaseIfUnchanged(cell.state.id, guard.turn, now, now + settings.leaseMs);
        guard = { kind: 'leased', lease };
      } catch (error) {
        if (error instanceof ConversationBusy) throw new ConversationMoved();
        throw error;
      }
    };
    ttftMark('startEmit');
    emit({ type: 'start', conversationId: cell.state.id, turn: cell.state.turn, offline: this.deps.offline });

    let answerText = '';
    let finished = false;
    try {
      const onText = (text: string) => (answerText += text);
      const model = await this.answer(cell, input, understanding, titles, emit, signal, onText, beforeTools, current);
      finished = true;
      emit({
        type: 'model',
        modelId: model.id,
        name: modelDisplayName(model.id),
        isFallback: model.isFallback,
        offline: this.deps.offline,
      });
    } catch (error) {
      if (!signal.aborted) emit(this.errorEvent(error));
    } finally {
      // Saved even when the answer failed: tools may already have changed the state (a hold!).
      const now = clock.now();
      let next: ConversationState = { ...cell.state, updatedAt: now };
      if (finished) next = remember(next, { user: input.message, assistant: answerText });
      next = { ...next, step: stepOf(next) };
      const expiresAt = now + settings.conversationMs;
      try {
        if (guard.kind === 'unchanged') await this.deps.store.commitIfUnchanged(next, guard.turn, now, expiresAt);
        else await this.deps.store.commit(next, guard.kind === 'leased' ? guard.lease : undefined, expiresAt);
        this.keepCopy(next);
      } catch (e) {
        // Another tab or instance continued the conversation meanwhile: its state stands, this exchange is not kept.
        this.saved.delete(next.id);
        this.deps.log('assistant: conversation state not saved', e);
      }
      if (finished) emit({ type: 'done', step: next.step });
    }
  }

  async conversation(id: string, user: { userId: string } | undefined): Promise<ConversationView | undefined> {
    const state = await this.deps.store.get(id, this.deps.clock.now());
    if (!state || !this.ownedBy(state, user)) return undefined;
    const hold =
      state.holdId && user
        ? await this.deps.booking.getHold(user.userId, state.holdId).catch(() => undefined)
        : undefined;
    return {
      conversationId: state.id,
      step: state.step,
      recent: state.recent,
      hold: hold?.live && hold.status !== 'CONFIRMED' ? hold : undefined,
      offline: this.deps.offline,
    };
  }

  /** Estimated tokens of the cached prefix (logged at start: below 4,096 Claude Haiku 4.5 would not cache it). */
  async prefixTokens(): Promise<number> {
    return (await this.prefix()).tokens;
  }

  private async answer(
    cell: StateCell,
    input: ChatInput,
    understanding: Understanding,
    titles: TitleIndex,
    emit: (event: AssistantEvent) => void,
    signal: AbortSignal,
    onText: (text: string) => void,
    beforeTools: () => Promise<void>,
    early?: EarlyTurn,
  ): Promise<AnsweringModel> {
    const { settings } = this.deps;
    const prefix = await this.prefix();
    const titleMap = new Map(titles.performances.map((p) => [p.id, p.title]));
    const messages: ModelMessage[] = [{ role: 'user', content: [{ text: input.message }] }];
    const toolContext = this.toolContext(cell, input, understanding, emit);
    const say = (text: string) => {
      onText(text);
      emit({ type: 'text', text });
    };
    let model: AnsweringModel | undefined;
    for (let turn = 1; turn <= settings.maxModelTurns; turn++) {
      const context: PromptContext = {
        state: { ...cell.state, step: stepOf(cell.state) },
        understanding,
        loggedIn: Boolean(input.user),
        now: this.deps.clock.now(),
        titles: titleMap,
      };
      const result =
        turn === 1 && early
          ? await early.attach(say)
          : await this.deps.models.runTurn(
              buildRequest(prefix, context, messages, settings.maxOutputTokens),
              say,
              signal,
            );
      model = result.model;
      if (result.stopReason !== 'tool_use' || result.toolUses.length === 0) return model;
      if (turn === settings.maxModelTurns) {
        // The cap: this turn's tools are not run, since their results could not be answered within the limit.
        say(`${result.text ? '\n\n' : ''}${REPLIES.turnLimit[cell.state.locale]}`);
        return model;
      }
      await beforeTools();
      messages.push({ role: 'assistant', content: result.content });
      const results: ToolResultPart[] = [];
      let held = false;
      for (const use of result.toolUses) {
        emit({ type: 'tool', name: use.name, phase: 'start' });
        this.deps.metrics.toolCall(model.id, model.isFallback, use.name);
        const outcome = await this.runner.run(use, toolContext);
        emit({ type: 'tool', name: use.name, phase: 'end', ok: outcome.ok });
        results.push(outcome.result);
        if (outcome.ok && outcome.name === 'hold_seats') held = true;
      }
      messages.push({ role: 'user', content: results });
      cell.state = track(cell.state, understanding, titles);
      // The hold card says everything that matters; a closing model turn would only repeat it.
      if (held) {
        say(`${result.text ? '\n\n' : ''}${REPLIES.held[cell.state.locale]}`);
        return model;
      }
    }
    return model!;
  }

  /** The first model turn of an answer, started from this instance's copy of the conversation. */
  private async startEarly(
    state: ConversationState,
    input: ChatInput,
    understanding: Understanding,
    titles: TitleIndex,
    signal: AbortSignal,
  ): Promise<EarlyTurn> {
    const prefix = await this.prefix();
    const context: PromptContext = {
      state: { ...state, step: stepOf(state) },
      understanding,
      loggedIn: Boolean(input.user),
      now: this.deps.clock.now(),
      titles: new Map(titles.performances.map((p) => [p.id, p.title])),
    };
    const request = buildRequest(
      prefix,
      context,
      [{ role: 'user', content: [{ text: input.message }] }],
      this.deps.settings.maxOutputTokens,
    );
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const held: string[] = [];
    let sink: ((text: string) => void) | undefined;
    const turn = this.deps.models.runTurn(request, (text) => (sink ? sink(text) : held.push(text)), controller.signal);
    turn.catch(() => {}).finally(() => signal.removeEventListener('abort', onAbort));
    return {
      attach: (say) => {
        for (const text of held.splice(0)) say(text);
        sink = say;
        return turn;
      },
      cancel: () => controller.abort(),
    };
  }

  /** This instance's last saved copy of a conversation (bounded; the oldest entries go first). */
  private keepCopy(state: ConversationState): void {
    this.saved.delete(state.id);
    this.saved.set(state.id, state);
    if (this.saved.size > SAVED_COPIES) this.saved.delete(this.saved.keys().next().value!);
  }

  private toolContext(
    cell: StateCell,
    input: ChatInput,
    understanding: Understanding,
    emit: (event: AssistantEvent) => void,
  ): ToolContext {
    const { booking, catalog, cancellationPolicy, settings } = this.deps;
    return {
      user: input.user,
      get locale() {
        return cell.state.locale;
      },
      now: this.deps.clock.now(),
      understanding,
      booking,
      catalog,
      cancellationPolicy,
      bookingFeePerTicket: settings.bookingFeePerTicket,
      state: () => cell.state,
      update: (change) => (cell.state = change(cell.state)),
      holdCreated: (hold) => emit({ type: 'hold', hold }),
      holdReleased: (holdId) => emit({ type: 'holdReleased', holdId }),
      loginRequired: () => emit({ type: 'loginRequired' }),
    };
  }

  private async lease(conversationId: string | undefined, now: number): Promise<LeasedConversation | undefined> {
    if (!conversationId) return undefined;
    try {
      return await this.deps.store.begin(conversationId, now, now + this.deps.settings.leaseMs);
    } catch (error) {
      if (error instanceof ConversationBusy) throw busy();
      throw error;
    }
  }

  /** A conversation started by a logged-in person is theirs alone; an anonymous one is adopted at login. */
  private ownedBy(state: ConversationState, user: { userId: string } | undefined): boolean {
    return state.ownerUserId === undefined || state.ownerUserId === user?.userId;
  }

  private errorEvent(error: unknown): AssistantEvent {
    if (error instanceof ModelsUnavailable) {
      return { type: 'error', code: 'MODEL_UNAVAILABLE', message: error.message, retryable: true };
    }
    if (error instanceof ConversationMoved) {
      return { type: 'error', code: 'CONVERSATION_MOVED', message: error.message, retryable: true };
    }
    if (error instanceof AnswerInterrupted) {
      return { type: 'error', code: 'INTERRUPTED', message: error.message, retryable: true };
    }
    this.deps.log('assistant answer failed', error);
    return { type: 'error', code: 'INTERNAL', message: 'internal error', retryable: true };
  }

  private async titleIndex(): Promise<TitleIndex> {
    const performances = await this.deps.catalog.listPerformances();
    return { performances: performances.filter((p) => p.status === 'ACTIVE') };
  }

  /**
   * The stable prefix, rebuilt only when the catalog's content changes: the catalog cache hands out fresh objects
   * after each refresh, and rebuilding the snapshot (grade tables over every seat) on each would waste CPU.
   */
  private prefix(): Promise<StablePrefix> {
    return this.deps.catalog.listPerformances().then((performances) => {
      const cached = this.prefixCache;
      if (cached?.identity === performances) return cached.prefix;
      const content = JSON.stringify(performances);
      if (cached?.content === content) {
        this.prefixCache = { ...cached, identity: performances };
        return cached.prefix;
      }
      const prefix = this.buildPrefix(performances);
      this.prefixCache = { identity: performances, content, prefix };
      prefix.catch(() => (this.prefixCache = undefined));
      return prefix;
    });
  }

  private async buildPrefix(
    performances: Awaited<ReturnType<CatalogReader['listPerformances']>>,
  ): Promise<StablePrefix> {
    const venueIds = [...new Set(performances.map((p) => p.venueId))];
    const venues = (await Promise.all(venueIds.map((id) => this.deps.catalog.getVenue(id)))).filter(
      (v): v is Venue => v !== undefined,
    );
    return stablePrefix(
      this.toolSpecs,
      INSTRUCTIONS,
      catalogSnapshot(performances, venues, this.deps.cancellationPolicy),
    );
  }
}

function busy(): DomainError {
  return new DomainError('CONCURRENT_UPDATE', 'The assistant is still answering your previous message.');
}

/** Keeps the state in step with what the person said: show, head count, grade, and a slot among those listed. */
export function track(state: ConversationState, u: Understanding, titles: TitleIndex): ConversationState {
  let next = state;
  if (u.performanceId && u.performanceId !== next.performanceId) {
    next = { ...next, performanceId: u.performanceId, scheduleId: undefined, grade: undefined, shownSlots: [] };
  }
  if (u.headCount && u.headCount >= 1 && u.headCount <= 4) next = { ...next, headCount: u.headCount };
  const performance = titles.performances.find((p) => p.id === next.performanceId);
  if (u.grade && performance?.grades.some((g) => g.code === u.grade)) next = { ...next, grade: u.grade };
  const slot = pickSlot(next.shownSlots, u.date, u.time);
  if (slot) next = { ...next, scheduleId: slot.scheduleId };
  return next;
}
