import type { WrapUpEvent } from './events.contract.ts';

/**
 * What recording one event found: a first delivery, a repeat of one already
 * recorded (same identity, same content), or a repeat that contradicts it
 * (same identity, other content: refused, never merged into the first).
 */
export type RecordOutcome = 'new' | 'duplicate' | 'conflict';

/**
 * Durable per-conversation record of the events received and of which of them
 * are reconciled. Jobs carry only a conversation id; the worker reads the
 * conversation's events here, so collapsing a burst into one job never loses an
 * event, whatever order they arrived in.
 *
 * Reconciled marks are kept per event identity, not as a time: an agent-less or
 * mis-dated event can then never hide an agent event not yet applied.
 */
export interface EventLog {
  /** Stores events, the first delivery of each identity winning; one outcome per event. */
  record(events: readonly WrapUpEvent[]): Promise<RecordOutcome[]>;
  /** The conversation's events, newest (greatest eventTime) first, at most `limit`. */
  recent(conversationId: string, limit: number): Promise<WrapUpEvent[]>;
  /** Identities (`eventIdentity`) of the conversation's events already reconciled. */
  reconciledIdentities(conversationId: string): Promise<ReadonlySet<string>>;
  /** Marks events reconciled (marks are only ever added). */
  markReconciled(conversationId: string, identities: readonly string[]): Promise<void>;
}
