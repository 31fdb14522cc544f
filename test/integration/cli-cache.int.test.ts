/**
 * `continuity-bridge cache clear`: every cached owner under the bridge's prefix
 * goes (Redis and each process's near cache), nothing else does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connections.redis.ts';
import { createRedis, waitUntilReady } from '../../src/adapters/redis/connections.redis.ts';
import { RedisCustomerCache } from '../../src/adapters/redis/customer-cache.redis.ts';
import { NearCache } from '../../src/adapters/redis/near-cache.redis.ts';
import { run } from '../../src/cli/program.ts';
import { aCustomer, aPhoneKey } from '../factories/ownership.factory.ts';
import { captureIo } from '../cli/cli-harness.ts';
import { testEnv } from '../support/bridge.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
const connections: RedisClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await redis?.stop();
});

const connect = async (role: 'cache' | 'subscriber') => {
  const connection = createRedis(redis.url, role);
  connections.push(connection);
  await waitUntilReady(connection, 2000);
  return connection;
};

describe('continuity-bridge cache clear', () => {
  it('drops every cached owner under the prefix, in Redis and in running near caches, and nothing else', async () => {
    const env = testEnv(redis.url);
    const prefix = env.REDIS_PREFIX!;
    const cacheRedis = await connect('cache');
    const shared = new RedisCustomerCache(cacheRedis, {
      prefix,
      ttlSeconds: 60,
      negativeTtlSeconds: 5,
    });
    // A running web process: its near cache holds the old store's owner.
    const near = new NearCache(shared, cacheRedis, await connect('subscriber'), {
      channel: `${prefix}:owner-changed`,
    });
    await expect.poll(() => near.live).toBe(true);
    const keys = ['5511987650001', '5511987650002', '5511987650003'].map((n) => aPhoneKey(n));
    for (const key of keys) await shared.set(key, aCustomer({ key }));
    await near.get(keys[0]!); // now in process memory too
    await cacheRedis.set(`${prefix}:events:keep-me`, 'x');
    await cacheRedis.set('{someone-else}:owner:phone:5511987650001', 'x');

    const out = captureIo();
    expect(await run(['cache', 'clear'], env, out.io)).toBe(0);
    expect(out.stdout()).toBe(
      'cleared 3 cached owner(s); every bridge process dropped its in-memory copies\n',
    );
    expect(await cacheRedis.keys(`${prefix}:owner:*`)).toEqual([]);
    expect(await cacheRedis.get(`${prefix}:events:keep-me`)).toBe('x');
    expect(await cacheRedis.get('{someone-else}:owner:phone:5511987650001')).toBe('x');
    await expect.poll(async () => (await near.get(keys[0]!)).hit).toBe(false);
  });

  it('is a usage error without "clear"', async () => {
    const out = captureIo();
    expect(await run(['cache'], {}, out.io)).toBe(2);
    expect(out.stderr()).toContain('expected "clear"');
  });
});
