import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPersonalData } from '../../src/adapters/redis/personal-data.redis.ts';
import { RedisTombstones } from '../../src/adapters/redis/tombstones.redis.ts';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { PrivacyService } from '../../src/privacy/privacy.service.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  CUSTOMER_A,
  CUSTOMER_B,
  filesText,
  found,
  redisDump,
  seedCustomer,
} from '../support/privacy-seed.ts';

/**
 * Issue 16, item 7 for Redis and SQLite: one customer seeded everywhere is
 * erased, and no byte of its number (any form), nor its notes, remains in
 * any Redis key or value, in the AOF files after the rewrite the erasure asks
 * for, or in the SQLite database, WAL and journal; the second customer stays.
 */

const PREFIX = '{privacy}';
let server: TestRedis;
let redis: Redis;
let sqlitePath: string;
let store: SqliteOwnershipStore;
let redisData: RedisPersonalData;
let service: PrivacyService;
const lines: string[] = [];

beforeAll(async () => {
  // Plain AOF files (no RDB preamble, no compression), so a scan of their bytes is exact.
  server = await startRedis({
    persistent: true,
    args: ['--aof-use-rdb-preamble', 'no', '--rdbcompression', 'no'],
  });
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  sqlitePath = join(mkdtempSync(join(tmpdir(), 'cb-privacy-')), 'store.sqlite');
  store = new SqliteOwnershipStore(sqlitePath);
  const at = Date.now();
  await seedCustomer(redis, PREFIX, store, CUSTOMER_A, at);
  await seedCustomer(redis, PREFIX, store, CUSTOMER_B, at);
  redisData = new RedisPersonalData(redis, {
    prefix: PREFIX,
    queueName: 'reconcile',
    invalidationChannel: `${PREFIX}:owner-changed`,
    failedJobRetentionMs: 30 * 86_400_000,
    rewriteDebounceMs: 60_000,
  });
  service = new PrivacyService({
    stores: [redisData, store.personalData()],
    tombstones: new RedisTombstones(redis, {
      prefix: PREFIX,
      secret: 's'.repeat(32),
      ttlSeconds: 3600,
    }),
    // The seeded lock stands for one a crashed worker left (a live one would
    // make the erasure wait for it); the lock's own tests cover the waiting.
    lockCustomer: (_keys, work) => work(),
    clock: { now: () => Date.now() },
    logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
    historyRetentionMs: 365 * 86_400_000,
  });
});

afterAll(async () => {
  await redisData?.close();
  await store?.close();
  redis?.disconnect();
  await server?.stop();
});

const storeFiles = () => [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-journal`];

describe('privacy: export, then erase one customer from Redis and SQLite', () => {
  it('finds the customer in every store first: raw bytes, and an export listing everything seeded', async () => {
    expect(found(await redisDump(redis), CUSTOMER_A.traces)).toEqual(CUSTOMER_A.traces);
    expect(found(filesText(storeFiles()), ['5511987654321', 'Note about Alice'])).toHaveLength(2);
    const report = await service.export(['+55 (11) 98765-4321'], 'test');
    expect(report.conversationIds).toEqual(['conv-a1', 'conv-a2']);
    const [redisHoldings, sqliteHoldings] = report.stores;
    expect(redisHoldings?.items.eventLog).toHaveLength(2);
    expect(redisHoldings?.items.cache).toHaveLength(2); // canonical and old form
    expect(redisHoldings?.items.locks).toHaveLength(1);
    const jobs = redisHoldings?.items.jobs as { state: string }[];
    expect(jobs.map((job) => job.state).sort()).toEqual(['completed', 'failed']);
    expect(sqliteHoldings?.items.customers).toHaveLength(1);
    expect(sqliteHoldings?.items.history).toHaveLength(2);
    expect(JSON.stringify(report)).toContain('Note about Alice');
    expect(JSON.stringify(report)).not.toContain('Note about Bob');
  });

  it('a dry run counts and changes nothing', async () => {
    const before = await redisDump(redis);
    const report = await service.erase(['5511987654321'], { dryRun: true }, 'test');
    expect(report.stores.redis).toMatchObject({ eventLogKeys: 6, cacheAndLockKeys: 3, jobs: 2 });
    expect(report.stores.sqlite).toEqual({ historyRows: 2, customers: 1 });
    expect(await redisDump(redis)).toBe(before);
  });

  it('erases every byte of the number from Redis, its AOF files and SQLite; the other customer stays', async () => {
    const invalidations: string[] = [];
    const subscriber = redis.duplicate();
    await subscriber.subscribe(`${PREFIX}:owner-changed`);
    subscriber.on('message', (_channel, id: string) => invalidations.push(id));

    const report = await service.erase(['whatsapp:+5511987654321'], { dryRun: false }, 'test');
    expect(report.stores.redis).toMatchObject({ eventLogKeys: 6, cacheAndLockKeys: 3, jobs: 2 });
    expect(report.stores.sqlite).toEqual({ historyRows: 2, customers: 1 });
    expect(await redisData.flushRewrite()).toEqual(['aof']);
    await rewriteDone(redis);

    expect(found(await redisDump(redis), CUSTOMER_A.traces)).toEqual([]);
    await expect.poll(() => found(filesText([server.dir!]), CUSTOMER_A.traces)).toEqual([]);
    expect(found(filesText(storeFiles()), CUSTOMER_A.traces)).toEqual([]);
    // The scans can see: the second customer is still there, in every place.
    expect(found(await redisDump(redis), CUSTOMER_B.traces)).toEqual(CUSTOMER_B.traces);
    expect(found(filesText([server.dir!]), CUSTOMER_B.traces)).toEqual(CUSTOMER_B.traces);
    expect(found(filesText(storeFiles()), CUSTOMER_B.traces)).toEqual(CUSTOMER_B.traces);
    expect(invalidations).toEqual(
      expect.arrayContaining(['phone:5511987654321', 'phone:551187654321']),
    );
    subscriber.disconnect();
  });

  it('leaves a tombstone for the erased customer only, under its keyed hash', async () => {
    const tombstones = new RedisTombstones(redis, {
      prefix: PREFIX,
      secret: 's'.repeat(32),
      ttlSeconds: 3600,
    });
    const [erased, kept] = await tombstones.erasedAt([CUSTOMER_A.key, CUSTOMER_B.key]);
    expect(erased).toBeGreaterThan(Date.now() - 60_000);
    expect(kept).toBeNull();
    const key = `${PREFIX}:erased:${tombstones.hash(CUSTOMER_A.key)}`;
    expect(await redis.ttl(key)).toBeGreaterThan(3500);
  });

  it('is idempotent, and leaves one audit line per request with the hash, never the number', async () => {
    const again = await service.erase(['5511987654321'], { dryRun: false }, 'test');
    expect(again.stores.redis).toMatchObject({ eventLogKeys: 0, cacheAndLockKeys: 0, jobs: 0 });
    expect(again.stores.sqlite).toEqual({ historyRows: 0, customers: 0 });
    const audits = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const deletes = audits.filter((line) => line.audit === 'privacy' && line.type === 'delete');
    expect(deletes).toHaveLength(3);
    expect(deletes[1]).toMatchObject({
      caller: 'test',
      outcome: 'ok',
      subjects: [expect.any(String)],
    });
    expect(lines.join('\n')).not.toMatch(/5511987654321|551187654321/);
  });
});

describe('privacy: retention of failed jobs in Redis', () => {
  it('removes failed jobs older than FAILED_JOB_RETENTION_DAYS, a dry run only counts', async () => {
    const failedOf = () => redis.zcard(`${PREFIX}:reconcile:failed`);
    expect(await failedOf()).toBe(1); // the second customer's
    const short = new RedisPersonalData(redis, {
      prefix: PREFIX,
      queueName: 'reconcile',
      invalidationChannel: `${PREFIX}:owner-changed`,
      failedJobRetentionMs: 1,
      rewriteDebounceMs: 60_000,
    });
    const keep = await redisData.purgeOlderThan(0, { dryRun: false });
    expect(keep).toEqual({ failedJobs: 0 }); // 30 days: kept
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await short.purgeOlderThan(0, { dryRun: true })).toEqual({ failedJobs: 1 });
    expect(await failedOf()).toBe(1);
    expect(await short.purgeOlderThan(0, { dryRun: false })).toEqual({ failedJobs: 1 });
    expect(await failedOf()).toBe(0);
    await short.close();
  });
});

/** Waits until no AOF rewrite runs or is scheduled. */
async function rewriteDone(client: Redis): Promise<void> {
  await expect
    .poll(async () => {
      const info = await client.info('persistence');
      return /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info);
    })
    .toBe(true);
}
