import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { runCli } from '../cli/cli-harness.ts';
import { anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
import { testEnv } from '../support/bridge.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

/** Issue 10: versions stored in the future (before times were capped) are repaired by an operator. */

const KEY = aPhoneKey('5511987650555');
const YEAR_2099 = Date.parse('2099-01-01T00:00:00Z');

let redis: TestRedis;
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  env = testEnv(redis.url);
  const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
  await store.commit([
    {
      key: KEY,
      ownership: anOwnership({
        conversationId: 'conv-2099',
        agentId: 'agent-pinned',
        endedAt: YEAR_2099,
      }),
    },
  ]);
  await store.close();
});
afterAll(async () => {
  await redis?.stop();
});

describe('continuity-bridge repair-versions', () => {
  it('a version stored in 2099 pins its owner until repaired: dry run first, then --apply', async () => {
    const dry = await runCli(['repair-versions'], env);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('1 conversation(s) of 1 customer(s)');
    expect(dry.stdout).toContain('conv-2099');
    expect(dry.stdout).toContain('dry run: nothing changed');
    expect(dry.stdout).not.toContain('5511987650555');

    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    const genuine = anOwnership({
      conversationId: 'conv-genuine',
      agentId: 'agent-real',
      endedAt: Date.now() + 60_000,
    });
    await store.commit([{ key: KEY, ownership: genuine }]);
    expect((await store.findCustomer(KEY))?.current?.agentId).toBe('agent-pinned');

    const applied = await runCli(['repair-versions', '--apply', '--json'], env);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      applied: true,
      conversations: ['conv-2099'],
      written: 1,
    });
    // The genuine wrap-up recorded while the owner was pinned is the owner now.
    expect((await store.findCustomer(KEY))?.current?.agentId).toBe('agent-real');
    // The next genuine wrap-up wins now.
    const next = anOwnership({
      conversationId: 'conv-next',
      agentId: 'agent-next',
      endedAt: Date.now() + 120_000,
    });
    await store.commit([{ key: KEY, ownership: next }]);
    expect((await store.findCustomer(KEY))?.current?.agentId).toBe('agent-next');
    expect((await runCli(['repair-versions'], env)).stdout).toContain('no version is later than');
    await store.close();
  });
});
