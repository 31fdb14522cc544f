import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { createBridge, type Bridge } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { CustomerKey } from '../../src/domain/customer-key.ts';
import type { OwnershipStore } from '../../src/ports/ownership-store.port.ts';
import { anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { tempDir } from '../support/temp-dir.ts';

const TOKEN = 'integration-token-0123456789';
let redis: TestRedis;
let store: SqliteOwnershipStore;
let bridge: Bridge;
let running: RunningApp;
let storeReads = 0;

beforeAll(async () => {
  redis = await startRedis();
  const dir = tempDir('cb-lookup-');
  const config = loadConfig({
    REDIS_URL: redis.url,
    REDIS_PREFIX: `{test-${process.pid}}`,
    API_TOKENS: TOKEN,
    SQLITE_PATH: join(dir, 'store.sqlite'),
  });
  store = new SqliteOwnershipStore(join(dir, 'store.sqlite'));
  const counting: OwnershipStore = {
    kind: store.kind,
    findCustomer: (key: CustomerKey) => {
      storeReads += 1;
      return store.findCustomer(key);
    },
    commit: (changes) => store.commit(changes),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  bridge = await createBridge(config, { store: counting, logger: createLogger('silent') });
  running = await listen(bridge.app);
});

afterAll(async () => {
  await running?.close();
  await bridge?.close();
  await redis?.stop();
});

async function lookup(address: string) {
  const res = await fetch(`${running.url}/v1/routing/lookup`, {
    method: 'POST',
    headers: { 'x-api-key': TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify({ address, queueId: 'queue-support' }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('lookup with a real Redis cache in front of the embedded store', () => {
  it('reads the store once, then serves the customer from the cache', async () => {
    const ownership = anOwnership({ agentId: 'agent-ana', endedAt: Date.now() - 60_000 });
    await store.commit([{ key: aPhoneKey('5511987650001'), ownership }]);
    storeReads = 0;
    expect(await lookup('+55 11 98765-0001')).toMatchObject({
      action: 'agent',
      agentId: 'agent-ana',
    });
    expect(await lookup('whatsapp:+5511987650001')).toMatchObject({
      action: 'agent',
      agentId: 'agent-ana',
    });
    expect(storeReads).toBe(1);
  });

  it('remembers an unknown customer for NEGATIVE_CACHE_TTL_SECONDS (default 15 min), so a repeat costs no store read', async () => {
    storeReads = 0;
    expect(await lookup('+5511987650002')).toMatchObject({ found: false, reason: 'no_history' });
    expect(await lookup('+5511987650002')).toMatchObject({ found: false, reason: 'no_history' });
    expect(storeReads).toBe(1);
    // "The same unknown number a minute later" is still remembered, for at most the TTL.
    const redisClient = new Redis(redis.url);
    const ttl = await redisClient.pttl(`{test-${process.pid}}:owner:phone:5511987650002`);
    redisClient.disconnect();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
  });

  it('keeps answering from the store while Redis is down, and reports not ready', async () => {
    const ownership = anOwnership({ agentId: 'agent-bob', endedAt: Date.now() - 60_000 });
    await store.commit([{ key: aPhoneKey('5511987650003'), ownership }]);
    await redis.kill();
    storeReads = 0;
    const started = performance.now();
    expect(await lookup('+5511987650003')).toMatchObject({ action: 'agent', agentId: 'agent-bob' });
    expect(await lookup('+5511987650003')).toMatchObject({ action: 'agent', agentId: 'agent-bob' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(storeReads).toBe(2);
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      checks: expect.arrayContaining([expect.objectContaining({ name: 'redis', ok: false })]),
    });

    await redis.restart();
    await expect
      .poll(async () => (await fetch(`${running.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(200);
    storeReads = 0;
    await lookup('+5511987650003');
    await lookup('+5511987650003');
    expect(storeReads).toBe(1);
  });
});
