import type { CustomerCache } from '../../ports/customer-cache.port.ts';
import type { CustomerLock } from '../../reconcile/customer-lock.port.ts';
import type { EventLog } from '../../reconcile/event-log.port.ts';
import type { RedisConnections } from './connections.redis.ts';
import { RedisCustomerCache, type RedisCustomerCacheOptions } from './customer-cache.redis.ts';
import { RedisCustomerLock } from './customer-lock.redis.ts';
import { RedisEventLog } from './event-log.redis.ts';
import { NearCache } from './near-cache.redis.ts';
import { RedisReplicaWait } from './write-durability.redis.ts';
import type { WriteDurability } from '../../reconcile/write-durability.port.ts';
import type { ErasureTombstones } from '../../ports/erasure-tombstones.port.ts';
import { RedisPersonalData, type RedisPersonalDataOptions } from './personal-data.redis.ts';
import { RedisTombstones, type RedisTombstonesOptions } from './tombstones.redis.ts';

export type { RedisPersonalData };

export {
  RedisConnections,
  createRedis,
  waitUntilReady,
  type RedisClient,
  type RedisRole,
} from './connections.redis.ts';
export { clusterSlot } from './cluster-slot.redis.ts';
export { clearOwnershipCache } from './cache-clear.redis.ts';

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

/**
 * `WAIT` for replicas on the producer connection, the one that writes events
 * and jobs (WAIT counts the writes of its own connection).
 */
export function createWriteDurability(
  connections: RedisConnections,
  options: { prefix: string; replicas: number; timeoutMs: number },
): WriteDurability {
  return new RedisReplicaWait(connections.get('producer'), options);
}

/** Erasure tombstones (HMAC-keyed), on the producer connection. */
export function createTombstones(
  connections: RedisConnections,
  options: RedisTombstonesOptions,
): ErasureTombstones {
  return new RedisTombstones(connections.get('producer'), options);
}

/** What Redis holds on a customer: event log, cache, locks, jobs (privacy requests). */
export function createRedisPersonalData(
  connections: RedisConnections,
  options: Omit<RedisPersonalDataOptions, 'invalidationChannel'>,
): RedisPersonalData {
  return new RedisPersonalData(connections.get('producer'), {
    ...options,
    invalidationChannel: `${options.prefix}:owner-changed`,
  });
}

export { createRetentionClaim } from './daily-claim.redis.ts';
