import type { CustomerCache } from '../../ports/customer-cache.port.ts';
import type { CustomerLock } from '../../reconcile/customer-lock.port.ts';
import type { EventLog } from '../../reconcile/event-log.port.ts';
import type { RedisConnections } from './connections.redis.ts';
import { RedisCustomerCache, type RedisCustomerCacheOptions } from './customer-cache.redis.ts';
import { RedisCustomerLock } from './customer-lock.redis.ts';
import { RedisEventLog } from './event-log.redis.ts';
import { NearCache } from './near-cache.redis.ts';

export { RedisConnections, type RedisRole } from './connections.redis.ts';

/**
 * The ownership cache: process memory in front of Redis, invalidated through
 * pub/sub on every write-through (cache and subscriber connections).
 */
export function createOwnershipCache(
  connections: RedisConnections,
  options: RedisCustomerCacheOptions,
): CustomerCache {
  const cache = connections.get('cache');
  const shared = new RedisCustomerCache(cache, options);
  return new NearCache(shared, cache, connections.get('subscriber'), {
    channel: `${options.prefix}:owner-changed`,
  });
}

/** The per-conversation event log, on the fail-fast producer connection. */
export function createEventLog(connections: RedisConnections, prefix: string): EventLog {
  return new RedisEventLog(connections.get('producer'), prefix);
}

/** The per-customer write lock, on the producer connection. */
export function createCustomerLock(
  connections: RedisConnections,
  options: { prefix: string; ttlMs: number },
): CustomerLock {
  return new RedisCustomerLock(connections.get('producer'), options);
}
export {
  isRedisConnectionError,
  watchReachability,
  type RedisReachability,
} from './reachability.redis.ts';
