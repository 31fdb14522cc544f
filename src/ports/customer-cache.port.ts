import type { CustomerKey } from '../domain/customer-key.ts';
import type { CustomerRecord } from '../domain/ownership.ts';

export type CacheLookup =
  { readonly hit: true; readonly record: CustomerRecord | null } | { readonly hit: false };

/**
 * Read-through cache in front of the store. A hit may be negative (`record: null`,
 * the customer is known to be absent, kept only briefly). Implementations never
 * throw: a cache that cannot answer reports a miss, so the lookup degrades to a
 * direct store read.
 */
export interface CustomerCache {
  get(key: CustomerKey): Promise<CacheLookup>;
  set(key: CustomerKey, record: CustomerRecord | null): Promise<void>;
}
