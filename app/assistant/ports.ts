import type { EpochMs } from '../shared/time.js';
import type { ConversationState } from './conversation.js';

/** Another answer in the same conversation is still being written (two tabs, a double submit). */
export class ConversationBusy extends Error {
  constructor() {
    super('another answer is being written in this conversation');
    this.name = 'ConversationBusy';
  }
}

export interface LeasedConversation {
  readonly state: ConversationState;
  readonly lease: string;
}

/**
 * Conversation state lives in DynamoDB (sessions table, TTL) so a conversation continues on another instance or in
 * the other region. An answer leases its conversation, so two concurrent answers cannot overwrite each other.
 */
export interface ConversationStore {
  /** The conversation, leased until `leaseUntil`; undefined when it does not exist; ConversationBusy when leased. */
  begin(id: string, now: EpochMs, leaseUntil: EpochMs): Promise<LeasedConversation | undefined>;
  /** Writes the state and ends the lease; without a lease it creates the conversation (never overwriting one). */
  commit(state: ConversationState, lease: string | undefined, expiresAt: EpochMs): Promise<void>;
  /**
   * Writes the state only if the stored conversation is still at `previousTurn` and no answer holds its lease
   * (ConversationBusy otherwise): the save of an answer that took no lease because this instance's copy was current.
   */
  commitIfUnchanged(state: ConversationState, previousTurn: number, now: EpochMs, expiresAt: EpochMs): Promise<void>;
  /**
   * Leases the conversation only if it is still at `turn` and free, without reading it back (ConversationBusy
   * otherwise): taken before such an answer runs any tool, so two answers never both run tools.
   */
  leaseIfUnchanged(id: string, turn: number, now: EpochMs, leaseUntil: EpochMs): Promise<string>;
  get(id: string, now: EpochMs): Promise<ConversationState | undefined>;
}
