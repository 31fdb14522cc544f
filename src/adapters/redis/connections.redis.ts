import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisAuth, RedisTopology } from '../../config/redis-topology.ts';

/**
 * The kinds of Redis connection the bridge opens (BullMQ production guide):
 * - `cache`: the lookup's hot path; fails fast (no offline queue, short command
 *   timeout) so a Redis outage costs the lookup a few ms, not its deadline;
 * - `producer`: enqueues events; fails fast so `/v1/events` can answer 503 and the
 *   sender retries, instead of hanging on a queue that is not there;
 * - `worker`: BullMQ workers; `maxRetriesPerRequest: null` so blocking commands
 *   survive reconnects;
 * - `subscriber`: receives near-cache invalidations (pub/sub mode).
 */
export type RedisRole = 'cache' | 'producer' | 'worker' | 'subscriber';

/** One server or Sentinel (a `Redis`), or a Cluster: the adapters speak both. */
export type RedisClient = Redis | Cluster;

interface RoleOptions {
  readonly enableOfflineQueue?: boolean;
  readonly maxRetriesPerRequest: number | null;
  readonly commandTimeout?: number;
}

const ROLE_OPTIONS: Record<RedisRole, RoleOptions> = {
  cache: { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 },
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 },
  worker: { maxRetriesPerRequest: null },
  subscriber: { maxRetriesPerRequest: null },
};

// Reconnect forever with a capped backoff: Redis coming back must heal the bridge.
const reconnectBackoff = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * A connection that answers READONLY is on a node that was demoted to replica
 * (a restarted old master the sentinels converted, or a managed endpoint that
 * moved): reconnect, so the master is looked up again. The failing command is
 * not resent; its caller sees the error (ingest answers 503, the sender retries).
 */
const reconnectWhenDemoted = (error: Error) => (error.message.startsWith('READONLY') ? 1 : false);

function tlsOptions(auth: Pick<RedisAuth, 'tls'> & { tlsCa?: string | undefined }) {
  if (!auth.tls) return undefined;
  const options: TlsOptions = auth.tlsCa ? { ca: auth.tlsCa } : {};
  return options;
}

function credentials(auth: RedisAuth): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(auth.username !== undefined && { username: auth.username }),
    ...(auth.password !== undefined && { password: auth.password }),
  };
}

/** `redis://user:pass@host:6380/2` → host, port and db (credentials come from the topology's auth). */
function urlAddress(url: string): Pick<RedisOptions, 'host' | 'port' | 'db'> {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace(/^\//, '') || '0');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: Number.isInteger(db) ? db : 0,
  };
}

/** A `redis://` URL as a one-server topology (tests and tools that start their own server). */
export function singleServer(url: string): RedisTopology {
  const parsed = new URL(url);
  return {
    kind: 'single',
    url,
    auth: {
      username: decodeURIComponent(parsed.username) || undefined,
      password: decodeURIComponent(parsed.password) || undefined,
      tls: parsed.protocol === 'rediss:',
      tlsCa: undefined,
    },
  };
}

/**
 * Opens one connection of `role` to the topology: one server (`REDIS_URL`,
 * `rediss://` for TLS), the master a Sentinel group names (found again after a
 * failover), or a Cluster. Connection errors are reported through readiness and
 * metrics; without a listener ioredis would print every reconnect attempt.
 */
export function createRedis(
  target: string | RedisTopology,
  role: RedisRole,
  extra: RedisOptions = {},
): RedisClient {
  const topology = typeof target === 'string' ? singleServer(target) : target;
  const { enableOfflineQueue, ...perCommand } = ROLE_OPTIONS[role];
  const common: RedisOptions = {
    connectionName: `continuity-bridge:${role}`,
    ...credentials(topology.auth),
    ...perCommand,
  };
  const tls = tlsOptions(topology.auth);
  let client: RedisClient;
  switch (topology.kind) {
    case 'single':
      client = new Redis({
        ...urlAddress(topology.url),
        ...common,
        ...(tls && { tls }),
        ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
        retryStrategy: reconnectBackoff,
        reconnectOnError: reconnectWhenDemoted,
        ...extra,
      });
      break;
    case 'sentinel': {
      const { sentinelAuth } = topology;
      const sentinelTls = tlsOptions(sentinelAuth);
      client = new Redis({
        sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
        name: topology.masterName,
        role: 'master',
        ...common,
        ...(tls && { tls, enableTLSForSentinelMode: true }),
        ...(sentinelAuth.username !== undefined && { sentinelUsername: sentinelAuth.username }),
        ...(sentinelAuth.password !== undefined && { sentinelPassword: sentinelAuth.password }),
        ...(sentinelTls && { sentinelTLS: sentinelTls }),
        // No `failoverDetector`: a failover closes the clients of the old master
        // (or its death does), and ioredis then asks the sentinels again. With the
        // detector on, a connection stayed unwritable after a SIGKILLed master in
        // about one run of four of test/integration/redis-sentinel.int.test.ts.
        failoverDetector: false,
        sentinelRetryStrategy: reconnectBackoff,
        retryStrategy: reconnectBackoff,
        reconnectOnError: reconnectWhenDemoted,
        ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
        ...extra,
      });
      break;
    }
    case 'cluster': {
      // Connection-level choices of `extra` are the cluster's; the rest go to every node.
      const { lazyConnect, retryStrategy, ...perNode } = extra;
      const options: ClusterOptions = {
        redisOptions: { ...common, ...(tls && { tls }), ...perNode },
        clusterRetryStrategy: retryStrategy ?? reconnectBackoff,
        ...(lazyConnect !== undefined && { lazyConnect }),
        // Managed clusters announce their nodes by name; TLS certificates name those.
        ...(tls && { dnsLookup: (address, callback) => callback(null, address) }),
        ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
        slotsRefreshTimeout: 2000,
      };
      client = new Cluster(
        topology.nodes.map(({ host, port }) => ({ host, port })),
        options,
      );
      break;
    }
  }
  client.on('error', () => {});
  return client;
}

/** Resolves once connected, or after `timeoutMs` (a Redis that is down is not fatal here). */
export function waitUntilReady(redis: RedisClient, timeoutMs: number): Promise<void> {
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
 * made, so every role follows the configured topology.
 */
export class RedisConnections {
  readonly topology: RedisTopology;
  readonly #opened = new Map<RedisRole, RedisClient>();

  constructor(target: string | RedisTopology) {
    this.topology = typeof target === 'string' ? singleServer(target) : target;
  }

  get(role: RedisRole): RedisClient {
    let redis = this.#opened.get(role);
    if (!redis) this.#opened.set(role, (redis = createRedis(this.topology, role)));
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
