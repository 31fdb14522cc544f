import type { ConversationSnapshot } from '../domain/conversation.ts';

/**
 * Genesys as the authority on what happened in a conversation (DESIGN §2.1:
 * events are hints, the worker reloads the conversation).
 */
export interface ConversationSource {
  /** The conversation as Genesys reports it now, or null when it does not exist. */
  loadConversation(conversationId: string): Promise<ConversationSnapshot | null>;
  /**
   * Ids of WhatsApp message conversations that ended inside `[start, end)`
   * (epoch ms), for the sweep and backfill.
   */
  listEndedConversations(start: number, end: number): Promise<string[]>;
}

/** Display names for ids, cached by implementations (names change rarely). */
export interface NameResolver {
  agentName(userId: string): Promise<string>;
  queueName(queueId: string): Promise<string>;
  wrapupName(wrapupCodeId: string): Promise<string>;
}

/** Without Genesys credentials names stay empty; ids are still recorded. */
export const noNames: NameResolver = {
  agentName: async () => '',
  queueName: async () => '',
  wrapupName: async () => '',
};
