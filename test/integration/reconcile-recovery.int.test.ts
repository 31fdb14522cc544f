import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen } from '../support/http.ts';
import { startRedis } from '../support/redis-server.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function drained(bridge: Bridge, timeout = 45_000): Promise<void> {
  await expect
    .poll(async () => bridge.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed'), {
      timeout,
      interval: 200,
    })
    .toEqual({ waiting: 0, active: 0, delayed: 0 });
}

const phoneOf = (i: number) => `+1415556${String(i).padStart(4, '0')}`;

function historyRows(path: string): Map<string, number> {
  const db = new DatabaseSync(path, { readOnly: true });
  const rows = db
    .prepare(
      'SELECT conversation_id, COUNT(*) AS n FROM conversation_ownership GROUP BY conversation_id',
    )
    .all();
  db.close();
  return new Map(rows.map((r) => [String(r.conversation_id), Number(r.n)]));
}

describe('recovery', () => {
  it('recovers the jobs of a worker killed with SIGKILL mid-job: nothing lost, nothing written twice', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    // Short locks so the test need not wait 30 s for BullMQ to see the stalled jobs.
    const env = testEnv(redis.url, {
      WORKER_LOCK_DURATION_MS: '2000',
      CUSTOMER_LOCK_TTL_MS: '2000',
    });
    const web = await startBridge(env, {}, { web: true, worker: false });
    cleanups.push(() => web.close());
    const running = await listen(web.app);
    cleanups.push(() => running.close());

    // Worker A holds its jobs in the commit batch for 10 s: killed in that window,
    // it dies with jobs active, customer locks taken and nothing written.
    const doomed = await startWorkerProcess({ ...env, COMMIT_BATCH_WINDOW_MS: '10000' });
    cleanups.push(() => doomed.kill('SIGKILL'));
    const events = Array.from({ length: 20 }, (_, i) =>
      envelope(
        acwBody({
          conversationId: `crash-${i}`,
          addressFrom: phoneOf(i),
          ani: phoneOf(i),
          userId: `agent-${i}`,
          eventTime: Date.now() - 60_000 + i,
        }),
      ),
    );
    expect((await postJson(`${running.url}/v1/events`, events)).status).toBe(202);
    await expect
      .poll(async () => (await web.reconcile.queue.bull.getJobCounts('active')).active, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await doomed.kill('SIGKILL');
    expect(historyRows(env.SQLITE_PATH!).size).toBe(0);

    const rescuer: WorkerProcess = await startWorkerProcess(env);
    cleanups.push(() => rescuer.kill());
    await drained(web);

    const rows = historyRows(env.SQLITE_PATH!);
    expect(rows.size).toBe(20);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    cleanups.push(() => store.close());
    for (let i = 0; i < 20; i++) {
      const record = await store.findCustomer({ kind: 'phone', value: phoneOf(i).slice(1) });
      expect(record?.current).toMatchObject({
        conversationId: `crash-${i}`,
        agentId: `agent-${i}`,
      });
      expect(record?.recent).toHaveLength(1);
    }
    expect(await web.reconcile.queue.bull.getFailedCount()).toBe(0);
  }, 90_000);

  it('answers 503 while Redis is down and loses no acknowledged event across a Redis restart', async () => {
    const redis = await startRedis({ persistent: true });
    cleanups.push(() => redis.stop());
    // A job active when Redis died is recovered once its lock expires.
    const env = testEnv(redis.url, { WORKER_LOCK_DURATION_MS: '3000' });
    const bridge = await startBridge(env);
    cleanups.push(() => bridge.close());
    const running = await listen(bridge.app);
    cleanups.push(() => running.close());

    const acknowledged: number[] = [];
    const refused: number[] = [];
    let next = 0;
    const send = async () => {
      const i = next++;
      const res = await postJson(
        `${running.url}/v1/events`,
        envelope(
          acwBody({
            conversationId: `flow-${i}`,
            addressFrom: phoneOf(1000 + i),
            ani: phoneOf(1000 + i),
            userId: `agent-${i}`,
          }),
        ),
      );
      if (res.status === 202) acknowledged.push(i);
      else {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        refused.push(i);
      }
    };
    for (let k = 0; k < 15; k++) await send();
    await redis.kill();
    for (let k = 0; k < 5; k++) await send();
    await redis.restart();
    await expect
      .poll(async () => (await fetch(`${running.url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
    for (let k = 0; k < 15; k++) await send();

    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(acknowledged.length).toBeGreaterThanOrEqual(25);
    await drained(bridge);
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    cleanups.push(() => store.close());
    for (const i of acknowledged) {
      const record = await store.findCustomer({ kind: 'phone', value: phoneOf(1000 + i).slice(1) });
      expect(record?.current?.agentId, `acknowledged event ${i}`).toBe(`agent-${i}`);
    }
  }, 90_000);
});
