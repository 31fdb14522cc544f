import { Redis, type RedisOptions } from 'ioredis';

/**
 * The three kinds of Redis connection the bridge opens (BullMQ production guide):
 * - `cache`: the lookup's hot path; fails fast (no offline queue, short command
 *   timeout) so a Redis outage costs the lookup a few ms, not its deadline;
 * - `producer`: enqueues events; fails fast so `/v1/events` can answer 503 and the
 *   sender retries, instead of hanging on a queue that is not there;
 * - `worker`: BullMQ workers; `maxRetriesPerRequest: null` so blocking commands
 *   survive reconnects;
 * - `subscriber`: receives near-cache invalidations (pub/sub mode).
 */
export type RedisRole = 'cache' | 'producer' | 'worker' | 'subscriber';

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  cache: { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 },
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 },
  worker: { maxRetriesPerRequest: null },
  subscriber: { maxRetriesPerRequest: null },
};

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `continuity-bridge:${role}`,
    // Reconnect forever with a capped backoff: Redis coming back must heal the bridge.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
    ...ROLE_OPTIONS[role],
    ...extra,
  });
  // Connection errors are reported through readiness and metrics; without a
  // listener ioredis would print every reconnect attempt to stderr.
  redis.on('error', () => {});
  return redis;
}

/** Resolves once connected, or after `timeoutMs` (a Redis that is down is not fatal here). */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}
