import { customerKeyId, type CustomerKey } from '../domain/customer-key.ts';
import { customerKeys, type CustomerRecord } from '../domain/ownership.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { CustomerLock } from './customer-lock.port.ts';

/**
 * One customer, several keys: a Contact holding a number and a business-scoped
 * user id is written through either. Its writers lock every key it is known by,
 * in one fixed order (sorted by key id), so two writers naming it differently
 * exclude each other and never wait on each other in a circle.
 */
export async function withCustomerLocks<T>(
  lock: CustomerLock,
  keys: readonly CustomerKey[],
  work: () => Promise<T>,
): Promise<T> {
  const ids = [...new Set(keys.map(customerKeyId))].sort();
  const hold = (index: number): Promise<T> =>
    index === ids.length ? work() : lock.withLock(ids[index]!, () => hold(index + 1));
  return hold(0);
}

/**
 * The keys a write for `key` must lock, as far as the cache knows them (the
 * write-through keeps a customer's other keys in its entry). A cache that
 * cannot answer knows only `key`; the commit tells the rest (`unheldKeys`).
 */
export async function knownKeys(key: CustomerKey, cache: CustomerCache): Promise<CustomerKey[]> {
  const cached = await cache.get(key);
  return cached.hit && cached.record ? customerKeys({ ...cached.record, key }) : [key];
}

/** Keys of the committed customer that were not locked for the commit. */
export function unheldKeys(record: CustomerRecord, held: readonly CustomerKey[]): CustomerKey[] {
  const ids = new Set(held.map(customerKeyId));
  return customerKeys(record).filter((k) => !ids.has(customerKeyId(k)));
}
