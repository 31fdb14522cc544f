import type { CustomerKey } from '../domain/customer-key.ts';
import type { CustomerRecord, Ownership } from '../domain/ownership.ts';

/** One reconciled conversation to record for one customer. */
export interface OwnershipChange {
  readonly key: CustomerKey;
  readonly ownership: Ownership;
}

/**
 * - `applied`: the ownership is now the customer's current owner.
 * - `superseded`: a newer ownership was already stored; only the history row was written.
 * - `failed`: nothing was written for this change; `retryable` tells the worker
 *   whether to try again (lock contention, limits, 5xx) or give up (bad data).
 */
export type CommitResult =
  | { readonly status: 'applied' | 'superseded'; readonly record: CustomerRecord }
  | {
      readonly status: 'failed';
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    };

/**
 * The system of record for ownership (Salesforce, or the embedded SQLite store).
 *
 * Invariants every implementation keeps (DESIGN §2):
 * - one history row per conversation, upserted by conversation id;
 * - the customer's current owner only moves forward: a change replaces it only
 *   when its version `(endedAt, conversationId)` is greater than the stored one.
 * Callers serialize changes per customer (a Redis lock), so the compare and the
 * set of one customer never interleave with another writer's.
 */
export interface OwnershipStore {
  readonly kind: 'salesforce' | 'sqlite';
  /** The customer's record, or null when the store has never heard of them. */
  findCustomer(key: CustomerKey, signal?: AbortSignal): Promise<CustomerRecord | null>;
  /** Applies changes (for distinct or equal customers); one result per change, same order. */
  commit(changes: readonly OwnershipChange[]): Promise<CommitResult[]>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
