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
      /**
       * The store as a whole did not answer (down, unreachable, timed out, out
       * of API calls): nothing about this change is wrong, and every other
       * change would fail alike until it is back. @defaultValue false
       */
      readonly unavailable?: boolean;
      /** A record was busy (a row lock, a race on a unique field): retry soon. @defaultValue false */
      readonly busy?: boolean;
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
  /** The CRM's daily API allocation and its reserve; absent for a store without one. */
  readonly budget?: ApiBudget;
  /** The customer's record, or null when the store has never heard of them. */
  findCustomer(key: CustomerKey, signal?: AbortSignal): Promise<CustomerRecord | null>;
  /** Applies changes (for distinct or equal customers); one result per change, same order. */
  commit(changes: readonly OwnershipChange[]): Promise<CommitResult[]>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The CRM's daily API allocation as the bridge last saw it (DESIGN §2.5). Below
 * the reserve (`SF_API_RESERVE_PERCENT` of the allocation left), the bridge
 * spends no call that can wait, so the org's other integrations never find the
 * allocation gone because of it: lookups answer from the caches or with the
 * fallback, the sweep and backfill pause, reconcile writes (the record) go on
 * at the largest batches.
 */
export interface ApiBudget {
  /** True while less than the reserve of the daily allocation is left. */
  readonly belowReserve: boolean;
  /** Calls used and the allocation as last reported, or null before any report. */
  readonly usage: { readonly used: number; readonly limit: number } | null;
  /** The share of the allocation kept for others, in percent. */
  readonly reservePercent: number;
}

/** A store without an allocation (the embedded SQLite store). */
export const unlimitedBudget: ApiBudget = { belowReserve: false, usage: null, reservePercent: 0 };
