import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventLog } from '../../src/adapters/redis/event-log.redis.ts';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { runCli } from '../cli/cli-harness.ts';
import { anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
import { testEnv } from '../support/bridge.ts';
import { anEvent } from '../support/memory-event-log.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

/** Issue 16, items 2, 3 and 6 from the command line. */

const KEY = aPhoneKey('5511987654321');
let server: TestRedis;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startRedis();
  env = testEnv(server.url, { PRIVACY_HASH_SECRET: 'x'.repeat(40) });
  const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
  await store.commit([
    {
      key: KEY,
      ownership: anOwnership({
        conversationId: 'conv-cli',
        notes: 'Secret note',
        endedAt: Date.now() - 60_000,
      }),
    },
  ]);
  await store.close();
  const redis = new Redis(server.url);
  await new RedisEventLog(redis, env.REDIS_PREFIX!).record([
    anEvent('acw', Date.now() - 60_000, 'agent-ana', {
      conversationId: 'conv-cli',
      addressFrom: 'whatsapp:+5511987654321',
    }),
  ]);
  redis.disconnect();
});
afterAll(async () => {
  await server?.stop();
});

describe('continuity-bridge privacy', () => {
  it('exports everything the stores hold, found through another spelling of the number', async () => {
    const run = await runCli(['privacy', 'export', '+55 (11) 98765-4321'], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      conversationIds: string[];
      stores: { store: string; items: Record<string, unknown[]> }[];
    };
    expect(report.conversationIds).toEqual(['conv-cli']);
    expect(report.stores.map((s) => s.store)).toEqual(['redis', 'sqlite']);
    expect(report.stores[0]?.items.eventLog).toHaveLength(1);
    expect(report.stores[1]?.items.history).toHaveLength(1);
    expect(run.stdout).toContain('Secret note');
  });

  it('deletes (dry run first), leaves an audit line without the number, and is idempotent', async () => {
    const dry = await runCli(['privacy', 'delete', '5511987654321', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      stores: { sqlite: { historyRows: 1, customers: 1 } },
    });
    const done = await runCli(['privacy', 'delete', 'whatsapp:+5511987654321'], env);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      dryRun: false,
      stores: { redis: { eventLogKeys: 3 }, sqlite: { historyRows: 1, customers: 1 } },
    });
    const audit = done.stderr.split('\n').filter((line) => line.includes('"audit":"privacy"'));
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ type: 'delete', caller: 'cli', outcome: 'ok' });
    expect(done.stderr).not.toContain('987654321');
    const again = await runCli(['privacy', 'delete', '5511987654321'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({
      stores: { redis: { eventLogKeys: 0 }, sqlite: { historyRows: 0, customers: 0 } },
    });
  });

  it('runs the retention pass now', async () => {
    const run = await runCli(['privacy', 'purge', '--dry-run'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      stores: { redis: { failedJobs: 0 }, sqlite: { historyRows: 0 } },
    });
  });

  it('refuses export and delete without PRIVACY_HASH_SECRET (78), and wrong command lines (2)', async () => {
    const { PRIVACY_HASH_SECRET: _secret, ...withoutSecret } = env;
    const refused = await runCli(['privacy', 'delete', '5511987654321'], withoutSecret);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain('PRIVACY_HASH_SECRET');
    for (const args of [
      ['privacy'],
      ['privacy', 'delete'],
      ['privacy', 'purge', '551199'],
      ['privacy', 'erase', 'x'],
    ]) {
      expect((await runCli(args, env)).code).toBe(2);
    }
  });
});
