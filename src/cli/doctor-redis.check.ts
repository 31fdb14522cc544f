import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { RECONCILE_QUEUE } from '../reconcile/reconcile.queue.ts';
import { safeMessage } from './cli-io.ts';
import { redactUrl } from './command-bridge.ts';
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
async function queueCounts(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const key = (name: string) => `${prefix}:${RECONCILE_QUEUE}:${name}`;
  const [wait, active, delayed, failed] = await Promise.all([
    redis.llen(key('wait')),
    redis.llen(key('active')),
    redis.zcard(key('delayed')),
    redis.zcard(key('failed')),
  ]);
  return { wait, active, delayed, failed };
}

/** PING, version, eviction policy, persistence, cluster hash tag, queue state, clock. Read-only. */
export async function checkRedis(config: Config): Promise<CheckResult[]> {
  const url = redactUrl(config.redis.url);
  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    connectTimeout: 3000,
    commandTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'continuity-bridge:doctor',
  });
  redis.on('error', () => {});
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
          `cannot reach ${url}: ${safeMessage(error)}`,
          'start Redis or correct REDIS_URL (rediss:// for TLS; redis://:password@host:port)',
        ),
      ];
    }
    const info = parseInfo(await redis.info());
    results.push(
      ok(
        AREA,
        `PING answered by ${url} in ${Date.now() - started} ms (Redis ${info.redis_version ?? '?'})`,
      ),
    );
    const fsync = await redis.config('GET', 'appendfsync').catch(() => null);
    const appendfsync = Array.isArray(fsync) ? String(fsync[1] ?? '') || undefined : undefined;
    results.push(...redisSettingsChecks(info, config.redis.prefix, appendfsync));
    const counts = await queueCounts(redis, config.redis.prefix);
    const state = `${counts.wait} waiting, ${counts.delayed} delayed, ${counts.active} active, ${counts.failed} failed`;
    results.push(
      (counts.failed ?? 0) > 0
        ? warn(AREA, `queue ${RECONCILE_QUEUE}: ${state}`, 'see "continuity-bridge failed list"')
        : ok(AREA, `queue ${RECONCILE_QUEUE}: ${state}`),
    );
    const sentAt = Date.now();
    const [seconds, micros] = await redis.time();
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
