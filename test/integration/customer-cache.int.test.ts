/**
 * The Redis customer cache holds the least personal text the lookup needs:
 * the current owner's notes cut to CACHED_NOTES_MAX_CHARS, and no notes or
 * attributes on older conversations (the CRM keeps all of it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/adapters/redis/connections.redis.ts';
import { createRedis, waitUntilReady } from '../../src/adapters/redis/connections.redis.ts';
import {
  CACHED_NOTES_MAX_CHARS,
  RedisCustomerCache,
} from '../../src/adapters/redis/customer-cache.redis.ts';
import { TRUNCATION_MARKER } from '../../src/domain/conversation-context.ts';
import { aCustomer, anOwnership, aPhoneKey, HOUR, NOW } from '../factories/ownership.factory.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let connection: RedisClient;

beforeAll(async () => {
  redis = await startRedis();
  connection = createRedis(redis.url, 'cache');
  await waitUntilReady(connection, 2000);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

describe('the customer cache and personal text', () => {
  it('keeps the current notes short and drops older notes and attributes', async () => {
    const cache = new RedisCustomerCache(connection, {
      prefix: '{cb-cache-test}',
      ttlSeconds: 60,
      negativeTtlSeconds: 5,
    });
    const key = aPhoneKey('5511987650888');
    const current = anOwnership({
      notes: 'Refund approval pending. '.repeat(200),
      attributes: { intent: 'refund' },
      endedAt: NOW,
    });
    const older = anOwnership({
      notes: 'Customer asked about a second card.',
      attributes: { orderNumber: 'A-778' },
      endedAt: NOW - HOUR,
    });
    await cache.set(key, aCustomer({ key, current, recent: [current, older] }));

    const got = await cache.get(key);
    expect(got.hit).toBe(true);
    const record = got.hit ? got.record : null;
    const kept = Array.from(record?.current?.notes ?? '').length;
    expect(kept).toBeLessThanOrEqual(CACHED_NOTES_MAX_CHARS);
    expect(kept).toBeGreaterThan(CACHED_NOTES_MAX_CHARS - 10);
    expect(record?.current?.notes.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(record?.current?.attributes).toEqual({ intent: 'refund' });
    expect(record?.recent[1]).toMatchObject({ notes: '', attributes: {} });
    const raw = await connection.get('{cb-cache-test}:owner:' + 'phone:5511987650888');
    expect(raw ?? '').not.toContain('second card');
    expect(raw ?? '').not.toContain('A-778');
  });

  it("keeps the customer's other keys, so the worker locks them before a commit", async () => {
    const cache = new RedisCustomerCache(connection, {
      prefix: '{cb-cache-test}',
      ttlSeconds: 60,
      negativeTtlSeconds: 5,
    });
    const key = aPhoneKey('5511987650889');
    const aliases = [{ kind: 'bsuid' as const, value: 'BR.1502576394655843' }];
    await cache.set(key, aCustomer({ key, aliases }));
    const got = await cache.get(key);
    expect(got.hit && got.record?.aliases).toEqual(aliases);
  });
});
