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

/**
 * The process's Redis connections: each role is opened once, on first use, and
 * `disconnect` closes every one that was opened. The one place connections are
 * made, so a change of deployment (TLS, Sentinel, Cluster) is made here.
 */
export class RedisConnections {
  readonly #url: string;
  readonly #opened = new Map<RedisRole, Redis>();

  constructor(url: string) {
    this.#url = url;
  }

  get(role: RedisRole): Redis {
    let redis = this.#opened.get(role);
    if (!redis) this.#opened.set(role, (redis = createRedis(this.#url, role)));
    return redis;
  }

  /**
   * Opens these roles and waits up to `timeoutMs` for them to connect:
   * fail-fast connections would otherwise refuse the first commands after
   * start-up. A Redis that is down is not fatal here; readiness says why.
   */
  async open(roles: readonly RedisRole[], timeoutMs = 2000): Promise<void> {
    await Promise.all(roles.map((role) => waitUntilReady(this.get(role), timeoutMs)));
  }

  disconnect(): void {
    for (const redis of this.#opened.values()) redis.disconnect();
    this.#opened.clear();
  }
}
