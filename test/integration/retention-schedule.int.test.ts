import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { Bridge } from '../../src/main.ts';
import { MAINTENANCE_QUEUE } from '../../src/reconcile/reconcile.queue.ts';
import { anOwnership } from '../factories/ownership.factory.ts';
import { postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

/*
 * The worker's daily retention pass: scheduled once however many workers run,
 * on a queue of its own (the reconcile queue shows no backlog for it), and
 * when it runs, history older than HISTORY_RETENTION_DAYS is gone.
 */
const DAY = 86_400_000;
const OLD = '5511987650401';
const RECENT = '5511987650402';
let redis: TestRedis;
let env: Record<string, string>;
let bridge: Bridge;
let running: RunningApp;
let maintenance: Queue;

const lookup = async (digits: string) =>
  (
    await postJson(`${running.url}/v1/routing/lookup`, { address: `+${digits}`, queueId: 'q' })
  ).json();

beforeAll(async () => {
  redis = await startRedis();
  env = testEnv(redis.url, { HISTORY_RETENTION_DAYS: '30' });
  const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
  const now = Date.now();
  await store.commit([
    {
      key: { kind: 'phone', value: OLD },
      ownership: anOwnership({
        conversationId: 'old-1',
        agentId: 'agent-old',
        endedAt: now - 40 * DAY,
      }),
    },
    {
      key: { kind: 'phone', value: RECENT },
      ownership: anOwnership({
        conversationId: 'recent-1',
        agentId: 'agent-new',
        endedAt: now - 2 * DAY,
      }),
    },
  ]);
  await store.close();
  bridge = await startBridge(env);
  running = await listen(bridge.app);
  maintenance = new Queue(MAINTENANCE_QUEUE, {
    connection: { url: redis.url },
    prefix: env.REDIS_PREFIX!,
  });
}, 30_000);
afterAll(async () => {
  await maintenance?.close();
  await running?.close();
  await bridge?.close();
  await redis?.stop();
});

describe('the daily retention pass', () => {
  it('is scheduled on the maintenance queue, leaving the reconcile queue empty', async () => {
    await expect
      .poll(async () => (await maintenance.getJobSchedulers()).map((s) => s.key), {
        timeout: 10_000,
      })
      .toEqual(['continuity-retention']);
    expect(
      await bridge.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    ).toEqual({ waiting: 0, active: 0, delayed: 0, prioritized: 0 });
  });

  it('runs when the worker first schedules it, then daily: history older than HISTORY_RETENTION_DAYS is gone, the rest kept', async () => {
    await expect
      .poll(async () => (await maintenance.getCompleted()).length, { timeout: 15_000 })
      .toBe(1);
    await bridge.infra.cache.delete({ kind: 'phone', value: OLD });
    expect(await lookup(OLD)).toMatchObject({ found: false });
    expect(await lookup(RECENT)).toMatchObject({ found: true, agentId: 'agent-new' });
    const [next] = await maintenance.getDelayed();
    expect(next!.timestamp + next!.delay - Date.now()).toBeGreaterThan(DAY - 60_000);
  });
});
