import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connections.redis.ts';
import { RedisCustomerLock } from '../../src/adapters/redis/customer-lock.redis.ts';
import { createRedis, waitUntilReady } from '../../src/adapters/redis/connections.redis.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let connection: RedisClient;
beforeAll(async () => {
  redis = await startRedis();
  connection = createRedis(redis.url, 'worker');
  await waitUntilReady(connection, 2000);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-customer lock', () => {
  it('serializes work for one customer across holders', async () => {
    const lock = new RedisCustomerLock(connection, { prefix: '{lock-1}' });
    const order: string[] = [];
    const work = (name: string) =>
      lock.withLock('phone:5511987654321', async () => {
        order.push(`${name}:start`);
        await sleep(50);
        order.push(`${name}:end`);
      });
    await Promise.all([work('a'), work('b')]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('is extended while slow work runs, so it never expires under it', async () => {
    const lost: string[] = [];
    const lock = new RedisCustomerLock(connection, {
      prefix: '{lock-2}',
      ttlMs: 300,
      onLost: (id) => lost.push(id),
    });
    let overlapped = false;
    let running = false;
    const slow = lock.withLock('phone:1', async () => {
      running = true;
      await sleep(1200); // four lifetimes of the lock
      running = false;
    });
    await sleep(50);
    const second = lock.withLock('phone:1', async () => {
      overlapped = running;
    });
    await Promise.all([slow, second]);
    expect(overlapped).toBe(false);
    expect(lost).toEqual([]);
  });

  it('gives a busy customer back for a retry after the wait', async () => {
    const holder = new RedisCustomerLock(connection, { prefix: '{lock-3}' });
    const impatient = new RedisCustomerLock(connection, { prefix: '{lock-3}', waitMs: 100 });
    const held = holder.withLock('phone:2', () => sleep(500));
    await sleep(20);
    await expect(impatient.withLock('phone:2', async () => {})).rejects.toMatchObject({
      code: 'CB_ERR_LOCK_BUSY',
    });
    await held;
  });
});
