import type { CustomerKey } from '../domain/customer-key.ts';
import type { CustomerRecord } from '../domain/ownership.ts';

export type CacheLookup =
  { readonly hit: true; readonly record: CustomerRecord | null } | { readonly hit: false };

/**
 * Read-through cache in front of the store. A hit may be negative (`record: null`,
 * the customer is known to be absent, kept only briefly). Implementations never
 * throw: a cache that cannot answer reports a miss, so the lookup degrades to a
 * direct store read.
 *
 * Two ways in, so a slow read can never undo a write: the lookup `fill`s only an
 * empty entry (what it read may already be older than a write-through), while
 * the worker `set`s the entry under the customer's lock right after its commit.
 */
export interface CustomerCache {
  get(key: CustomerKey): Promise<CacheLookup>;
  /**
   * What this process already holds for the customer, answered at once, or
   * undefined (then `get`). Only an in-memory layer has it: a warm lookup then
   * waits on nothing before it decides.
   */
  peek?(key: CustomerKey): CacheLookup | undefined;
  /** Read path: stores the record only if the entry is empty. */
  fill(key: CustomerKey, record: CustomerRecord | null): Promise<void>;
  /** Write-through: replaces the entry; false when it could not be written. */
  set(key: CustomerKey, record: CustomerRecord | null): Promise<boolean>;
  /** Drops the entry; false when it could not be dropped. */
  delete(key: CustomerKey): Promise<boolean>;
}
