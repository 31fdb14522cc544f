import type { WrapUpEvent } from './events.contract.ts';

/**
 * Durable per-conversation record of the events received and of how far each
 * conversation has been reconciled. Jobs carry only a conversation id; the
 * worker reads the newest event here, so collapsing a burst into one job never
 * loses the newest body, whatever order the events arrived in.
 */
export interface EventLog {
  /** Stores events; one boolean per event, true when it was not seen before. */
  record(events: readonly WrapUpEvent[]): Promise<boolean[]>;
  /** The conversation's events, newest (greatest eventTime) first, at most `limit`. */
  recent(conversationId: string, limit: number): Promise<WrapUpEvent[]>;
  /** The version (epoch ms) up to which the conversation is reconciled; 0 when never. */
  reconciledVersion(conversationId: string): Promise<number>;
  /** Raises the reconciled version (never lowers it). */
  markReconciled(conversationId: string, version: number): Promise<void>;
}
