import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let bridge: Bridge;
let running: RunningApp;
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startRedis();
  // Jobs stay active for a while in the CRM batch, so the second wrap-up
  // arrives while the first reconcile of the conversation is under way.
  env = testEnv(redis.url, { COMMIT_BATCH_WINDOW_MS: '800' });
  bridge = await startBridge(env);
  running = await listen(bridge.app);
});
afterAll(async () => {
  await running?.close();
  await bridge?.close();
  await redis?.stop();
});

describe('one job per conversation', () => {
  it('collapses a burst, and still reconciles a wrap-up that arrives while the conversation is being reconciled', async () => {
    const phone = '+5511987650909';
    const first = acwBody({
      conversationId: 'parked-1',
      participantId: 'p1',
      addressFrom: phone,
      userId: 'agent-ana',
      eventTime: Date.now() - 120_000,
    });
    const burst = Array.from({ length: 5 }, (_, i) =>
      envelope({ ...first, participantId: `dup-${i}` }),
    );
    expect((await postJson(`${running.url}/v1/events`, burst)).status).toBe(202);
    await expect
      .poll(async () => (await bridge.reconcile.queue.bull.getJobCounts('active')).active, {
        timeout: 5000,
        interval: 20,
      })
      .toBe(1);

    // Resumed and wrapped up again by another agent, while the first job is active.
    const resumed = {
      ...first,
      participantId: 'p2',
      userId: 'agent-bob',
      eventTime: Date.now() - 10_000,
    };
    expect((await postJson(`${running.url}/v1/events`, envelope(resumed))).status).toBe(202);

    await expect
      .poll(async () => bridge.reconcile.queue.bull.getJobCounts('waiting', 'delayed', 'active'), {
        timeout: 15_000,
        interval: 100,
      })
      .toEqual({ waiting: 0, delayed: 0, active: 0 });
    const completed = await bridge.reconcile.queue.bull.getJobs(['completed']);
    expect(completed.filter((job) => job.data.conversationId === 'parked-1')).toHaveLength(2);
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    const record = await store.findCustomer({ kind: 'phone', value: phone.slice(1) });
    await store.close();
    expect(record?.current).toMatchObject({ conversationId: 'parked-1', agentId: 'agent-bob' });
    expect(record?.recent).toHaveLength(1);
  });
});
