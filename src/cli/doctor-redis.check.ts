import { Cluster, Redis } from 'ioredis';
import { clusterSlot, createRedis, type RedisClient } from '../adapters/redis/index.ts';
import type { Config } from '../config/config.ts';
import { describeNodes, type RedisTopology } from '../config/redis-topology.ts';
import { RECONCILE_QUEUE } from '../reconcile/reconcile.queue.ts';
import { safeMessage } from './cli-io.ts';
import { clockCheck, fail, ok, warn, type CheckResult } from './doctor-report.ts';

const AREA = 'redis';

/** `INFO` text → `{ field: value }`. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * Settings BullMQ and the event log depend on, from one INFO answer and
 * `CONFIG GET appendfsync` (undefined where CONFIG is disabled, as on most
 * managed Redis).
 */
export function redisSettingsChecks(
  info: Record<string, string>,
  prefix: string,
  appendfsync?: string,
): CheckResult[] {
  const results: CheckResult[] = [];
  const version = info.redis_version ?? 'unknown';
  if (version !== 'unknown' && !versionAtLeast(version, '6.2.0')) {
    results.push(
      fail(
        AREA,
        `Redis ${version} is older than 6.2, which BullMQ needs`,
        'upgrade Redis to 6.2 or newer (7.x recommended)',
      ),
    );
  }
  const policy = info.maxmemory_policy;
  if (policy === undefined) {
    results.push(
      warn(AREA, 'maxmemory-policy is not reported by INFO', 'make sure it is noeviction'),
    );
  } else if (policy !== 'noeviction') {
    results.push(
      fail(
        AREA,
        `maxmemory-policy is ${policy}: under memory pressure Redis would silently delete queued jobs and locks`,
        'set maxmemory-policy noeviction (redis.conf, CONFIG SET, or your provider’s parameter group)',
      ),
    );
  } else {
    results.push(ok(AREA, 'maxmemory-policy is noeviction'));
  }
  if (info.aof_enabled !== '1') {
    results.push(
      warn(
        AREA,
        'appendonly is no: a Redis restart loses queued reconcile jobs and recorded events since the last snapshot',
        'set appendonly yes with appendfsync always (an acknowledged event survives a crash) or everysec (up to ~1 s lost); see docs/operations.md',
      ),
    );
  } else if (appendfsync === 'no') {
    results.push(
      warn(
        AREA,
        'appendonly yes but appendfsync no: the OS decides when writes reach the disk',
        'set appendfsync always (or everysec)',
      ),
    );
  } else {
    const fsync =
      appendfsync === 'everysec'
        ? ', appendfsync everysec: a crash can lose the last second'
        : appendfsync
          ? `, appendfsync ${appendfsync}`
          : '';
    results.push(ok(AREA, `append-only file is on (appendonly yes${fsync})`));
  }
  if (info.cluster_enabled === '1' && !/\{[^{}]+\}/.test(prefix)) {
    results.push(
      fail(
        AREA,
        `Redis Cluster without a hash tag in REDIS_PREFIX (${prefix}): a queue's keys would land in different slots`,
        'set REDIS_PREFIX to a hash tag, e.g. {continuity}',
      ),
    );
  }
  return results;
}

/** Jobs waiting/delayed/active/failed, read with plain commands (nothing is created). */
async function queueCounts(redis: RedisClient, prefix: string): Promise<Record<string, number>> {
  const key = (name: string) => `${prefix}:${RECONCILE_QUEUE}:${name}`;
  const [wait, active, delayed, failed] = await Promise.all([
    redis.llen(key('wait')),
    redis.llen(key('active')),
    redis.zcard(key('delayed')),
    redis.zcard(key('failed')),
  ]);
  return { wait, active, delayed, failed };
}

/** What `doctor` found: a line about the topology, the node holding the data, its replicas. */
interface Topology {
  readonly results: CheckResult[];
  /** The master that holds every key of the prefix (the one to read INFO and CONFIG from). */
  readonly dataNode: Redis;
  readonly info: Record<string, string>;
  readonly replicas: number;
}

function replicaCount(info: Record<string, string>): number {
  return Number(info.connected_slaves ?? 0) || 0;
}

/** Asks the sentinels, one after the other, where the master is and whether they can fail over. */
async function askSentinels(
  topology: Extract<RedisTopology, { kind: 'sentinel' }>,
): Promise<CheckResult> {
  const { sentinelAuth, masterName } = topology;
  let lastError: unknown = new Error('no sentinel answered');
  for (const { host, port } of topology.sentinels) {
    const sentinel = new Redis({
      host,
      port,
      ...(sentinelAuth.username !== undefined && { username: sentinelAuth.username }),
      ...(sentinelAuth.password !== undefined && { password: sentinelAuth.password }),
      ...(sentinelAuth.tls && { tls: {} }),
      lazyConnect: true,
      connectTimeout: 2000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    sentinel.on('error', () => {});
    try {
      await sentinel.connect();
      const address = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', masterName)) as
        [string, string] | null;
      const quorum = await sentinel
        .call('SENTINEL', 'ckquorum', masterName)
        .then(String, (error: unknown) => error);
      if (typeof quorum !== 'string')
        return fail(
          AREA,
          `sentinel ${host}:${port}: master ${masterName} cannot fail over: ${safeMessage(quorum)}`,
          'start more sentinels (three or more, on separate machines) or lower the quorum',
        );
      return ok(
        AREA,
        `sentinel ${host}:${port}: master ${masterName} is ${address ? address.join(':') : '?'}; ${quorum.replace(/^OK /, '')}`,
      );
    } catch (error) {
      lastError = error;
    } finally {
      sentinel.disconnect();
    }
  }
  return fail(
    AREA,
    `no sentinel of ${describeNodes(topology.sentinels)} answered: ${safeMessage(lastError)}`,
    'check REDIS_SENTINELS and REDIS_SENTINEL_PASSWORD',
  );
}

/** The deployment doctor found: one server, a Sentinel group, or a Cluster, and its replicas. */
async function inspectTopology(redis: RedisClient, config: Config): Promise<Topology> {
  const { topology, prefix } = config.redis;
  if (redis instanceof Cluster) {
    const state = parseInfo(String(await redis.cluster('INFO')));
    const slot = clusterSlot(prefix);
    const [owner, ...replicaKeys] = redis.slots[slot] ?? [];
    const dataNode = redis.nodes('master').find((node) => {
      return `${node.options.host}:${node.options.port}` === owner;
    });
    if (!dataNode) throw new Error(`no master serves slot ${slot} (the slot of ${prefix})`);
    const info = parseInfo(await dataNode.info());
    const masters = redis.nodes('master').length;
    const line = `cluster: state ${state.cluster_state ?? '?'}, ${masters} masters, ${state.cluster_slots_assigned ?? '?'} of 16384 slots assigned; ${prefix} is slot ${slot} on ${owner} with ${replicaKeys.length} replica(s)`;
    return {
      results: [
        state.cluster_state === 'ok'
          ? ok(AREA, line)
          : fail(AREA, line, 'repair the cluster: redis-cli --cluster check <node>'),
      ],
      dataNode,
      info,
      replicas: Math.max(replicaKeys.length, replicaCount(info)),
    };
  }
  const info = parseInfo(await redis.info());
  const replicas = replicaCount(info);
  const results: CheckResult[] = [];
  if (topology.kind === 'sentinel') {
    results.push(ok(AREA, `sentinel: connected to the master with ${replicas} replica(s)`));
    results.push(await askSentinels(topology));
  } else if (info.role === 'slave') {
    results.push(
      fail(
        AREA,
        `one server: ${config.redis.description} is a replica (read-only); events would be refused`,
        'point REDIS_URL at the master, or use REDIS_SENTINELS so failovers are followed',
      ),
    );
  } else {
    results.push(ok(AREA, `one server (master) with ${replicas} replica(s)`));
  }
  return { results, dataNode: redis, info, replicas };
}

/** Whether `/v1/events` can get the replica acknowledgements it is configured to wait for. */
export function acknowledgementCheck(
  ack: { replicas: number; timeoutMs: number },
  replicas: number,
): CheckResult {
  if (ack.replicas > replicas)
    return fail(
      AREA,
      `REDIS_WAIT_REPLICAS=${ack.replicas} but the master has ${replicas} connected replica(s): every /v1/events answers 503`,
      'bring the replicas back, or lower REDIS_WAIT_REPLICAS',
    );
  if (ack.replicas === 0 && replicas > 0)
    return warn(
      AREA,
      `the master has ${replicas} replica(s) but /v1/events does not wait for them: a failover can lose events acknowledged just before it`,
      'set REDIS_WAIT_REPLICAS=1 (see docs/operations.md, "Scaling and high availability")',
    );
  if (ack.replicas === 0)
    return ok(
      AREA,
      'acknowledged events are on the master only (no replicas): durable through AOF',
    );
  return ok(
    AREA,
    `/v1/events answers 202 once ${ack.replicas} replica(s) hold the events (WAIT, up to ${ack.timeoutMs} ms)`,
  );
}

/** PING, topology, version, eviction policy, persistence, replicas, queue state, clock. Read-only. */
export async function checkRedis(config: Config): Promise<CheckResult[]> {
  const where = config.redis.description;
  const redis = createRedis(config.redis.topology, 'producer', {
    lazyConnect: true,
    connectTimeout: 3000,
    commandTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: 'continuity-bridge:doctor',
  });
  const results: CheckResult[] = [];
  try {
    const started = Date.now();
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      return [
        fail(
          AREA,
          `cannot reach ${where}: ${safeMessage(error)}`,
          'start Redis or correct REDIS_URL (rediss:// for TLS; redis://user:password@host:port), REDIS_SENTINELS or REDIS_CLUSTER_NODES',
        ),
      ];
    }
    const found = await inspectTopology(redis, config);
    const { info, dataNode } = found;
    results.push(
      ok(
        AREA,
        `PING answered by ${where} in ${Date.now() - started} ms (Redis ${info.redis_version ?? '?'})`,
      ),
    );
    results.push(...found.results);
    const fsync = await dataNode.config('GET', 'appendfsync').catch(() => null);
    const appendfsync = Array.isArray(fsync) ? String(fsync[1] ?? '') || undefined : undefined;
    results.push(...redisSettingsChecks(info, config.redis.prefix, appendfsync));
    results.push(acknowledgementCheck(config.redis.ack, found.replicas));
    const counts = await queueCounts(redis, config.redis.prefix);
    const state = `${counts.wait} waiting, ${counts.delayed} delayed, ${counts.active} active, ${counts.failed} failed`;
    results.push(
      (counts.failed ?? 0) > 0
        ? warn(AREA, `queue ${RECONCILE_QUEUE}: ${state}`, 'see "continuity-bridge failed list"')
        : ok(AREA, `queue ${RECONCILE_QUEUE}: ${state}`),
    );
    const sentAt = Date.now();
    const [seconds, micros] = await dataNode.time();
    const receivedAt = Date.now();
    const server = Number(seconds) * 1000 + Number(micros) / 1000;
    results.push(
      clockCheck(AREA, 'Redis', {
        skewMs: (sentAt + receivedAt) / 2 - server,
        uncertaintyMs: (receivedAt - sentAt) / 2,
      }),
    );
    return results;
  } catch (error) {
    results.push(fail(AREA, `check failed: ${safeMessage(error)}`));
    return results;
  } finally {
    redis.disconnect();
  }
}
