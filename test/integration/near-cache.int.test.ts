import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connections.redis.ts';
import { createRedis, waitUntilReady } from '../../src/adapters/redis/connections.redis.ts';
import { RedisCustomerCache } from '../../src/adapters/redis/customer-cache.redis.ts';
import { NearCache } from '../../src/adapters/redis/near-cache.redis.ts';
import { aCustomer, anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
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

/** One bridge process's cache stack: near cache over the shared Redis cache. */
async function processCache(prefix: string): Promise<NearCache> {
  const cacheRedis = createRedis(redis.url, 'cache');
  const subscriber = createRedis(redis.url, 'subscriber');
  connections.push(cacheRedis, subscriber);
  await Promise.all([waitUntilReady(cacheRedis, 2000), waitUntilReady(subscriber, 2000)]);
  const shared = new RedisCustomerCache(cacheRedis, {
    prefix,
    ttlSeconds: 60,
    negativeTtlSeconds: 5,
  });
  const near = new NearCache(shared, cacheRedis, subscriber, {
    channel: `${prefix}:owner-changed`,
  });
  await expect.poll(() => near.live).toBe(true);
  return near;
}

const key = aPhoneKey('5511987650777');
const recordWith = (agentId: string) => {
  const current = anOwnership({ agentId });
  return aCustomer({ key, current, recent: [current] });
};

describe('near cache across processes', () => {
  it('serves the new owner in every process once one process writes through', async () => {
    const prefix = '{near-1}';
    const web = await processCache(prefix);
    const worker = await processCache(prefix);
    await worker.set(key, recordWith('agent-ana'));
    expect((await web.get(key)) as unknown).toMatchObject({
      hit: true,
      record: { current: { agentId: 'agent-ana' } },
    });
    expect(await web.get(key)).toMatchObject({
      hit: true,
      record: { current: { agentId: 'agent-ana' } },
    }); // from memory now

    // What the lookup reads first, with no round trip: the copy in memory.
    expect(web.peek(key)).toMatchObject({
      hit: true,
      record: { current: { agentId: 'agent-ana' } },
    });

    await worker.set(key, recordWith('agent-bob'));
    // The invalidation drops the copy: peek has nothing until get reads Redis again.
    await expect.poll(() => web.peek(key), { timeout: 2000, interval: 5 }).toBeUndefined();
    await expect
      .poll(
        async () =>
          ((await web.get(key)) as { record?: { current?: { agentId?: string } } }).record?.current
            ?.agentId,
        { timeout: 2000, interval: 5 },
      )
      .toBe('agent-bob');
    expect(web.peek(key)).toMatchObject({ record: { current: { agentId: 'agent-bob' } } });
  });

  it('drops a negative entry when the customer becomes known', async () => {
    const prefix = '{near-2}';
    const web = await processCache(prefix);
    const worker = await processCache(prefix);
    await web.set(key, null);
    expect(await web.get(key)).toEqual({ hit: true, record: null });
    await worker.set(key, recordWith('agent-cy'));
    await expect
      .poll(async () => ((await web.get(key)) as { record: unknown }).record, {
        timeout: 2000,
        interval: 5,
      })
      .not.toBeNull();
  });

  it('stops serving from memory while the invalidation channel is down', async () => {
    const prefix = '{near-3}';
    const web = await processCache(prefix);
    await web.set(key, recordWith('agent-dee'));
    await web.get(key);
    await redis.kill();
    await expect.poll(() => web.live, { timeout: 3000 }).toBe(false);
    // With Redis gone and the channel down, the near cache must not answer.
    expect(web.peek(key)).toBeUndefined();
    expect(await web.get(key)).toEqual({ hit: false });
    await redis.restart();
    await expect.poll(() => web.live, { timeout: 10_000 }).toBe(true);
  });

  it("never lets a lookup's slow read overwrite a newer write-through", async () => {
    const prefix = '{near-4}';
    const web = await processCache(prefix);
    const worker = await processCache(prefix);
    // The lookup read the store before the worker's commit; the fill arrives after.
    await worker.set(key, recordWith('agent-new'));
    await web.fill(key, recordWith('agent-old'));
    expect(await web.get(key)).toMatchObject({ record: { current: { agentId: 'agent-new' } } });
  });
});
